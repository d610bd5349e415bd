namespace Modernizer.Portfolio.Tests;

public sealed class OptionsReaderTests
{
    [Fact]
    public async Task Modernize_yaml_keys_map_onto_the_options()
    {
        using var ws = new TempWorkspace().Write("modernize.yaml", """
            prioritization:
              weights: {cost: 0.5, failure: 0.2, complexity: 0.1, criticality: 0.1, difficulty: 0.1}
              top_n: 7
            compliance_tags: [sox, hipaa]
            escalation:
              cost_discrepancy_usd_per_month: 1234.5
              top_n_metadata: 9
            """);
        var options = await PortfolioOptionsReader.ReadAsync(ws.Paths.ConfigFile, CancellationToken.None);
        Assert.Equal(new PriorityWeights(0.5, 0.2, 0.1, 0.1, 0.1), options.Weights);
        Assert.Equal((7, 9, 1234.5m), (options.TopN, options.TopNMetadata, options.CostDiscrepancyUsdPerMonth));
        Assert.Equal(["sox", "hipaa"], options.ComplianceTags.ToArray());
    }

    [Fact]
    public async Task A_missing_file_gives_the_mission_defaults()
    {
        var options = await PortfolioOptionsReader.ReadAsync(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "modernize.yaml"), CancellationToken.None);
        Assert.Equal(PortfolioOptions.Default, options);
        Assert.Equal(new PriorityWeights(0.30, 0.25, 0.20, 0.15, 0.10), options.Weights);
        Assert.Equal(20, options.TopN);
    }

    [Fact]
    public async Task Invalid_yaml_names_the_file()
    {
        using var ws = new TempWorkspace().Write("modernize.yaml", "prioritization: [unclosed");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PortfolioOptionsReader.ReadAsync(ws.Paths.ConfigFile, CancellationToken.None));
        Assert.Contains("modernize.yaml", error.Message, StringComparison.Ordinal);
    }
}
