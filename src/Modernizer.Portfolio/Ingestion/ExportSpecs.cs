namespace Modernizer.Portfolio.Ingestion;

/// <summary>The exports tier 1 reads (docs/workspace.md, docs/sample.md), with explicit types. Only the
/// columns tier 1 uses are staged: the billing and run exports are millions of rows.</summary>
internal static class ExportSpecs
{
    private const string Ts = "TIMESTAMPTZ";
    private const string Str = "VARCHAR";
    private const string Big = "BIGINT";

    public static ExportSpec SimpleJobs { get; } = new("simple_jobs", "catalog/jobs",
    [
        new("job_id", Str, Required: true), new("name", Str), new("schedule", Str), new("owner", Str), new("tags", Str),
        new("code_path", Str), new("last_modified", Ts),
    ])
    { UniqueKey = "job_id" };

    public static ExportSpec SimpleRuns { get; } = new("simple_runs", "catalog/runs",
    [
        new("job_id", Str, Required: true), new("run_id", Str), new("start_time", Ts, Required: true), new("end_time", Ts),
        new("status", Str), new("rows_read", Big), new("rows_written", Big), new("bytes_read", Big), new("bytes_written", Big),
    ]);

    public static ExportSpec LakeflowJobs { get; } = new("lf_jobs", "catalog/lakeflow/jobs",
    [
        new("workspace_id", Str, Required: true), new("job_id", Str, Required: true), new("name", Str), new("description", Str),
        new("creator_id", Str), new("tags", Str, Json: true), new("change_time", Ts, Required: true), new("delete_time", Ts),
        new("run_as", Str), new("trigger", Str, Json: true), new("paused", "BOOLEAN"),
    ]);

    public static ExportSpec LakeflowRuns { get; } = new("lf_runs", "catalog/lakeflow/job_run_timeline",
    [
        new("workspace_id", Str, Required: true), new("job_id", Str, Required: true), new("run_id", Str, Required: true),
        new("period_start_time", Ts, Required: true), new("period_end_time", Ts, Required: true), new("trigger_type", Str),
        new("run_name", Str), new("result_state", Str),
    ]);

    public static ExportSpec LakeflowTasks { get; } = new("lf_tasks", "catalog/lakeflow/job_tasks",
    [
        new("workspace_id", Str, Required: true), new("job_id", Str, Required: true), new("task_key", Str),
        new("change_time", Ts), new("delete_time", Ts), new("run_job_id", Str),
    ]);

    public static ExportSpec LakeflowRunStats { get; } = new("lf_run_stats", "catalog/lakeflow/run_stats",
    [
        new("workspace_id", Str, Required: true), new("job_id", Str, Required: true), new("run_id", Str, Required: true),
        new("rows_read", Big), new("rows_written", Big), new("bytes_read", Big), new("bytes_written", Big),
    ]);

    public static ExportSpec TableLineage { get; } = new("lineage", "catalog/lineage/table_lineage",
    [
        new("source_table_full_name", Str), new("target_table_full_name", Str), new("entity_type", Str),
        new("entity_id", Str), new("event_time", Ts), new("workspace_id", Str),
    ]);

    public static ExportSpec AirflowDags { get; } = new("af_dag", "catalog/airflow/dag",
    [
        new("dag_id", Str, Required: true), new("is_paused", "BOOLEAN"), new("is_active", "BOOLEAN"), new("schedule_interval", Str),
        new("fileloc", Str), new("owners", Str), new("description", Str), new("last_parsed_time", Ts), new("tags", Str, Json: true),
    ])
    { UniqueKey = "dag_id" };

    public static ExportSpec AirflowDagRuns { get; } = new("af_dag_run", "catalog/airflow/dag_run",
    [
        new("dag_id", Str, Required: true), new("run_id", Str, Required: true), new("logical_date", Ts), new("start_date", Ts),
        new("end_date", Ts), new("state", Str), new("run_type", Str),
    ]);

    public static ExportSpec AirflowTaskInstances { get; } = new("af_task_instance", "catalog/airflow/task_instance",
    [
        new("dag_id", Str, Required: true), new("task_id", Str, Required: true), new("run_id", Str), new("start_date", Ts),
        new("end_date", Ts), new("duration", "DOUBLE"), new("state", Str), new("try_number", Big), new("operator", Str),
        new("upstream_task_ids", Str, Json: true),
    ]);

    public static ExportSpec Costs { get; } = new("costs", "finops/costs",
    [
        new("job_id", Str, Required: true), new("month", Str, Required: true), new("cost_usd", "DECIMAL(18,2)", Required: true), new("source", Str),
    ]);

    public static ExportSpec BillingUsage { get; } = new("usage", "finops/billing/usage",
    [
        new("workspace_id", Str), new("sku_name", Str, Required: true), new("cloud", Str),
        new("usage_start_time", Ts, Required: true), new("usage_quantity", "DECIMAL(24,6)", Required: true), new("record_type", Str),
        new("um_job_id", Str, Source: "usage_metadata", Field: "job_id"),
    ]);

    public static ExportSpec ListPrices { get; } = new("list_prices", "finops/billing/list_prices",
    [
        new("price_start_time", Ts, Required: true), new("price_end_time", Ts), new("sku_name", Str, Required: true), new("cloud", Str),
        new("currency_code", Str), new("usage_unit", Str), new("pricing", Str, Required: true, Json: true),
    ]);

    public static ExportSpec Tickets { get; } = new("tickets", "finops/tickets",
    [
        new("ticket_id", Str, Required: true), new("job_id", Str), new("job_name_hint", Str), new("opened_at", Ts),
        new("severity", Str), new("category", Str), new("summary", Str), new("downstream_impact", "BOOLEAN"),
    ]);

    public static ExportSpec Slas { get; } = new("slas", "finops/slas",
    [
        new("job_id", Str, Required: true), new("deadline", "TIME", Required: true), new("timezone", Str, Required: true),
    ]);
}
