using Modernizer.Specs.Plans;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Tests.Support;

namespace Modernizer.Specs.Tests;

/// <summary>The Requirements Inferencer (R2.3) on the test workspace: every plan site has a requirement with
/// evidence, data facts come from queries whose results are kept, and a low-confidence reading is settled
/// by a query against the legacy output.</summary>
public sealed class RequirementsInferenceTests(MiniShop shop) : IClassFixture<MiniShop>
{
    private readonly Lazy<Task<SpecsRun>> _run = new(() => SpecsRun.RunAsync(shop.Workspace, shop.Job, shop.Settings, tests: false));

    [Fact]
    public async Task Every_filter_join_aggregate_and_derived_column_has_a_requirement_with_evidence()
    {
        var run = await _run.Value;
        var kinds = new[] { "filter", "join", "aggregate", "derived_column", "case" };
        var sites = run.Inputs.Sites.Where(s => kinds.Contains(s.Kind)).ToList();
        Assert.Contains(sites, s => s is FilterSite { Text: "status = 'PAID'" });
        Assert.Contains(sites, s => s is FilterSite { Text: "qty >= 2" });
        Assert.Contains(sites, s => s is JoinSite);
        Assert.Contains(sites, s => s is DerivedColumnSite { Name: "amount_usd" });
        foreach (var site in sites)
        {
            var requirement = Assert.Single(run.Requirements.Requirements, r => r.Origin.Site == site.Id && r.Category == site.Kind);
            Assert.Contains(requirement.Evidence, e => e.Kind == EvidenceSource.Code);
        }
    }

    [Fact]
    public async Task A_filter_carries_its_source_count_and_the_check_that_every_output_row_satisfies_it()
    {
        var run = await _run.Value;
        var qty = run.Requirements.Requirements.Single(r => r.Category == "filter" && r.Statement.Contains("qty >= 2", StringComparison.Ordinal));
        var source = Assert.Single(qty.Evidence, e => e.Kind == EvidenceSource.SourceData);
        // 40 orders: qty is null for i % 13 == 0 (3 rows), 1 for i % 6 == 0 and not i % 13 (6 rows), else 2..4.
        Assert.Equal("40", source.Query!.Value("rows"));
        Assert.Equal("31", source.Query.Value("kept"));
        Assert.Equal("6", source.Query.Value("dropped"));
        Assert.Equal("3", source.Query.Value("unknown"));
        var output = Assert.Single(qty.Evidence, e => e.Kind == EvidenceSource.OutputData);
        Assert.Equal("0", output.Query!.Value("violating"));
        Assert.True(output.Supports);
        Assert.Equal(RequirementStatus.Verified, qty.Status);
        Assert.Contains("count(*) FILTER", output.Query.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_join_requirement_states_unmatched_rows_and_repeated_keys_from_the_lake()
    {
        var run = await _run.Value;
        var join = run.Requirements.Requirements.Single(r => r.Category == "join");
        Assert.Contains("Every row of raw.orders is kept", join.Statement, StringComparison.Ordinal);
        var match = Assert.Single(join.Evidence, e => e.Kind == EvidenceSource.SourceData).Query!;
        Assert.Equal("1", match.Value("right_duplicate_keys"));
        Assert.NotEqual("0", match.Value("left_unmatched"));
        Assert.Contains(run.Requirements.Requirements, r => r.Category == "duplicates" && r.Kind == RequirementKind.EdgeCase);
    }

    [Fact]
    public async Task Contracts_error_handling_sla_and_edge_cases_are_stated()
    {
        var run = await _run.Value;
        var requirements = run.Requirements.Requirements;
        Assert.Equal(2, requirements.Count(r => r.Kind == RequirementKind.InputContract));
        var output = Assert.Single(requirements, r => r.Kind == RequirementKind.OutputContract);
        Assert.Contains("curated.orders_usd is written (overwrite)", output.Statement, StringComparison.Ordinal);
        Assert.Contains(requirements, r => r.Kind == RequirementKind.ErrorHandling && r.Category == "missing_input");
        Assert.Contains(requirements, r => r.Kind == RequirementKind.Sla && r.Statement.Contains("0 0 6 * * ?", StringComparison.Ordinal));
        Assert.Contains(requirements, r => r.Category == "nulls" && r.Columns.Contains("raw.orders.status"));
        Assert.Contains(requirements, r => r.Category == "boundary" && r.Statement.Contains("are kept", StringComparison.Ordinal));
        Assert.Contains(requirements, r => r.Category == "empty_input");
        Assert.All(requirements, r => Assert.InRange(r.Confidence, 0, 1));
    }

    [Fact]
    public async Task Requirements_below_the_floor_are_consulted_and_resolved_against_the_legacy_output()
    {
        var run = await _run.Value;
        var resolved = run.Requirements.Requirements.Where(r => r.InitialConfidence is not null).ToList();
        Assert.NotEmpty(resolved);
        Assert.All(resolved, r =>
        {
            Assert.True(r.InitialConfidence < 0.8);
            Assert.Single(r.Interpretations, i => i.Chosen);
        });
        Assert.NotEmpty(run.Requirements.Consultations);
    }

    [Fact]
    public async Task Purpose_and_site_coverage_are_written_and_read_back()
    {
        var run = await _run.Value;
        Assert.StartsWith("Shop orders in USD: Converts paid orders", run.Requirements.Purpose, StringComparison.Ordinal);
        var folder = Path.Combine(shop.Root, "out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await RequirementsWriter.WriteAsync(folder, run.Requirements, CancellationToken.None);
        var read = await RequirementsWriter.ReadAsync(folder, CancellationToken.None);
        Assert.Equal(run.Requirements.Requirements.Select(r => (r.Id, r.Statement, r.Confidence, r.Status)), read.Requirements.Select(r => (r.Id, r.Statement, r.Confidence, r.Status)));
        Assert.All(read.Sites.Where(s => s.Kind is "filter" or "join" or "derived_column"), s => Assert.NotEmpty(s.Requirements));
    }
}
