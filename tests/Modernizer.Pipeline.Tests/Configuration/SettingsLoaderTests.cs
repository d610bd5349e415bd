using Modernizer.Domain.Configuration;
using Modernizer.Pipeline.Configuration;

namespace Modernizer.Pipeline.Tests.Configuration;

/// <summary>modernize.yaml loading: defaults, environment overrides, precise errors (R5.2 phases,
/// R1.3 weights, X3 thresholds).</summary>
public sealed class SettingsLoaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static (ModernizeSettings Settings, IReadOnlyList<ConfigError> Errors) Parse(string yaml, Dictionary<string, string>? environment = null, TestWorkspace? workspace = null) =>
        new SettingsLoader(environment ?? NoEnvironment).Parse(yaml, "modernize.yaml", workspace?.Paths);

    [Fact]
    public void An_empty_file_gives_the_documented_defaults()
    {
        var (settings, errors) = Parse(string.Empty);
        Assert.Empty(errors);
        Assert.Equal([1, 2, 3, 4], settings.Phases.Enabled.ToArray());
        Assert.Equal(20, settings.Selection.TopN);
        Assert.Equal(0.30, settings.Prioritization.Weights.Cost);
        Assert.Equal(5000m, settings.Escalation.CostDiscrepancyUsdPerMonth);
        Assert.Equal(1.0, settings.Escalation.AcceptanceThreshold);
        Assert.Equal(Environment.ProcessorCount, settings.Concurrency.MaxJobs);
        Assert.Equal(StateProvider.Sqlite, settings.State.Provider);
    }

    [Fact]
    public void The_init_template_loads_without_errors_and_equals_the_defaults()
    {
        using var workspace = new TestWorkspace();
        var (settings, errors) = Parse(ConfigTemplate.Text, workspace: workspace);
        Assert.Empty(errors);
        Assert.Equal(ModernizeSettings.Default.Phases.Enabled.ToArray(), settings.Phases.Enabled.ToArray());
        Assert.Equal(ModernizeSettings.Default.Prioritization, settings.Prioritization);
        Assert.Equal(ModernizeSettings.Default.Escalation, settings.Escalation);
        Assert.Equal(ModernizeSettings.Default.Tags.ComplianceCritical.ToArray(), settings.Tags.ComplianceCritical.ToArray());
        Assert.Equal(ModernizeSettings.Default.Lake.Mounts, settings.Lake.Mounts);
        Assert.Equal(ModernizeSettings.Default.Budgets, settings.Budgets);
    }

    [Fact]
    public void Weights_that_do_not_sum_to_one_are_reported_with_file_line_and_key()
    {
        var (_, errors) = Parse("""
            selection:
              top_n: 5
            prioritization:
              weights:
                cost: 0.5
            """);
        var error = Assert.Single(errors);
        Assert.Equal("modernize.yaml", error.Source);
        Assert.Equal(4, error.Line);
        Assert.Equal("prioritization.weights", error.Key);
        Assert.Contains("sum to 1.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_and_out_of_range_values_are_all_reported()
    {
        var (_, errors) = Parse("""
            phases:
              enabled: [1, 7]
            escalation:
              regulatory_confidence_floor: 1.5
              top_n_metadta: 50
            colour: blue
            """);
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Key == "phases.enabled" && e.Line == 2 && e.Message.Contains("1 to 4", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "escalation.regulatory_confidence_floor" && e.Line == 4 && e.Message.Contains("got '1.5'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "escalation.top_n_metadta" && e.Line == 5 && e.Message.Contains("unknown key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "colour" && e.Line == 6);
    }

    [Fact]
    public void Environment_variables_override_the_file_and_are_named_in_errors()
    {
        var environment = new Dictionary<string, string>
        {
            ["MODERNIZE__SELECTION__TOP_N"] = "7",
            ["MODERNIZE__SELECTION__JOBS"] = "a, b",
            ["MODERNIZE__CONCURRENCY__MAX_JOBS"] = "lots",
        };
        var (settings, errors) = Parse("selection:\n  top_n: 3\n", environment);
        Assert.Equal(7, settings.Selection.TopN);
        Assert.Equal(["a", "b"], settings.Selection.Jobs.ToArray());
        var error = Assert.Single(errors);
        Assert.Equal("environment variable MODERNIZE__CONCURRENCY__MAX_JOBS", error.Source);
        Assert.Null(error.Line);
    }

    [Fact]
    public void Postgres_takes_its_connection_string_from_the_environment_and_secrets_in_the_file_are_refused()
    {
        var environment = new Dictionary<string, string> { ["MODERNIZE_POSTGRES"] = "Host=db" };
        var (settings, errors) = Parse("state:\n  provider: postgres\nllm:\n  api_key: sk-123\n", environment);
        Assert.Equal("Host=db", settings.State.ConnectionString);
        var error = Assert.Single(errors);
        Assert.Equal("llm.api_key", error.Key);
        Assert.DoesNotContain("sk-123", error.ToString(), StringComparison.Ordinal);

        var (_, missing) = Parse("state:\n  provider: postgres\n");
        Assert.Contains(missing, e => e.Key == "state.connection_string" && e.Message.Contains("MODERNIZE_POSTGRES", StringComparison.Ordinal));
    }

    [Fact]
    public void Referenced_folders_must_exist_in_the_workspace()
    {
        using var workspace = new TestWorkspace();
        var (_, errors) = Parse("lake:\n  root: lake\n  mounts:\n    /mnt/raw: raw\n", workspace: workspace);
        var error = Assert.Single(errors);
        Assert.Equal("lake.mounts./mnt/raw", error.Key);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Databricks_needs_host_and_warehouse_and_max_jobs_accepts_cores()
    {
        var (settings, errors) = Parse("engine:\n  kind: databricks\nconcurrency:\n  max_jobs: cores\n");
        Assert.Equal(Environment.ProcessorCount, settings.Concurrency.MaxJobs);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(2, e.Line));
    }

    [Fact]
    public async Task Loading_throws_with_every_error_and_the_file_path()
    {
        using var workspace = new TestWorkspace();
        await File.WriteAllTextAsync(workspace.Paths.ConfigFile, "selection:\n  top_n: zero\n");
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => new SettingsLoader(NoEnvironment).LoadAsync(workspace.Paths, CancellationToken.None));
        Assert.Contains(workspace.Paths.ConfigFile + ":2: selection.top_n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_line()
    {
        var (_, errors) = Parse("selection:\n  top_n: [1,\n");
        var error = Assert.Single(errors);
        Assert.NotNull(error.Line);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }
}
