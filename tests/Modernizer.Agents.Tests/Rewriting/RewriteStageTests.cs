using System.Text.Json;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>The Code Writer's stage (R4.1, X4): what it writes, decides and escalates.</summary>
public sealed class RewriteStageTests : IDisposable
{
    private const string Code = """
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        rows = spark.table("raw.t").orderBy("id").collect()
        totals = {}
        for r in rows:
            if r["status"] == "cancelled":
                continue
            totals[r["k"]] = totals.get(r["k"], 0.0) + r["x"]
        out = [(k, v) for k, v in totals.items()]
        spark.createDataFrame(out, "k STRING, total DOUBLE").write.mode("overwrite").saveAsTable("curated.result")
        """;

    private static readonly string[] Rows =
    [
        """{"id":1,"k":"a","x":1.5,"status":"ok"}""", """{"id":2,"k":"b","x":2.0,"status":"cancelled"}""", """{"id":3,"k":"a","x":0.25,"status":"ok"}""", """{"id":4,"k":"c","x":3.0,"status":"ok"}""",
    ];

    private readonly AgentTelemetry _telemetry = new();
    private readonly AgentServices _services;

    public RewriteStageTests() => _services = AgentServices.Create(ModernizeSettings.Default, _telemetry, _ => null);

    [Fact]
    public async Task A_rewrite_that_reconciles_exactly_is_written_logged_and_completed()
    {
        using var workspace = await LegacyAsync();

        var outcome = await RunAsync(workspace);

        Assert.Equal(StageStatus.Completed, outcome.Status);
        var layout = RewriteLayout.For(workspace.Paths, new JobId("job"));
        Assert.True(File.Exists(layout.SparkSql));
        Assert.True(File.Exists(layout.DuckDbSql));
        Assert.True(File.Exists(Path.Combine(layout.OutputOf("curated.result"), "part-00000.parquet")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(layout.Manifest));
        var root = manifest.RootElement;
        Assert.Equal("validated", root.GetProperty("status").GetString());
        Assert.Equal(RewriteLayout.Hash(layout.Folder), root.GetProperty("rewrite_hash").GetString());
        Assert.True(root.GetProperty("loops_before").GetInt32() > 0);
        Assert.Equal(0, root.GetProperty("loops_after").GetInt32());
        Assert.Equal("exact", root.GetProperty("reconciliation").GetProperty("status").GetString());
        Assert.Contains(root.GetProperty("patterns").EnumerateArray(), p => p.GetProperty("sql").GetString()!.Contains("curated.result", StringComparison.Ordinal));
        using var reconciliation = JsonDocument.Parse(File.ReadAllText(Path.Combine(workspace.Paths.JobOutput(new JobId("job")), "reconciliation.json")));
        Assert.Equal(RewriteLayout.Hash(layout.Folder), reconciliation.RootElement.GetProperty("rewrite_hash").GetString());
        Assert.Contains("main.py", File.ReadAllText(layout.Review), StringComparison.Ordinal);
        Assert.Contains(outcome.Decisions, d => d.Kind == "rewrite_attempt" && d.Outcome == DecisionOutcome.Autonomous);
        Assert.Contains(outcome.Decisions, d => d.Kind == "rewrite_result");
        Assert.All(outcome.Decisions, d => Assert.Equal(RoleId.CodeWriter, d.Role));
    }

    [Fact]
    public async Task A_legacy_output_the_rewrite_cannot_reproduce_is_escalated_with_the_diff()
    {
        using var workspace = await LegacyAsync();
        // Another process changed the legacy output after the run: no interpretation reproduces it.
        await workspace.AddInputAsync("curated.result", "k STRING, total DOUBLE", """{"k":"a","total":1.75}""", """{"k":"c","total":3.5}""");

        var outcome = await RunAsync(workspace);

        Assert.Equal(StageStatus.Escalated, outcome.Status);
        var escalation = Assert.Single(outcome.Escalations);
        Assert.Equal(EscalationKind.NoExactRewrite, escalation.Kind);
        Assert.Contains("curated.result", escalation.Summary, StringComparison.Ordinal);
        Assert.Contains(outcome.Decisions, d => d.Kind == "rewrite_attempt" && d.Outcome == DecisionOutcome.Escalated);
        using var manifest = JsonDocument.Parse(File.ReadAllText(RewriteLayout.For(workspace.Paths, new JobId("job")).Manifest));
        Assert.Equal("escalated", manifest.RootElement.GetProperty("status").GetString());
        Assert.Equal("mismatch", manifest.RootElement.GetProperty("attempts")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_job_without_code_stops_as_no_code()
    {
        using var workspace = await LegacyAsync();
        Directory.Delete(Path.Combine(workspace.Paths.Root, "jobs", "job"), recursive: true);

        var outcome = await RunAsync(workspace);

        Assert.Equal(StageStatus.NoCode, outcome.Status);
    }

    private static async Task<LegacyWorkspace> LegacyAsync()
    {
        var workspace = new LegacyWorkspace("job", Code);
        await workspace.AddInputAsync("raw.t", "id BIGINT, k STRING, x DOUBLE, status STRING", Rows);
        await workspace.RunLegacyAsync("curated.result", "k STRING, total DOUBLE");
        return workspace;
    }

    private Task<StageOutcome> RunAsync(LegacyWorkspace workspace) =>
        new StageWorkCatalog(_services).Create(RoleId.CodeWriter)
            .RunAsync(new StageContext(workspace.Paths, new JobId("job"), ModernizeSettings.Default, 1), CancellationToken.None);

    public void Dispose()
    {
        _services.Dispose();
        _telemetry.Dispose();
    }
}
