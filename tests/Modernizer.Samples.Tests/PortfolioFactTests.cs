using System.Globalization;
using System.Text.Json;

namespace Modernizer.Samples.Tests;

/// <summary>Deliverable 6: the catalog and finops exports hold the planted portfolio facts of answers.json.</summary>
[Collection(SampleWorkspaceCollection.Name)]
public sealed class PortfolioFactTests(SampleWorkspaceFixture sample) : IDisposable
{
    private readonly DuckDB.NET.Data.DuckDBConnection _db = SampleWorkspaceFixture.OpenDuckDb();

    public void Dispose() => _db.Dispose();

    private string P(string relative) => Path.Combine(sample.Workspace, relative).Replace('\\', '/');

    private JsonElement Portfolio
    {
        get
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Workspace, "answers.json")));
            return doc.RootElement.GetProperty("portfolio").Clone();
        }
    }

    private string Escalated(string kind) =>
        Portfolio.GetProperty("escalations").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == kind).GetProperty("job_id").GetString()!;

    private decimal Dec(string sql) => Convert.ToDecimal(SampleWorkspaceFixture.Scalar(_db, sql), CultureInfo.InvariantCulture);

    private long Long(string sql) => Convert.ToInt64(SampleWorkspaceFixture.Scalar(_db, sql), CultureInfo.InvariantCulture);

    private string LatestJobs => $"(SELECT * FROM read_parquet('{P("catalog/lakeflow/jobs.parquet")}') QUALIFY row_number() OVER (PARTITION BY workspace_id, job_id ORDER BY change_time DESC) = 1)";

    private string Runs => $"(SELECT job_id, run_id, sum(epoch(period_end_time) - epoch(period_start_time)) AS seconds, max(result_state) AS result_state, min(period_start_time) AS started, max(period_end_time) AS ended FROM read_parquet('{P("catalog/lakeflow/job_run_timeline.parquet")}') GROUP BY ALL)";

    [Fact]
    public void The_catalog_has_the_coded_jobs_and_at_least_300_catalog_only_jobs_with_a_year_of_runs()
    {
        Assert.True(Long($"SELECT count(*) FROM {LatestJobs} WHERE job_id::INTEGER >= 1000") >= 300);
        Assert.Equal(12, Long($"SELECT count(*) FROM {LatestJobs} WHERE job_id::INTEGER < 1000"));
        Assert.Equal(365, Long($"SELECT count(DISTINCT started::DATE) FROM {Runs} WHERE run_id::BIGINT % 1000000 < 500000"));
        Assert.True(Long($"SELECT count(*) FROM {Runs}") > 100_000);
    }

    [Fact]
    public void Long_runs_are_sliced_hourly_and_only_the_terminal_slice_has_a_result()
    {
        var timeline = $"read_parquet('{P("catalog/lakeflow/job_run_timeline.parquet")}')";
        Assert.Equal(0, Long($"SELECT count(*) FROM {timeline} WHERE period_end_time - period_start_time > INTERVAL 1 hour"));
        Assert.True(Long($"SELECT count(*) FROM (SELECT run_id FROM {timeline} GROUP BY run_id HAVING count(*) > 1)") > 1000);
        Assert.Equal(0, Long($"SELECT count(*) FROM (SELECT run_id FROM {timeline} GROUP BY run_id HAVING count(result_state) <> 1)"));
        Assert.Equal(0, Long($"SELECT count(*) FROM {timeline} t WHERE result_state IS NOT NULL AND period_end_time <> (SELECT max(period_end_time) FROM {timeline} x WHERE x.run_id = t.run_id)"));
    }

    [Fact]
    public void A_frequent_job_has_runs_but_no_metadata_at_all()
    {
        var jobId = Escalated("missing_metadata_top_job").Split('-')[1];
        Assert.Equal(0, Long($"SELECT count(*) FROM read_parquet('{P("catalog/lakeflow/jobs.parquet")}') WHERE job_id = '{jobId}'"));
        var rank = Long($"SELECT rank FROM (SELECT job_id, rank() OVER (ORDER BY count(*) DESC) AS rank FROM {Runs} GROUP BY job_id) WHERE job_id = '{jobId}'");
        Assert.InRange(rank, 1, 50);
    }

    [Fact]
    public void Jobs_with_missing_schedules_run_daily_in_the_logs()
    {
        foreach (var inferred in Portfolio.GetProperty("inferred_metadata").EnumerateArray())
        {
            var jobId = inferred.GetProperty("job_id").GetString()!.Split('-')[1];
            Assert.Equal(1, Long($"SELECT count(*) FROM {LatestJobs} WHERE job_id = '{jobId}' AND trigger IS NULL"));
            var perDay = Long($"SELECT max(n) FROM (SELECT count(*) AS n FROM {Runs} WHERE job_id = '{jobId}' AND run_id::BIGINT % 1000000 < 500000 GROUP BY started::DATE)");
            Assert.Equal(1, perDay);
        }
    }

    [Fact]
    public void Billing_and_finance_report_disagree_by_the_planted_amounts()
    {
        var prices = $"read_csv('{P("finops/billing/list_prices.csv")}', all_varchar = true)";
        var usage = $"read_parquet('{P("finops/billing/usage/*.parquet")}')";
        var costs = $"read_csv('{P("finops/costs.csv")}', all_varchar = true)";
        foreach (var conflict in Portfolio.GetProperty("finance_conflicts").EnumerateArray())
        {
            var inventoryId = conflict.GetProperty("job_id").GetString()!;
            var jobId = inventoryId.Split('-')[1];
            var month = conflict.GetProperty("month").GetString()!;
            var billed = Dec($"""
                SELECT sum(u.usage_quantity * coalesce(json_extract_string(p.pricing, '$.effective_list.default'), json_extract_string(p.pricing, '$.default'))::DECIMAL(18, 6))
                FROM {usage} u JOIN {prices} p ON p.sku_name = u.sku_name AND u.usage_start_time >= p.price_start_time::TIMESTAMPTZ
                 AND (p.price_end_time IS NULL OR u.usage_start_time < p.price_end_time::TIMESTAMPTZ)
                WHERE u.usage_metadata.job_id = '{jobId}' AND strftime(u.usage_start_time, '%Y-%m') = '{month}'
                """);
            Assert.Equal(conflict.GetProperty("run_log_usd").GetDecimal(), billed);
            Assert.Equal(conflict.GetProperty("finance_usd").GetDecimal(), Dec($"SELECT cost_usd::DECIMAL(18, 2) FROM {costs} WHERE job_id = '{inventoryId}' AND month = '{month}'"));
        }

        var discrepancy = Portfolio.GetProperty("escalations").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "cost_discrepancy");
        Assert.True(discrepancy.GetProperty("usd_per_month").GetDecimal() > Portfolio.GetProperty("thresholds").GetProperty("cost_discrepancy_usd_per_month").GetDecimal());
        Assert.Equal(2, Long($"SELECT count(DISTINCT price_start_time) FROM {prices} WHERE sku_name = 'STANDARD_JOBS_COMPUTE'"));
    }

    [Fact]
    public void The_sla_job_finishes_late_and_tickets_report_downstream_impact()
    {
        var inventoryId = Escalated("sla_breach_downstream_impact");
        var sla = SampleWorkspaceFixture.Rows(_db, $"SELECT deadline, timezone FROM read_csv('{P("finops/slas.csv")}', all_varchar = true) WHERE job_id = '{inventoryId}'").Single();
        var jobId = inventoryId.Split('-')[1];
        var late = Long($"SELECT count(*) FROM {Runs} WHERE job_id = '{jobId}' AND started >= TIMESTAMPTZ '2026-10-05 00:00:00+00' AND timezone('{sla[1]}', ended)::TIME > TIME '{sla[0]}:00'");
        var earlier = Long($"SELECT count(*) FROM {Runs} WHERE job_id = '{jobId}' AND started < TIMESTAMPTZ '2026-10-01 00:00:00+00' AND timezone('{sla[1]}', ended)::TIME > TIME '{sla[0]}:00'");
        Assert.True(late >= 10, $"only {late} late runs");
        Assert.True(earlier <= 3, $"{earlier} late runs before the pattern starts");
        var tickets = $"read_csv('{P("finops/tickets.csv")}', all_varchar = true)";
        Assert.True(Long($"SELECT count(*) FROM {tickets} WHERE downstream_impact = 'true' AND (job_id = '{inventoryId}' OR summary ILIKE '%inventory snapshot%' OR summary ILIKE '%inventory_snapshot_load%')") >= 5);
        Assert.True(Long($"SELECT count(*) FROM {tickets} WHERE job_id IS NULL") > 0);
    }

    [Fact]
    public void The_compliance_critical_job_is_among_the_five_most_expensive()
    {
        var jobId = Escalated("compliance_critical_in_top_five");
        var usage = $"read_parquet('{P("finops/billing/usage/*.parquet")}')";
        var rank = Long($"""
            SELECT rank FROM (SELECT usage_metadata.job_name AS name, rank() OVER (ORDER BY sum(usage_quantity) DESC) AS rank FROM {usage} GROUP BY ALL)
            WHERE name = '{jobId}'
            """);
        Assert.InRange(rank, 1, 5);
        Assert.Equal("SOX", SampleWorkspaceFixture.Scalar(_db, $"SELECT tags['compliance'] FROM {LatestJobs} WHERE name = '{jobId}'"));
    }

    [Fact]
    public void Simple_and_airflow_forms_are_present_with_their_contract_columns()
    {
        var jobsCsv = SampleWorkspaceFixture.Rows(_db, $"DESCRIBE SELECT * FROM read_csv('{P("catalog/jobs.csv")}')").Select(r => (string)r[0]!);
        Assert.Equal(["job_id", "name", "schedule", "owner", "tags", "code_path", "last_modified"], jobsCsv);
        var runsCsv = SampleWorkspaceFixture.Rows(_db, $"DESCRIBE SELECT * FROM read_csv('{P("catalog/runs.csv")}')").Select(r => (string)r[0]!);
        Assert.Equal(["job_id", "run_id", "start_time", "end_time", "status", "rows_read", "rows_written", "bytes_read", "bytes_written"], runsCsv);
        Assert.Equal(20, Long($"SELECT count(*) FROM read_parquet('{P("catalog/airflow/dag.parquet")}')"));
        Assert.True(Long($"SELECT count(*) FROM read_parquet('{P("catalog/airflow/task_instance.parquet")}')") > Long($"SELECT count(*) FROM read_parquet('{P("catalog/airflow/dag_run.parquet")}')"));
    }
}
