using System.Text.Json;
using DuckDB.NET.Data;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests;

/// <summary>The Data Profiler (R2.2) and Validation Reconciler (R4.4, X4) stages on a small lake of Parquet tables.</summary>
public sealed class JobStageTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly WorkspacePaths _workspace;
    private readonly JobId _job = new("orders_daily");
    private readonly AgentTelemetry _telemetry = new();
    private readonly AgentServices _services;

    public JobStageTests()
    {
        _workspace = new WorkspacePaths(_dir.Path);
        _services = AgentServices.Create(ModernizeSettings.Default, _telemetry, _ => null);
    }

    [Fact]
    public async Task The_profiler_profiles_sources_and_targets_and_classifies_a_type_change_the_code_explains()
    {
        await WriteTableAsync("lake/raw/orders", "SELECT i AS order_id, CAST(i % 7 AS INTEGER) AS qty, CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' END AS coupon FROM range(100) t(i)");
        await WriteTableAsync("lake/curated/daily", "SELECT i AS order_id, CAST(i % 7 AS BIGINT) AS qty FROM range(100) t(i)");
        WriteAnalysis(fansOut: false);

        var outcome = await Run(RoleId.DataProfiler);

        Assert.Equal(StageStatus.Completed, outcome.Status);
        using var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(_workspace.JobOutput(_job), "profile.json")));
        var tables = profile.RootElement.GetProperty("tables").EnumerateArray().ToArray();
        Assert.Equal(["raw.orders", "curated.daily"], tables.Select(t => t.GetProperty("name").GetString()));
        var coupon = tables[0].GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "coupon");
        Assert.Equal(20, coupon.GetProperty("nulls").GetInt64());
        var mismatch = Assert.Single(outcome.Decisions, d => d.Kind == "schema_mismatch");
        Assert.Contains("intentional_transformation", mismatch.Rationale, StringComparison.Ordinal);
        Assert.All(outcome.Decisions, d => Assert.Equal(RoleId.DataProfiler, d.Role));
        Assert.Empty(outcome.Escalations);
    }

    [Fact]
    public async Task Curated_rows_far_above_raw_rows_without_a_fan_out_escalate_as_potential_corruption()
    {
        await WriteTableAsync("lake/raw/orders", "SELECT i AS order_id FROM range(10) t(i)");
        await WriteTableAsync("lake/curated/daily", "SELECT i % 10 AS order_id FROM range(40) t(i)");
        WriteAnalysis(fansOut: false);

        var outcome = await Run(RoleId.DataProfiler);

        Assert.Equal(StageStatus.Escalated, outcome.Status);
        Assert.Equal(EscalationKind.DataCorruption, Assert.Single(outcome.Escalations).Kind);
        Assert.Contains(outcome.Decisions, d => d.Kind == "potential_data_corruption" && d.Outcome == DecisionOutcome.Escalated);
    }

    [Fact]
    public async Task The_profiler_without_a_code_analysis_fails_with_a_clear_message()
    {
        var outcome = await Run(RoleId.DataProfiler);

        Assert.Equal(StageStatus.Failed, outcome.Status);
        Assert.Contains("analysis.json", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identical_rewrite_output_passes_reconciliation_exactly()
    {
        const string rows = "SELECT i AS order_id, CAST(i * 1.5 AS DECIMAL(10,2)) AS amount FROM range(50) t(i)";
        await WriteTableAsync("lake/curated/daily", rows);
        await WriteTableAsync(".modernize/jobs/orders_daily/rewrite/output/curated.daily", rows);
        WriteAnalysis(fansOut: false);

        var outcome = await Run(RoleId.ValidationReconciler);

        Assert.Equal(StageStatus.Completed, outcome.Status);
        var route = Assert.Single(outcome.Decisions);
        Assert.Equal("X4/exact-match", route.Rule);
        Assert.Equal(RoleId.ValidationReconciler, route.Role);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_workspace.JobOutput(_job), "reconciliation.json")));
        Assert.Equal("match", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(1.0, report.RootElement.GetProperty("match_rate").GetDouble());
    }

    [Fact]
    public async Task A_financial_column_mismatch_escalates_with_the_diff_report()
    {
        await WriteTableAsync("lake/curated/daily", "SELECT i AS order_id, CAST(i * 1.5 AS DECIMAL(10,2)) AS amount FROM range(50) t(i)");
        await WriteTableAsync(".modernize/jobs/orders_daily/rewrite/output/curated.daily",
            "SELECT i AS order_id, CAST(CASE WHEN i = 7 THEN 0 ELSE i * 1.5 END AS DECIMAL(10,2)) AS amount FROM range(50) t(i)");
        WriteAnalysis(fansOut: false);

        var outcome = await Run(RoleId.ValidationReconciler);

        Assert.Equal(StageStatus.Escalated, outcome.Status);
        Assert.Equal(EscalationKind.ReconciliationFailure, Assert.Single(outcome.Escalations).Kind);
        Assert.True(File.Exists(Path.Combine(_workspace.JobOutput(_job), "reconciliation.html")));
        Assert.Contains(outcome.Decisions, d => d.Kind == "mismatch_classification");
    }

    [Fact]
    public async Task A_missing_rewrite_output_fails_the_stage_instead_of_faking_a_verdict()
    {
        await WriteTableAsync("lake/curated/daily", "SELECT 1 AS order_id");
        WriteAnalysis(fansOut: false);

        var outcome = await Run(RoleId.ValidationReconciler);

        Assert.Equal(StageStatus.Failed, outcome.Status);
        Assert.Contains("no rewrite output", outcome.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace.JobOutput(_job), "reconciliation.json")));
    }

    [Fact]
    public async Task The_code_reviewer_analyzes_the_job_and_the_profiler_profiles_the_tables_it_found()
    {
        var code = Path.Combine(_workspace.JobCode(_job));
        Directory.CreateDirectory(code);
        File.WriteAllText(Path.Combine(code, "main.py"), """
            from pyspark.sql import SparkSession
            from pyspark.sql import functions as F

            spark = SparkSession.builder.getOrCreate()
            orders = spark.read.format("delta").load("/mnt/lake/raw/orders")
            # drop small orders
            daily = orders.filter(F.col("qty") >= 3).groupBy("order_id").agg(F.sum("qty").alias("qty"))
            daily.write.format("delta").mode("overwrite").save("/mnt/lake/curated/daily")
            """);
        await WriteTableAsync("lake/raw/orders", "SELECT i AS order_id, CAST(i % 7 AS INTEGER) AS qty FROM range(100) t(i)");
        await WriteTableAsync("lake/curated/daily", "SELECT i AS order_id, CAST(i % 7 AS BIGINT) AS qty FROM range(100) t(i) WHERE i % 7 >= 3");

        var review = await Run(RoleId.CodeReviewer);
        var profile = await Run(RoleId.DataProfiler);

        Assert.Contains(review.Status, new[] { StageStatus.Completed, StageStatus.Escalated });
        Assert.Equal(["jobs/orders_daily/analysis.json", "jobs/orders_daily/analysis.md", "jobs/orders_daily/lineage.json"], review.Artifacts.Select(a => a.Path));
        Assert.All(review.Decisions, d => Assert.Equal(RoleId.CodeReviewer, d.Role));
        using var analysis = JsonDocument.Parse(File.ReadAllText(Path.Combine(_workspace.JobOutput(_job), "analysis.json")));
        Assert.Contains("raw.orders", analysis.RootElement.GetProperty("sources").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("curated.daily", analysis.RootElement.GetProperty("targets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(StageStatus.Completed, profile.Status);
        Assert.Equal(2, profile.Decisions.Count(d => d.Kind == "table_profiled"));
    }

    [Fact]
    public async Task A_selected_job_without_code_stops_at_code_review_with_no_code()
    {
        var outcome = await Run(RoleId.CodeReviewer);

        Assert.Equal(StageStatus.NoCode, outcome.Status);
    }

    [Fact]
    public void The_catalog_offers_only_roles_whose_engine_exists_and_names_the_others()
    {
        var works = new StageWorkCatalog(_services).CreateAll();

        Assert.Equal(StageWorkCatalog.AvailableRoles, works.Select(w => w.Role));
        Assert.All(works, w => Assert.Equal(RoleCatalog.Get(w.Role).Stage, w.Stage));
        Assert.Equal(16 - 1 - works.Length, StageWorkCatalog.Unavailable.Length);
        Assert.DoesNotContain(StageWorkCatalog.Unavailable, u => u.Role == RoleId.CodeWriter);
        Assert.Contains(StageWorkCatalog.Unavailable, u => u.Role == RoleId.SpecWriter);
        Assert.Throws<ArgumentException>(() => new StageWorkCatalog(_services).Create(RoleId.SpecWriter));
    }

    private Task<StageOutcome> Run(RoleId role) =>
        new StageWorkCatalog(_services).Create(role).RunAsync(new StageContext(_workspace, _job, ModernizeSettings.Default, 1), CancellationToken.None);

    private void WriteAnalysis(bool fansOut)
    {
        var output = _workspace.JobOutput(_job);
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "analysis.json"), $$"""
            {"job_id":"orders_daily","sources":["raw.orders"],"targets":["curated.daily"],
             "column_lineage":{"curated.daily.qty":["raw.orders.qty"],"curated.daily.order_id":["raw.orders.order_id"]},
             "transformations":[{"kind":"{{(fansOut ? "join" : "filter")}}","file":"jobs/orders_daily/main.py","line":3,"description":"x"}],
             "anti_patterns":[],"suspected_defects":[],"assumptions":[]}
            """);
    }

    /// <summary>Test data only: a one-file Parquet table written by DuckDB outside the product's sandbox.</summary>
    private async Task WriteTableAsync(string relativeFolder, string select)
    {
        var folder = Path.Combine(_dir.Path, relativeFolder);
        Directory.CreateDirectory(folder);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{Path.Combine(folder, "part-0.parquet").Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        _services.Dispose();
        _telemetry.Dispose();
        _dir.Dispose();
    }
}
