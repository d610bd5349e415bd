namespace Modernizer.Portfolio.Scanning;

/// <summary>The per-job aggregation of the scanner: one pass over pf_runs (windowed by the export's
/// own "as of" time, the latest run end, so results do not depend on the wall clock).</summary>
internal static class ScanSql
{
    public const string AsOf = "SELECT max(coalesce(end_time, start_time)) AS as_of FROM pf_runs";

    public const string Metrics = """
        WITH as_of_time AS (SELECT coalesce(max(coalesce(end_time, start_time)), TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t FROM pf_runs),
        r AS (
            SELECT r.*, (epoch((SELECT t FROM as_of_time)) - epoch(r.start_time)) / 86400.0 AS age_d,
                   r.state IN ('success', 'failed', 'cancelled') AS terminal
            FROM pf_runs r WHERE r.job_id IN (SELECT job_id FROM pf_inventory_ids)
        ),
        m AS (
            SELECT job_id, count(*) AS runs,
                   count(*) FILTER (WHERE state = 'failed') AS failed,
                   count(*) FILTER (WHERE terminal) AS terminal,
                   avg(duration_s) FILTER (WHERE terminal AND duration_s >= 0) AS avg_runtime_s,
                   quantile_cont(duration_s, 0.95) FILTER (WHERE terminal AND duration_s >= 0) AS p95_runtime_s,
                   count(*) FILTER (WHERE state = 'failed' AND age_d <= 30) AS failed_30, count(*) FILTER (WHERE terminal AND age_d <= 30) AS terminal_30,
                   count(*) FILTER (WHERE state = 'failed' AND age_d > 30 AND age_d <= 60) AS failed_prev_30,
                   count(*) FILTER (WHERE terminal AND age_d > 30 AND age_d <= 60) AS terminal_prev_30,
                   count(*) FILTER (WHERE state = 'failed' AND age_d <= $recent) AS failed_recent, count(*) FILTER (WHERE terminal AND age_d <= $recent) AS terminal_recent,
                   avg(duration_s) FILTER (WHERE terminal AND duration_s >= 0 AND age_d <= 30) AS runtime_30,
                   avg(duration_s) FILTER (WHERE terminal AND duration_s >= 0 AND age_d > 30) AS runtime_before_30,
                   avg(coalesce(rows_read, 0) + coalesce(rows_written, 0)) FILTER (WHERE rows_read IS NOT NULL OR rows_written IS NOT NULL) AS volume_rows,
                   avg(coalesce(bytes_read, 0) + coalesce(bytes_written, 0)) FILTER (WHERE bytes_read IS NOT NULL OR bytes_written IS NOT NULL) AS volume_bytes,
                   sum(coalesce(rows_read, 0) + coalesce(rows_written, 0)) FILTER (WHERE rows_read IS NOT NULL OR rows_written IS NOT NULL) AS total_rows,
                   min(start_time) AS first_run, max(start_time) AS last_run,
                   any_value(file) || ':' || arg_min(line, start_time) AS run_evidence
            FROM r GROUP BY job_id
        ),
        gaps AS (
            SELECT job_id, epoch(start_time) - epoch(lag(start_time) OVER (PARTITION BY job_id ORDER BY start_time)) AS gap
            FROM r WHERE coalesce(upper(trigger_type), '') NOT IN ('RETRY', 'MANUAL', 'ONETIME', 'BACKFILL')
        ),
        med AS (SELECT job_id, median(gap) AS median_gap, count(*) AS gaps FROM gaps WHERE gap > 0 GROUP BY job_id),
        cadence AS (
            SELECT g.job_id, any_value(m.median_gap) AS median_gap, any_value(m.gaps) AS gaps,
                   avg(CASE WHEN abs(g.gap - m.median_gap) <= 0.15 * m.median_gap THEN 1.0 ELSE 0.0 END) AS regularity
            FROM gaps g JOIN med m USING (job_id) WHERE g.gap > 0 GROUP BY g.job_id
        ),
        run_names AS (
            SELECT job_id, run_name, count(*) * 1.0 / sum(count(*)) OVER (PARTITION BY job_id) AS share
            FROM r WHERE run_name IS NOT NULL GROUP BY job_id, run_name
            QUALIFY row_number() OVER (PARTITION BY job_id ORDER BY count(*) DESC, run_name) = 1
        ),
        tickets AS (
            SELECT job_id, count(*) AS tickets_recent, sum(severity_weight) AS ticket_weight
            FROM pf_ticket_links
            WHERE job_id IS NOT NULL AND (epoch((SELECT t FROM as_of_time)) - epoch(coalesce(opened_at, (SELECT t FROM as_of_time)))) / 86400.0 <= $recent
            GROUP BY job_id
        ),
        sla AS (
            SELECT job_id, count(*) FILTER (WHERE breached) AS breaches, count(*) AS sla_runs
            FROM pf_sla_runs WHERE (epoch((SELECT t FROM as_of_time)) - epoch(start_time)) / 86400.0 <= $recent GROUP BY job_id
        )
        SELECT i.job_id, j.name, j.schedule, j.owner, to_json(coalesce(j.tags, CAST([] AS VARCHAR[]))) AS tags, to_json(coalesce(j.forms, CAST([] AS VARCHAR[]))) AS forms,
               to_json(coalesce(j.form_completeness, CAST([] AS INTEGER[]))) AS form_completeness, j.primary_form,
               strftime(j.last_modified AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS last_modified, j.paused, j.evidence AS meta_evidence,
               j.job_id IS NULL AS metadata_missing,
               coalesce(mf.code_files, 0) > 0 AS has_code, coalesce(mf.code_lines, 0) AS code_lines,
               coalesce(m.runs, 0) AS runs, coalesce(m.failed, 0) AS failed, m.terminal, m.avg_runtime_s, m.p95_runtime_s,
               m.failed_30, m.terminal_30, m.failed_prev_30, m.terminal_prev_30, m.failed_recent, m.terminal_recent,
               m.runtime_30, m.runtime_before_30, m.volume_rows, m.volume_bytes, m.total_rows,
               strftime(m.first_run AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS first_run,
               strftime(m.last_run AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS last_run, m.run_evidence,
               c.median_gap, c.gaps, c.regularity, rn.run_name, rn.share AS run_name_share,
               coalesce(t.tickets_recent, 0) AS tickets_recent, coalesce(t.ticket_weight, 0) AS ticket_weight,
               coalesce(s.breaches, 0) AS sla_breaches, coalesce(s.sla_runs, 0) AS sla_runs,
               (epoch((SELECT t FROM as_of_time)) - epoch(j.last_modified)) / 86400.0 AS days_since_modified,
               CASE WHEN coalesce(m.runs, 0) > 0 THEN rank() OVER (ORDER BY coalesce(m.runs, 0) DESC) END AS frequency_rank,
               CASE WHEN coalesce(m.total_rows, 0) > 0 THEN rank() OVER (ORDER BY coalesce(m.total_rows, 0) DESC) END AS volume_rank
        FROM pf_inventory_ids i
        LEFT JOIN pf_jobs j USING (job_id)
        LEFT JOIN pf_manifest mf USING (job_id)
        LEFT JOIN m USING (job_id)
        LEFT JOIN cadence c USING (job_id)
        LEFT JOIN run_names rn USING (job_id)
        LEFT JOIN tickets t USING (job_id)
        LEFT JOIN sla s USING (job_id)
        ORDER BY i.job_id
        """;

    public const string Edges = """
        SELECT upstream, downstream, to_json(sources) AS sources, to_json(via) AS via FROM pf_edges ORDER BY upstream, downstream
        """;
}
