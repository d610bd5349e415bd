namespace Modernizer.Portfolio.FinOps;

/// <summary>The FinOps aggregation, set-based: billing usage priced at the list price valid at usage
/// time (ASOF join, decimal arithmetic), merged with the finance report per job and month.</summary>
internal static class FinOpsSql
{
    /// <summary>pf_billing_month: cost per job and month from system.billing.usage × list_prices.
    /// RETRACTION records negate an earlier record and RESTATEMENT records replace it, so the signed sum
    /// of all records is the corrected usage (a RETRACTION exported with a positive quantity is negated).</summary>
    public const string BillingMonth = """
        CREATE OR REPLACE TEMP TABLE pf_billing_month AS
        WITH u AS (
            SELECT coalesce(workspace_id, '') AS workspace_id, um_job_id, sku_name, coalesce(cloud, '') AS cloud, usage_start_time,
                   CASE WHEN upper(record_type) = 'RETRACTION' THEN -abs(usage_quantity) ELSE usage_quantity END AS quantity,
                   upper(coalesce(record_type, 'ORIGINAL')) AS record_type, _file, _line
            FROM pf_usage WHERE um_job_id IS NOT NULL
        ), p AS (
            SELECT sku_name, coalesce(cloud, '') AS cloud, price_start_time, price_end_time,
                   TRY_CAST(coalesce(json_extract_string(pricing, '$.effective_list.default'), json_extract_string(pricing, '$.default')) AS DECIMAL(12,6)) AS price
            FROM pf_list_prices WHERE coalesce(upper(currency_code), 'USD') = 'USD'
        ), priced AS (
            SELECT u.*, CASE WHEN p.price_end_time IS NULL OR u.usage_start_time < p.price_end_time THEN p.price END AS price
            FROM u ASOF LEFT JOIN p ON u.sku_name = p.sku_name AND u.cloud = p.cloud AND u.usage_start_time >= p.price_start_time
        ), per_source_job AS (
            -- aggregate on the export's own keys first; job ids are mapped on the small result
            SELECT workspace_id, um_job_id, date_trunc('month', usage_start_time AT TIME ZONE 'UTC') AS month_start,
                   sum(quantity * price) AS cost, count(*) AS records, count(*) FILTER (WHERE price IS NULL) AS unpriced,
                   count(*) FILTER (WHERE record_type IN ('RETRACTION', 'RESTATEMENT')) AS corrections,
                   any_value(_file) AS file, min(_line) AS line
            FROM priced GROUP BY workspace_id, um_job_id, month_start
        )
        SELECT coalesce(a.job_id, CASE WHEN s.workspace_id = '' THEN s.um_job_id ELSE s.workspace_id || '-' || s.um_job_id END) AS job_id,
               strftime(s.month_start, '%Y-%m') AS month,
               CAST(sum(s.cost) AS DECIMAL(38,6)) AS billing_usd,
               sum(s.records) AS records, sum(s.unpriced) AS unpriced, sum(s.corrections) AS corrections,
               any_value(s.file) || ':' || min(s.line) AS evidence
        FROM per_source_job s
        LEFT JOIN pf_alias a ON a.form = 'lakeflow' AND a.workspace_id = s.workspace_id AND a.source_job_id = s.um_job_id
        GROUP BY ALL
        """;

    /// <summary>pf_job_month: billing and finance per job and month; the conservative (higher) amount
    /// is the cost; a disagreement beyond tolerance is a conflict.</summary>
    public const string JobMonth = """
        CREATE OR REPLACE TEMP TABLE pf_job_month AS
        WITH b AS (
            SELECT b.job_id, b.month, b.billing_usd, b.evidence FROM pf_billing_month b
        ), f AS (
            SELECT job_id, month, CAST(sum(cost_usd) AS DECIMAL(38,6)) AS finance_usd, any_value(_file) || ':' || min(_line) AS evidence
            FROM pf_costs GROUP BY job_id, month
        )
        SELECT coalesce(b.job_id, f.job_id) AS job_id, coalesce(b.month, f.month) AS month, b.billing_usd, f.finance_usd,
               greatest(coalesce(b.billing_usd, 0), coalesce(f.finance_usd, 0)) AS cost_usd,
               CASE WHEN b.billing_usd IS NOT NULL AND f.finance_usd IS NOT NULL THEN 'billing+finance'
                    WHEN b.billing_usd IS NOT NULL THEN 'billing' ELSE 'finance' END AS basis,
               b.billing_usd IS NOT NULL AND f.finance_usd IS NOT NULL
                   AND abs(b.billing_usd - f.finance_usd) > greatest($abs_tol, $rel_tol * greatest(b.billing_usd, f.finance_usd)) AS conflict,
               concat_ws('; ', b.evidence, f.evidence) AS evidence
        FROM b FULL OUTER JOIN f ON b.job_id = f.job_id AND b.month = f.month
        """;

    public const string Families = """
        CREATE OR REPLACE TEMP TABLE pf_family AS
        SELECT i.job_id,
               coalesce(
                   CASE WHEN $use_tag THEN list_extract(list_transform(list_filter(coalesce(j.tags, CAST([] AS VARCHAR[])), t -> lower(t) LIKE 'family=%'), t -> substr(t, 8)), 1) END,
                   nullif(regexp_extract(lower(coalesce(CASE WHEN regexp_matches(i.job_id, '^[0-9]+-[0-9]+$') THEN j.name END, i.job_id)), '^[a-z0-9]+'), ''),
                   'other') AS family
        FROM pf_inventory_ids i LEFT JOIN pf_jobs j USING (job_id)
        """;

    public const string Jobs = """
        WITH as_of_time AS (SELECT coalesce(max(coalesce(end_time, start_time)), TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t FROM pf_runs),
        cost AS (
            SELECT job_id, CAST(avg(cost_usd) AS DECIMAL(38,2)) AS per_month, CAST(arg_max(cost_usd, month) AS DECIMAL(38,2)) AS latest,
                   count(*) AS months, string_agg(DISTINCT basis, ',') AS basis
            FROM pf_job_month GROUP BY job_id
        ), t AS (
            SELECT job_id, count(*) AS tickets, sum(severity_weight) AS weight,
                   count(*) FILTER (WHERE downstream_impact AND (epoch((SELECT t FROM as_of_time)) - epoch(coalesce(opened_at, (SELECT t FROM as_of_time)))) / 86400.0 <= $pattern_days) AS impact_tickets,
                   min(opened_at) AS first_ticket, max(opened_at) AS last_ticket
            FROM pf_ticket_links WHERE job_id IS NOT NULL GROUP BY job_id
        ), sev AS (
            SELECT job_id, to_json(map_from_entries(list({'k': s, 'v': n} ORDER BY s))) AS by_severity
            FROM (SELECT job_id, coalesce(severity, 'unknown') AS s, count(*) AS n FROM pf_ticket_links WHERE job_id IS NOT NULL GROUP BY ALL) GROUP BY job_id
        ), sla AS (
            SELECT job_id, count(*) AS sla_runs, count(*) FILTER (WHERE breached) AS breaches,
                   count(*) FILTER (WHERE breached AND (epoch((SELECT t FROM as_of_time)) - epoch(start_time)) / 86400.0 <= $pattern_days) AS breaches_window,
                   first(file || ':' || line) AS sla_evidence
            FROM pf_sla_runs GROUP BY job_id
        ), runs AS (
            SELECT job_id, count(*) FILTER (WHERE state = 'failed' AND (epoch((SELECT t FROM as_of_time)) - epoch(start_time)) / 86400.0 <= $recent) AS failed_recent,
                   (epoch(max(start_time)) - epoch(min(start_time))) / 86400.0 AS span_days
            FROM pf_runs GROUP BY job_id
        )
        SELECT i.job_id, j.name, f.family, c.per_month, c.latest, coalesce(c.months, 0) AS months, c.basis,
               coalesce(t.tickets, 0) AS tickets, coalesce(t.weight, 0) AS ticket_weight, sev.by_severity, coalesce(t.impact_tickets, 0) AS impact_tickets,
               CASE WHEN coalesce(t.tickets, 0) > 0 THEN t.tickets * 30.0 / greatest(30.0, coalesce(r.span_days, 0),
                    (epoch(t.last_ticket) - epoch(t.first_ticket)) / 86400.0) END AS incidents_per_30d,
               coalesce(s.sla_runs, 0) AS sla_runs, coalesce(s.breaches, 0) AS breaches, coalesce(s.breaches_window, 0) AS breaches_window, s.sla_evidence,
               coalesce(r.failed_recent, 0) AS failed_recent
        FROM pf_inventory_ids i
        LEFT JOIN pf_jobs j USING (job_id) LEFT JOIN pf_family f USING (job_id) LEFT JOIN cost c USING (job_id)
        LEFT JOIN t USING (job_id) LEFT JOIN sev USING (job_id) LEFT JOIN sla s USING (job_id) LEFT JOIN runs r USING (job_id)
        ORDER BY i.job_id
        """;

    public const string Monthly = """
        SELECT job_id, month, billing_usd, finance_usd, cost_usd, basis, conflict, evidence FROM pf_job_month ORDER BY job_id, month
        """;

    public const string Tickets = """
        SELECT ticket_id, job_id, method, confidence, matched_on, severity, category, downstream_impact,
               strftime(opened_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS opened_at, file || ':' || line AS evidence
        FROM pf_ticket_links ORDER BY ticket_id
        """;

    public const string Unpriced = "SELECT CAST(coalesce(sum(unpriced), 0) AS BIGINT) FROM pf_billing_month";
}
