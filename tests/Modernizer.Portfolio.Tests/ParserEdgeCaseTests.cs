using Modernizer.Domain.Decisions;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Tests;

/// <summary>Each export format and its edge cases, read through the scanner and the FinOps analyst.</summary>
public sealed class ParserEdgeCaseTests
{
    private static async Task<Tier1Result> RunAsync(TempWorkspace ws, PortfolioOptions? options = null)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        return await Tier1.RunAsync(ws.Paths, engine, options ?? PortfolioOptions.Default, CancellationToken.None);
    }

    [Fact]
    public async Task Parquet_exports_with_struct_metadata_and_map_tags_are_read()
    {
        using var ws = new TempWorkspace();
        await ws.WriteParquetAsync("catalog/lakeflow/jobs.parquet", """
            SELECT 'acc' AS account_id, '7' AS workspace_id, '1' AS job_id, 'Parquet job' AS name, MAP {'compliance': 'HIPAA'} AS tags,
                   TIMESTAMP '2025-01-01 00:00:00' AS change_time, CAST(NULL AS TIMESTAMP) AS delete_time,
                   '{"periodic":{"interval":6,"unit":"HOURS"}}' AS "trigger", false AS paused
            """);
        await ws.WriteParquetAsync("catalog/lakeflow/job_run_timeline.parquet", """
            SELECT '7' AS workspace_id, '1' AS job_id, CAST(i AS VARCHAR) AS run_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_hours(CAST(6 * i AS BIGINT)) AS period_start_time,
                   TIMESTAMPTZ '2026-01-01 00:10:00+00' + to_hours(CAST(6 * i AS BIGINT)) AS period_end_time, 'SUCCEEDED' AS result_state
            FROM range(8) t(i)
            """);
        await ws.WriteParquetAsync("finops/billing/usage.parquet", """
            SELECT '7' AS workspace_id, 'SKU' AS sku_name, 'AWS' AS cloud, TIMESTAMPTZ '2026-01-01 01:00:00+00' AS usage_start_time,
                   CAST(12.5 AS DECIMAL(18,6)) AS usage_quantity, 'ORIGINAL' AS record_type, {'job_id': '1', 'job_run_id': '0', 'job_name': 'Parquet job'} AS usage_metadata
            """);
        await ws.WriteParquetAsync("finops/billing/list_prices.parquet", """
            SELECT TIMESTAMPTZ '2020-01-01 00:00:00+00' AS price_start_time, CAST(NULL AS TIMESTAMPTZ) AS price_end_time, 'SKU' AS sku_name, 'AWS' AS cloud,
                   'USD' AS currency_code, {'default': '0.40', 'effective_list': {'default': '0.40'}} AS pricing
            """);

        var result = await RunAsync(ws);

        var job = Assert.Single(result.Scan.Inventory.Jobs);
        Assert.Equal(("7-1", "Parquet job", "every 6 hours", 8L), (job.JobId, job.Name, job.ScheduleFrequency, job.Runs));
        Assert.Equal(["compliance=HIPAA"], job.Tags.ToArray());
        Assert.Equal(5.00m, Assert.Single(result.FinOps.Report.MonthlyCosts).BillingUsd); // 12.5 DBU × $0.40
        Assert.Equal(0, result.Scan.Inventory.Ingestion.BadRowCount);
    }

    [Fact]
    public async Task Jsonl_nested_metadata_may_be_an_object_or_json_text()
    {
        using var ws = new TempWorkspace()
            .Write("catalog/runs.csv", "job_id,run_id,start_time,end_time,status\n9-5,r1,2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,SUCCESS\n")
            .Write("finops/billing/usage.jsonl", """
                {"workspace_id":"9","sku_name":"S","cloud":"AWS","usage_start_time":"2026-01-01T00:00:00Z","usage_quantity":"10","usage_metadata":{"job_id":"5"}}
                {"workspace_id":"9","sku_name":"S","cloud":"AWS","usage_start_time":"2026-01-02T00:00:00Z","usage_quantity":"5","usage_metadata":"{\"job_id\":\"5\"}"}
                {"workspace_id":"9","sku_name":"S","cloud":"AWS","usage_start_time":"2026-01-03T00:00:00Z","usage_quantity":"lots","usage_metadata":{"job_id":"5"}}
                """)
            .Write("finops/billing/list_prices.csv", "price_start_time,price_end_time,sku_name,cloud,currency_code,pricing\n2020-01-01T00:00:00Z,,S,AWS,USD,\"{\"\"default\"\": \"\"1.00\"\"}\"\n");

        var result = await RunAsync(ws);

        Assert.Equal(15.00m, Assert.Single(result.FinOps.Report.MonthlyCosts, m => m.JobId == "9-5").BillingUsd); // pricing.default when no effective_list
        var bad = Assert.Single(result.FinOps.Report.Ingestion.BadRows);
        Assert.Equal(("finops/billing/usage.jsonl", 3L), (bad.File, bad.Line));
        Assert.Contains("usage_quantity", bad.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_headers_match_case_insensitively_and_missing_optional_columns_are_null()
    {
        using var ws = new TempWorkspace()
            .Write("catalog/jobs.csv", "JOB_ID,Name\na_job,A job\n")
            .Write("catalog/runs.csv", "job_id,start_time,end_time,status\na_job,2026-01-01T00:00:00,2026-01-01T00:00:30,SUCCESS\n");

        var job = Assert.Single((await RunAsync(ws)).Scan.Inventory.Jobs);

        Assert.Equal(("a_job", "A job", 30.0), (job.JobId, job.Name, job.AvgRuntimeS)); // naive timestamps are UTC
        Assert.Null(job.Schedule);
        Assert.Null(job.Owner);
        Assert.Null(job.DataVolumeRows);
        Assert.Null(job.LastModified);
    }

    [Fact]
    public async Task Missing_metadata_outside_the_top_n_is_inferred_but_not_escalated()
    {
        var runs = new System.Text.StringBuilder("job_id,run_id,start_time,end_time,status,rows_read,rows_written\n");
        for (var d = 1; d <= 9; d++)
        {
            runs.Append(System.Globalization.CultureInfo.InvariantCulture, $"busy,b{d}a,2026-01-0{d}T00:00:00Z,2026-01-0{d}T00:05:00Z,SUCCESS,10,10\n");
            runs.Append(System.Globalization.CultureInfo.InvariantCulture, $"busy,b{d}b,2026-01-0{d}T12:00:00Z,2026-01-0{d}T12:05:00Z,SUCCESS,10,10\n");
            runs.Append(System.Globalization.CultureInfo.InvariantCulture, $"quiet,q{d},2026-01-0{d}T03:00:00Z,2026-01-0{d}T03:05:00Z,SUCCESS,1,1\n");
        }

        using var ws = new TempWorkspace().Write("catalog/runs.csv", runs.ToString());

        var result = await RunAsync(ws, PortfolioOptions.Default with { TopNMetadata = 1 });

        var escalation = Assert.Single(result.Scan.Escalations);
        Assert.Equal((EscalationKind.MissingMetadataTopJob, "busy"), (escalation.Kind, escalation.JobId?.Value));
        var quiet = result.Scan.Inventory.Find("quiet")!;
        Assert.True(quiet.MetadataMissing);
        Assert.Equal("daily", quiet.Inferred["schedule"].Value);
        Assert.Equal("every 12 hours", result.Scan.Inventory.Find("busy")!.Inferred["schedule"].Value);
    }

    [Fact]
    public async Task An_empty_workspace_gives_an_empty_inventory()
    {
        using var ws = new TempWorkspace();
        var result = await RunAsync(ws);
        Assert.Empty(result.Scan.Inventory.Jobs);
        Assert.Empty(result.Backlog.Backlog.Candidates);
        Assert.Empty(result.Escalations);
    }
}

/// <summary>SLA deadlines in other zones and overnight runs (docs/finops.md).</summary>
public sealed class SlaTests
{
    [Fact]
    public async Task Overnight_runs_are_held_to_the_next_morning_and_late_starts_to_the_same_deadline()
    {
        using var ws = new TempWorkspace()
            .Write("catalog/runs.csv", """
                job_id,run_id,start_time,end_time,status
                night,1,2026-01-05T23:30:00+01:00,2026-01-06T01:00:00+01:00,SUCCESS
                night,2,2026-01-06T23:30:00+01:00,2026-01-07T09:30:00+01:00,SUCCESS
                night,3,2026-01-08T07:00:00+01:00,2026-01-08T08:30:00+01:00,SUCCESS
                night,4,2026-01-09T07:00:00+01:00,2026-01-09T07:30:00+01:00,FAILED
                """)
            .Write("finops/slas.csv", "job_id,deadline,timezone\nnight,08:00,Europe/Berlin\n");
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        var result = await Tier1.RunAsync(ws.Paths, engine, PortfolioOptions.Default, CancellationToken.None);

        var job = result.FinOps.Report.Find("night")!;
        Assert.Equal(4, job.SlaRuns);
        Assert.Equal(3, job.SlaBreaches); // run 1 on time; 2 ends 09:30 next morning; 3 starts an hour late; 4 failed
    }
}
