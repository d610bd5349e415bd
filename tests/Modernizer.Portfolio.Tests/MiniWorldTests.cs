using Modernizer.Domain.Decisions;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio.Tests;

/// <summary>Runs tier 1 once over <see cref="MiniWorld"/>.</summary>
public sealed class MiniWorldFixture : IAsyncLifetime
{
    private TempWorkspace? _workspace;

    public TempWorkspace Workspace => _workspace!;

    public Tier1Result Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _workspace = MiniWorld.Create();
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        Result = await Tier1.RunAsync(_workspace.Paths, engine, PortfolioOptions.Default, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _workspace?.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class MiniWorldTests(MiniWorldFixture world) : IClassFixture<MiniWorldFixture>
{
    private Scanning.InventoryJob Job(string id) => world.Result.Scan.Inventory.Find(id) ?? throw new Xunit.Sdk.XunitException($"{id} not in the inventory");

    [Fact]
    public void Inventory_holds_every_form_keyed_per_workspace_and_leaves_deleted_jobs_out()
    {
        var ids = world.Result.Scan.Inventory.Jobs.Select(j => j.JobId).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["111-101", "111-103", "111-999", "222-101", "inventory_sync", "orders_daily", "sales_dag"], ids);
    }

    [Fact]
    public void Lakeflow_jobs_take_the_latest_scd2_row()
    {
        var job = Job("111-101");
        Assert.Equal("Billing ETL", job.Name);
        Assert.Equal("0 0 3 * * ?", job.Schedule);
        Assert.Equal("daily", job.ScheduleFrequency);
        Assert.Contains("compliance=GDPR", job.Tags);
        Assert.Equal("Other workspace job", Job("222-101").Name);
        Assert.Equal("hourly", Job("111-103").ScheduleFrequency);
    }

    [Fact]
    public void Lakeflow_slices_add_up_and_only_the_terminal_slice_decides_the_state()
    {
        var job = Job("111-101");
        Assert.Equal(2, job.Runs);
        Assert.Equal((9000 + 1200) / 2.0, job.AvgRuntimeS); // 2.5 h over three slices, and 20 min
        Assert.Equal(0.5, job.FailureRate);
    }

    [Fact]
    public void Airflow_dag_runs_make_a_job()
    {
        var job = Job("sales_dag");
        Assert.Equal("@daily", job.Schedule);
        Assert.Equal("daily", job.ScheduleFrequency);
        Assert.Equal(2, job.Runs);
        Assert.Equal(0.5, job.FailureRate);
        Assert.Equal(["sales"], job.Tags.ToArray());
    }

    [Fact]
    public void A_job_in_two_forms_is_merged_from_the_most_complete_one_with_a_decision()
    {
        var job = Job("orders_daily");
        Assert.Equal(["simple", "job_yaml"], job.CatalogForms.ToArray());
        Assert.Equal("Orders daily", job.Name); // jobs.csv has all five fields, job.yaml four (no last_modified)
        Assert.True(job.HasCode);
        Assert.Contains(world.Result.Scan.Decisions, d => d.Kind == "catalog_forms_merged" && d.JobId?.Value == "orders_daily");
    }

    [Fact]
    public void Bad_rows_are_counted_with_file_and_line_and_the_rest_is_read()
    {
        var ingestion = world.Result.Scan.Inventory.Ingestion;
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/runs.csv" && b.Line == 20 && b.Problem.Contains("start_time", StringComparison.Ordinal));
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/runs.csv" && b.Line == 21 && b.Problem.Contains("rows_read", StringComparison.Ordinal));
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/lakeflow/job_run_timeline.jsonl" && b.Line == 19 && b.Problem == "the line is not a JSON object");
        Assert.Equal(3, ingestion.BadRowCount);
        Assert.Equal(9, Job("orders_daily").Runs);
        Assert.Contains(world.Result.Scan.Decisions, d => d.Kind == "bad_rows_skipped");
    }

    [Fact]
    public void Edges_say_where_they_came_from()
    {
        var billing = Job("111-101");
        var fromFeed = Assert.Single(billing.UpstreamEdges, e => e.JobId == "111-103");
        Assert.Equal(["lineage_export"], fromFeed.Sources.ToArray());
        Assert.Contains("main.raw.feed", fromFeed.Via);
        var toFeed = Assert.Single(billing.DownstreamEdges, e => e.JobId == "111-103");
        Assert.Equal(["task_dependencies"], toFeed.Sources.ToArray());
    }

    [Fact]
    public void Missing_schedule_is_inferred_from_run_cadence_with_confidence()
    {
        var inferred = Job("inventory_sync").Inferred["schedule"];
        Assert.Equal("daily", inferred.Value);
        Assert.Equal("run cadence", inferred.From);
        Assert.InRange(inferred.Confidence, 0.5, 0.95);
        Assert.Null(Job("inventory_sync").Schedule);
    }

    [Fact]
    public void Completely_missing_metadata_of_a_top_job_escalates_and_only_that()
    {
        var mystery = Job("111-999");
        Assert.True(mystery.MetadataMissing);
        Assert.Null(mystery.Name);
        Assert.Equal("mystery_loader", mystery.Inferred["name"].Value);
        var escalation = Assert.Single(world.Result.Scan.Escalations);
        Assert.Equal(EscalationKind.MissingMetadataTopJob, escalation.Kind);
        Assert.Equal("111-999", escalation.JobId?.Value);
    }

    [Fact]
    public void Health_scores_list_their_components()
    {
        foreach (var job in world.Result.Scan.Inventory.Jobs)
        {
            Assert.InRange(job.HealthScore, 1, 10);
            Assert.Equal(["failure_rate", "runtime_trend", "sla_breaches", "ticket_load", "staleness"], job.HealthComponents.Select(c => c.Name).ToArray());
        }

        Assert.True(Job("orders_daily").HealthScore < Job("222-101").HealthScore);
    }
}
