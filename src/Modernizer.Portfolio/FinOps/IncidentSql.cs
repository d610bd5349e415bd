namespace Modernizer.Portfolio.FinOps;

/// <summary>Ticket attribution and SLA evaluation, set-based over the staged finops exports and the
/// unified catalog. Both the scanner (health) and the FinOps analyst (R1.2) read their tables.</summary>
internal static class IncidentSql
{
    /// <summary>pf_ticket_links: each ticket attributed to at most one job — by job_id (certain), by the
    /// job_name_hint (0.9), or by the job's name or id appearing as a whole word in the summary (0.7;
    /// 0.4 when several jobs tie). Names shorter than $min_len are not matched in free text.</summary>
    public const string TicketLinks = """
        CREATE OR REPLACE TEMP TABLE pf_ticket_links AS
        WITH inv AS (
            SELECT i.job_id, j.name FROM pf_inventory_ids i LEFT JOIN pf_jobs j USING (job_id)
        ), names AS (
            SELECT job_id, n AS label, trim(regexp_replace(lower(n), '[^a-z0-9_]+', ' ', 'g')) AS norm
            FROM (SELECT job_id, name AS n FROM inv WHERE name IS NOT NULL UNION SELECT job_id, job_id FROM inv)
            WHERE length(n) >= $min_len
        ), t AS (
            SELECT *, string_split(trim(regexp_replace(lower(coalesce(summary, '')), '[^a-z0-9_]+', ' ', 'g')), ' ') AS words FROM pf_tickets
        ), by_id AS (
            SELECT t.ticket_id, i.job_id, 'job_id' AS method, 1.0 AS confidence, 'ticket job_id ' || t.job_id AS matched_on
            FROM t JOIN inv i ON t.job_id = i.job_id
        ), hint_matches AS (
            -- two equi-joins rather than one join on an OR, which would compare every ticket with every job
            SELECT t.ticket_id, i.job_id FROM t JOIN inv i ON lower(trim(t.job_name_hint)) = lower(i.name)
            UNION
            SELECT t.ticket_id, i.job_id FROM t JOIN inv i ON lower(trim(t.job_name_hint)) = lower(i.job_id)
        ), by_hint AS (
            SELECT h.ticket_id, h.job_id, 'name_hint' AS method, 0.9 AS confidence, 'job_name_hint "' || t.job_name_hint || '"' AS matched_on
            FROM hint_matches h JOIN t USING (ticket_id)
            WHERE h.ticket_id NOT IN (SELECT ticket_id FROM by_id)
            QUALIFY count(*) OVER (PARTITION BY h.ticket_id) = 1
        ), grams AS (
            -- every run of 1..8 consecutive words of the summary: a hash join against the names
            -- instead of testing every name against every summary
            SELECT ticket_id, array_to_string(list_slice(words, i, i + k), ' ') AS gram
            FROM (SELECT ticket_id, words, unnest(range(1, len(words) + 1)) AS i FROM t
                  WHERE ticket_id NOT IN (SELECT ticket_id FROM by_id UNION ALL SELECT ticket_id FROM by_hint)),
                 range(0, 8) AS k(k)
            WHERE i + k <= len(words)
        ), text_hits AS (
            SELECT DISTINCT g.ticket_id, n.job_id, n.label
            FROM grams g JOIN names n ON g.gram = n.norm
        ), best_text AS (
            SELECT ticket_id, job_id, label, count(*) OVER (PARTITION BY ticket_id, length(label)) AS ties, length(label) AS len
            FROM text_hits
            QUALIFY length(label) = max(length(label)) OVER (PARTITION BY ticket_id)
        ), by_text AS (
            SELECT ticket_id, first(job_id ORDER BY job_id) AS job_id, 'summary_text' AS method,
                   CASE WHEN count(DISTINCT job_id) > 1 THEN 0.4 ELSE 0.7 END AS confidence,
                   'summary mentions "' || first(label ORDER BY job_id) || '"' AS matched_on
            FROM best_text GROUP BY ticket_id
        ), links AS (
            SELECT * FROM by_id UNION ALL SELECT * FROM by_hint UNION ALL SELECT * FROM by_text
        )
        SELECT t.ticket_id, l.job_id, l.method, l.confidence, l.matched_on, t.job_id AS ticket_job_id, t.job_name_hint, t.opened_at,
               t.severity, t.category, t.summary, coalesce(t.downstream_impact, false) AS downstream_impact,
               CASE upper(replace(t.severity, ' ', '')) WHEN 'SEV-1' THEN 4 WHEN 'SEV-2' THEN 3 WHEN 'SEV-3' THEN 2 ELSE 1 END AS severity_weight,
               t._file AS file, t._line AS line
        FROM t LEFT JOIN links l USING (ticket_id)
        """;

    /// <summary>pf_sla_runs: every finished run of a job with an SLA, and whether it breached it. The
    /// deadline is a wall-clock time in the SLA's IANA zone (DST-correct through ICU). A run is held to
    /// the first deadline at or after six hours before its local start: an overnight run (23:30 for a
    /// 09:00 deadline) is held to the next morning, a start up to six hours late to the same deadline.
    /// A failed run delivers nothing and counts as a breach.</summary>
    public const string SlaRuns = """
        CREATE OR REPLACE TEMP TABLE pf_sla_runs AS
        WITH s AS (
            SELECT job_id, deadline, timezone, _file AS file, _line AS line FROM pf_slas
            WHERE timezone IN (SELECT name FROM pg_timezone_names())
        ), r AS (
            SELECT r.job_id, r.run_id, r.start_time, r.end_time, r.state, s.deadline, s.timezone, s.file, s.line,
                   timezone(s.timezone, r.start_time) - INTERVAL 6 HOUR AS anchor
            FROM pf_runs r JOIN s USING (job_id)
            WHERE r.state IN ('success', 'failed') AND r.end_time IS NOT NULL
        ), d AS (
            SELECT r.*, CASE WHEN CAST(anchor AS DATE) + deadline >= anchor THEN CAST(anchor AS DATE) + deadline
                             ELSE CAST(anchor AS DATE) + 1 + deadline END AS deadline_local
            FROM r
        )
        SELECT d.* EXCLUDE (anchor), timezone(d.timezone, deadline_local) AS deadline_at,
               d.state = 'failed' OR d.end_time > timezone(d.timezone, deadline_local) AS breached
        FROM d
        """;
}
