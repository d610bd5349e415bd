using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>Builds the unified catalog in the engine from the staged exports, all in SQL:
/// <c>pf_job_meta</c> (one row per job and catalog form), <c>pf_jobs</c> (forms merged, the most
/// complete first), <c>pf_runs</c> (one row per run, Lakeflow slices summed) and <c>pf_edges</c>
/// (job dependencies with the source of each edge).</summary>
internal static class CatalogModel
{
    /// <summary>The stages every catalog form goes through, in order.</summary>
    public static async Task BuildAsync(IQueryEngine engine, ImmutableArray<JobManifest> manifests, CancellationToken cancellationToken)
    {
        await engine.ExecuteAsync(Macros, null, cancellationToken);
        var document = JsonSerializer.Serialize(manifests.Select(m => new
        {
            m.JobId,
            m.Name,
            m.Schedule,
            m.Owner,
            Tags = m.Tags.ToArray(),
            m.CatalogSource,
            m.CatalogWorkspaceId,
            m.CatalogJobId,
            m.CodeLines,
            m.CodeFiles,
            m.HasManifest,
            HasAnalysis = m.Analysis is not null,
            AnalysisPath = m.Analysis?.RelativePath,
            Sources = m.Analysis?.Sources.ToArray() ?? [],
            Targets = m.Analysis?.Targets.ToArray() ?? [],
        }), JsonDefaults.Compact);
        await engine.ExecuteAsync(ManifestSql, [Sql.P("doc", document)], cancellationToken);
        foreach (var statement in ModelSql)
        {
            await engine.ExecuteAsync(statement, null, cancellationToken);
        }
    }

    private const string Macros = """
        CREATE OR REPLACE TEMP MACRO pf_tags(x) AS
            CASE
                WHEN x IS NULL OR trim(x) = '' THEN CAST([] AS VARCHAR[])
                WHEN json_valid(x) AND json_type(x) = 'ARRAY' THEN list_filter(CAST(from_json(x, '["VARCHAR"]') AS VARCHAR[]), t -> t IS NOT NULL AND t <> '')
                WHEN json_valid(x) AND json_type(x) = 'OBJECT' THEN list_transform(json_keys(x), k ->
                    CASE WHEN coalesce(json_extract_string(x, '$."' || k || '"'), '') = '' THEN k ELSE k || '=' || json_extract_string(x, '$."' || k || '"') END)
                ELSE list_filter(list_transform(regexp_split_to_array(trim(x, '[] '), '[;,]'), t -> trim(trim(t), '''" ')), t -> t <> '')
            END;
        CREATE OR REPLACE TEMP MACRO pf_state(s) AS
            CASE
                WHEN upper(s) IN ('SUCCESS', 'SUCCEEDED', 'SUCCESSFUL', 'OK') THEN 'success'
                WHEN upper(s) IN ('FAILED', 'FAILURE', 'ERROR', 'TIMEDOUT', 'TIMED_OUT', 'INTERNAL_ERROR', 'UPSTREAM_FAILED') THEN 'failed'
                WHEN upper(s) IN ('CANCELLED', 'CANCELED') THEN 'cancelled'
                WHEN upper(s) IN ('SKIPPED', 'BLOCKED', 'EXCLUDED') THEN 'skipped'
                ELSE 'running'
            END
        """;

    private const string ManifestSql = """
        CREATE OR REPLACE TEMP TABLE pf_manifest AS
        SELECT m.* FROM (SELECT unnest(CAST(from_json($doc, '[{"job_id":"VARCHAR","name":"VARCHAR","schedule":"VARCHAR","owner":"VARCHAR","tags":["VARCHAR"],
            "catalog_source":"VARCHAR","catalog_workspace_id":"VARCHAR","catalog_job_id":"VARCHAR","code_lines":"BIGINT","code_files":"INTEGER",
            "has_manifest":"BOOLEAN","has_analysis":"BOOLEAN","analysis_path":"VARCHAR","sources":["VARCHAR"],"targets":["VARCHAR"]}]') AS STRUCT(
            job_id VARCHAR, name VARCHAR, schedule VARCHAR, owner VARCHAR, tags VARCHAR[], catalog_source VARCHAR, catalog_workspace_id VARCHAR,
            catalog_job_id VARCHAR, code_lines BIGINT, code_files INTEGER, has_manifest BOOLEAN, has_analysis BOOLEAN, analysis_path VARCHAR,
            sources VARCHAR[], targets VARCHAR[])[])) AS m)
        """;

    private static readonly string[] ModelSql =
    [
        // A coded job's folder name is its inventory id; job.yaml links it to its catalog row.
        """
        CREATE OR REPLACE TEMP TABLE pf_alias AS
        SELECT DISTINCT lower(m.catalog_source) AS form, coalesce(m.catalog_workspace_id, '') AS workspace_id, m.catalog_job_id AS source_job_id, m.job_id
        FROM pf_manifest m WHERE m.catalog_source IS NOT NULL AND m.catalog_job_id IS NOT NULL
        """,

        // Lakeflow jobs are SCD2: the latest change per (workspace_id, job_id) wins; a set delete_time means deleted.
        """
        CREATE OR REPLACE TEMP TABLE pf_lf_latest AS
        SELECT * FROM pf_lf_jobs
        QUALIFY row_number() OVER (PARTITION BY workspace_id, job_id ORDER BY change_time DESC, _line DESC) = 1
        """,

        """
        CREATE OR REPLACE TEMP TABLE pf_job_meta AS
        WITH forms AS (
            SELECT coalesce(a.job_id, j.job_id) AS job_id, 'simple' AS form, 2 AS priority, j.name, j.schedule, j.owner, pf_tags(j.tags) AS tags,
                   j.code_path, j.last_modified, CAST(NULL AS BOOLEAN) AS paused, false AS deleted, NULL AS workspace_id, j.job_id AS source_job_id,
                   j._file AS file, j._line AS line
            FROM pf_simple_jobs j LEFT JOIN pf_alias a ON a.form = 'simple' AND a.source_job_id = j.job_id
            UNION ALL
            SELECT coalesce(a.job_id, j.workspace_id || '-' || j.job_id), 'lakeflow', 3, j.name,
                   coalesce(json_extract_string(j."trigger", '$.schedule.quartz_cron_expression'),
                            CASE WHEN json_extract_string(j."trigger", '$.periodic.interval') IS NOT NULL
                                 THEN 'every ' || json_extract_string(j."trigger", '$.periodic.interval') || ' ' || lower(json_extract_string(j."trigger", '$.periodic.unit')) END),
                   coalesce(j.run_as, j.creator_id), pf_tags(j.tags), NULL, j.change_time,
                   coalesce(j.paused, json_extract_string(j."trigger", '$.schedule.pause_status') = 'PAUSED'),
                   j.delete_time IS NOT NULL, j.workspace_id, j.job_id, j._file, j._line
            FROM pf_lf_latest j LEFT JOIN pf_alias a ON a.form = 'lakeflow' AND a.workspace_id = j.workspace_id AND a.source_job_id = j.job_id
            UNION ALL
            SELECT coalesce(a.job_id, d.dag_id), 'airflow', 1, d.dag_id,
                   CASE WHEN lower(d.schedule_interval) IN ('none', 'null', '') THEN NULL ELSE trim(d.schedule_interval, '"') END,
                   d.owners, pf_tags(d.tags), d.fileloc, CAST(NULL AS TIMESTAMPTZ), d.is_paused, coalesce(NOT d.is_active, false), NULL, d.dag_id, d._file, d._line
            FROM pf_af_dag d LEFT JOIN pf_alias a ON a.form = 'airflow' AND a.source_job_id = d.dag_id
            UNION ALL
            SELECT m.job_id, 'job_yaml', 4, m.name, m.schedule, m.owner, m.tags, NULL, CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS BOOLEAN), false, NULL, m.job_id,
                   'jobs/' || m.job_id || '/job.yaml', CAST(NULL AS BIGINT)
            FROM pf_manifest m WHERE m.has_manifest
        )
        SELECT *, (name IS NOT NULL)::INT + (schedule IS NOT NULL)::INT + (owner IS NOT NULL)::INT + (len(tags) > 0)::INT + (last_modified IS NOT NULL)::INT AS completeness
        FROM forms
        """,

        // Forms merged per job: fields from the most complete form first, gaps filled from the others.
        """
        CREATE OR REPLACE TEMP TABLE pf_jobs AS
        SELECT job_id,
               bool_or(deleted) FILTER (WHERE form = 'lakeflow') AS deleted_in_catalog,
               first(form ORDER BY completeness DESC, priority DESC) AS primary_form,
               list(form ORDER BY completeness DESC, priority DESC) AS forms,
               list(completeness ORDER BY completeness DESC, priority DESC) AS form_completeness,
               first(name ORDER BY completeness DESC, priority DESC) FILTER (WHERE name IS NOT NULL) AS name,
               first(schedule ORDER BY completeness DESC, priority DESC) FILTER (WHERE schedule IS NOT NULL) AS schedule,
               first(owner ORDER BY completeness DESC, priority DESC) FILTER (WHERE owner IS NOT NULL) AS owner,
               first(tags ORDER BY completeness DESC, priority DESC) FILTER (WHERE len(tags) > 0) AS tags,
               first(code_path ORDER BY completeness DESC, priority DESC) FILTER (WHERE code_path IS NOT NULL) AS code_path,
               max(last_modified) AS last_modified,
               first(paused ORDER BY completeness DESC, priority DESC) FILTER (WHERE paused IS NOT NULL) AS paused,
               first(file || coalesce(':' || line, '') ORDER BY completeness DESC, priority DESC) AS evidence
        FROM pf_job_meta GROUP BY job_id
        """,

        // One row per run. Lakeflow runs longer than an hour come as hourly slices with the same run_id:
        // duration is the sum of the slices and only the terminal slice carries result_state.
        """
        CREATE OR REPLACE TEMP TABLE pf_runs AS
        WITH lf AS (
            SELECT workspace_id, job_id, run_id, min(period_start_time) AS start_time, max(period_end_time) AS end_time,
                   sum(epoch(period_end_time) - epoch(period_start_time)) AS duration_s,
                   arg_max(result_state, period_end_time) FILTER (WHERE result_state IS NOT NULL) AS result_state,
                   arg_min(trigger_type, period_start_time) AS trigger_type, arg_min(run_name, period_start_time) AS run_name,
                   count(*) AS slices, any_value(_file) AS file, min(_line) AS line
            FROM pf_lf_runs GROUP BY workspace_id, job_id, run_id
        ), stats AS (
            SELECT workspace_id, job_id, run_id, sum(rows_read) AS rows_read, sum(rows_written) AS rows_written,
                   sum(bytes_read) AS bytes_read, sum(bytes_written) AS bytes_written
            FROM pf_lf_run_stats GROUP BY ALL
        )
        SELECT coalesce(a.job_id, lf.workspace_id || '-' || lf.job_id) AS job_id, 'lakeflow' AS form, lf.run_id, lf.start_time, lf.end_time, lf.duration_s,
               CASE WHEN lf.result_state IS NULL THEN 'running' ELSE pf_state(lf.result_state) END AS state, lf.trigger_type, lf.run_name,
               s.rows_read, s.rows_written, s.bytes_read, s.bytes_written, lf.file, lf.line
        FROM lf
        LEFT JOIN pf_alias a ON a.form = 'lakeflow' AND a.workspace_id = lf.workspace_id AND a.source_job_id = lf.job_id
        LEFT JOIN stats s ON s.workspace_id = lf.workspace_id AND s.job_id = lf.job_id AND s.run_id = lf.run_id
        UNION ALL
        SELECT coalesce(a.job_id, r.job_id), 'simple', r.run_id, r.start_time, r.end_time, epoch(r.end_time) - epoch(r.start_time),
               pf_state(r.status), NULL, NULL, r.rows_read, r.rows_written, r.bytes_read, r.bytes_written, r._file, r._line
        FROM pf_simple_runs r LEFT JOIN pf_alias a ON a.form = 'simple' AND a.source_job_id = r.job_id
        UNION ALL
        SELECT coalesce(a.job_id, r.dag_id), 'airflow', r.run_id, coalesce(r.start_date, r.logical_date), r.end_date,
               epoch(r.end_date) - epoch(coalesce(r.start_date, r.logical_date)), pf_state(r.state), upper(r.run_type), NULL,
               NULL, NULL, NULL, NULL, r._file, r._line
        FROM pf_af_dag_run r LEFT JOIN pf_alias a ON a.form = 'airflow' AND a.source_job_id = r.dag_id
        """,

        // Dependencies, each edge saying where it came from: the table-lineage export, code analysis
        // (reads and writes of analysed jobs), or task dependencies (run_job tasks triggering another job).
        """
        CREATE OR REPLACE TEMP TABLE pf_edges AS
        WITH lineage AS (
            SELECT DISTINCT coalesce(a.job_id, l.workspace_id || '-' || l.entity_id) AS job_id,
                   lower(l.source_table_full_name) AS source_table, lower(l.target_table_full_name) AS target_table
            FROM pf_lineage l LEFT JOIN pf_alias a ON a.form = 'lakeflow' AND a.workspace_id = coalesce(l.workspace_id, '') AND a.source_job_id = l.entity_id
            WHERE l.entity_id IS NOT NULL AND upper(coalesce(l.entity_type, 'JOB')) = 'JOB'
        ), code_reads AS (
            SELECT job_id, lower(unnest(sources)) AS tbl FROM pf_manifest WHERE has_analysis
        ), code_writes AS (
            SELECT job_id, lower(unnest(targets)) AS tbl FROM pf_manifest WHERE has_analysis
        ), task_latest AS (
            SELECT * FROM pf_lf_tasks
            QUALIFY row_number() OVER (PARTITION BY workspace_id, job_id, task_key ORDER BY change_time DESC NULLS LAST, _line DESC) = 1
        ), all_edges AS (
            SELECT w.job_id AS upstream, r.job_id AS downstream, 'lineage_export' AS source, 1 AS priority, w.target_table AS via
            FROM lineage w JOIN lineage r ON w.target_table = r.source_table AND w.job_id <> r.job_id AND w.target_table IS NOT NULL
            UNION ALL
            SELECT w.job_id, r.job_id, 'code_analysis', 2, w.tbl
            FROM code_writes w JOIN code_reads r ON w.tbl = r.tbl AND w.job_id <> r.job_id
            UNION ALL
            SELECT coalesce(a.job_id, t.workspace_id || '-' || t.job_id), coalesce(c.job_id, t.workspace_id || '-' || t.run_job_id), 'task_dependencies', 3,
                   'run_job task ' || coalesce(t.task_key, '?')
            FROM task_latest t
            LEFT JOIN pf_alias a ON a.form = 'lakeflow' AND a.workspace_id = t.workspace_id AND a.source_job_id = t.job_id
            LEFT JOIN pf_alias c ON c.form = 'lakeflow' AND c.workspace_id = t.workspace_id AND c.source_job_id = t.run_job_id
            WHERE t.run_job_id IS NOT NULL AND t.delete_time IS NULL
        )
        SELECT upstream, downstream, list_sort(list(DISTINCT source)) AS sources, min(priority) AS priority,
               list_sort(list(DISTINCT via)) AS via
        FROM all_edges GROUP BY upstream, downstream
        """,
    ];
}
