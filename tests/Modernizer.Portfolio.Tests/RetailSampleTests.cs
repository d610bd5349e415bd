using System.Text.Json;
using Modernizer.Domain.Decisions;
using Modernizer.Lake.Engines;
using Modernizer.Samples;

namespace Modernizer.Portfolio.Tests;

/// <summary>Generates the retail sample's catalog and finops exports once (no lake) and runs tier 1.</summary>
public sealed class RetailSampleFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "modernizer-retail-" + Guid.NewGuid().ToString("N"));

    public Tier1Result Result { get; private set; } = null!;

    public JsonElement Answers { get; private set; }

    public async Task InitializeAsync()
    {
        await SampleWorkspaceWriter.WriteAsync(Root, new SampleOptions { IncludeLake = false }, null, CancellationToken.None);
        using var answers = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "answers.json")));
        Answers = answers.RootElement.GetProperty("portfolio").Clone();
        var thresholds = Answers.GetProperty("thresholds");
        var options = PortfolioOptions.Default with
        {
            CostDiscrepancyUsdPerMonth = thresholds.GetProperty("cost_discrepancy_usd_per_month").GetDecimal(),
            TopNMetadata = thresholds.GetProperty("top_n_metadata").GetInt32(),
        };
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        Result = await Tier1.RunAsync(new Domain.Workspace.WorkspacePaths(Root), engine, options, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Acceptance against samples/retail/answers.json (R1.1, R1.2, R1.3, X3 rows 1-3).</summary>
public sealed class RetailSampleTests(RetailSampleFixture sample) : IClassFixture<RetailSampleFixture>
{
    private static string Snake(EscalationKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    [Fact]
    public void Every_planted_escalation_happens_and_nothing_else_escalates()
    {
        var expected = sample.Answers.GetProperty("escalations").EnumerateArray()
            .Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("job_id").GetString()}").Order(StringComparer.Ordinal).ToArray();
        var actual = sample.Result.Escalations.Select(e => $"{Snake(e.Kind)}:{e.JobId?.Value}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Planted_cost_discrepancy_is_reported_with_its_amount()
    {
        foreach (var planted in sample.Answers.GetProperty("escalations").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "cost_discrepancy"))
        {
            var jobId = planted.GetProperty("job_id").GetString();
            var conflict = Assert.Single(sample.Result.FinOps.Report.Conflicts, c => c.JobId == jobId && c.Month == planted.GetProperty("month").GetString());
            Assert.Equal(planted.GetProperty("usd_per_month").GetDecimal(), conflict.DifferenceUsd);
        }
    }

    [Fact]
    public void Planted_finance_conflicts_are_detected_and_resolved_conservatively()
    {
        foreach (var planted in sample.Answers.GetProperty("finance_conflicts").EnumerateArray())
        {
            var conflict = Assert.Single(sample.Result.FinOps.Report.Conflicts,
                c => c.JobId == planted.GetProperty("job_id").GetString() && c.Month == planted.GetProperty("month").GetString());
            Assert.Equal(planted.GetProperty("finance_usd").GetDecimal(), conflict.FinanceUsd);
            Assert.Equal(planted.GetProperty("run_log_usd").GetDecimal(), conflict.RunLogUsd);
            Assert.Equal(planted.GetProperty("conservative").GetString(), conflict.Conservative);
        }
    }

    [Fact]
    public void Only_the_planted_finance_conflicts_are_detected()
    {
        var planted = sample.Answers.GetProperty("finance_conflicts").EnumerateArray()
            .Select(c => $"{c.GetProperty("job_id").GetString()}@{c.GetProperty("month").GetString()}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(planted, sample.Result.FinOps.Report.Conflicts.Select(c => $"{c.JobId}@{c.Month}").Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_sla_pattern_job_feeds_its_lineage_consumers()
    {
        var escalated = sample.Answers.GetProperty("escalations").EnumerateArray()
            .Single(e => e.GetProperty("kind").GetString() == "sla_breach_downstream_impact").GetProperty("job_id").GetString()!;
        var job = sample.Result.Scan.Inventory.Find(escalated)!;
        Assert.Contains("store_inventory_report", job.Downstream);
        Assert.Contains("inventory_reorder", job.Downstream);
    }

    [Fact]
    public void Planted_inferred_metadata_is_inferred()
    {
        foreach (var planted in sample.Answers.GetProperty("inferred_metadata").EnumerateArray())
        {
            var job = sample.Result.Scan.Inventory.Find(planted.GetProperty("job_id").GetString()!);
            Assert.NotNull(job);
            var inferred = job.Inferred[planted.GetProperty("field").GetString()!];
            Assert.Equal(planted.GetProperty("value").GetString(), inferred.Value);
            Assert.Equal(planted.GetProperty("from").GetString(), inferred.From);
        }
    }

    [Fact]
    public void Planted_top_candidates_are_in_the_top_twenty()
    {
        var top = sample.Result.Backlog.Backlog.Candidates.Select(c => c.JobId).ToHashSet();
        Assert.Equal(20, top.Count);
        foreach (var planted in sample.Answers.GetProperty("top_candidates").EnumerateArray())
        {
            Assert.Contains(planted.GetString()!, top);
        }
    }

    [Fact]
    public void The_top_twenty_have_code_but_for_the_planted_catalog_only_jobs()
    {
        var withoutCode = sample.Result.Backlog.Backlog.Candidates.Where(c => !c.HasCode).Select(c => c.JobId).Order(StringComparer.Ordinal);
        var planted = sample.Answers.GetProperty("top_twenty_without_code").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(planted, withoutCode);
        Assert.Equal(18, sample.Result.Backlog.Backlog.Candidates.Count(c => c.HasCode));
    }

    [Fact]
    public void Ingestion_reads_the_sample_without_bad_rows()
    {
        Assert.Equal(0, sample.Result.Scan.Inventory.Ingestion.BadRowCount);
        Assert.True(sample.Result.Scan.Inventory.Jobs.Length > 300);
    }
}
