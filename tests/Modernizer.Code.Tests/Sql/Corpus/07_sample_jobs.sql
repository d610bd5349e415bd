-- Statements of the bundled retail sample jobs (samples/retail/jobs), as the jobs submit them:
-- Python format fields ({TARGET}, {row.customer_id}) and notebook widgets (${report_date}) kept.

-- web_sessions_daily/web_sessions_daily.sql
CREATE TABLE IF NOT EXISTS curated.web_sessions_daily (
  event_date DATE,
  device STRING,
  sessions BIGINT,
  converted_sessions BIGINT,
  conversion_rate DOUBLE,
  avg_session_seconds DOUBLE,
  identified_customers BIGINT
) USING DELTA;
CREATE OR REPLACE TEMP VIEW recent_events AS
SELECT *
FROM raw.web_events
WHERE event_date >= date_sub(DATE'2026-10-31', 6);
CREATE OR REPLACE TEMP VIEW sessions AS
SELECT session_id,
       event_date,
       min(device)                                              AS device,
       min(customer_id)                                         AS customer_id,
       min(event_ts)                                            AS session_start,
       max(event_ts)                                            AS session_end,
       max(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) AS converted
FROM recent_events
GROUP BY session_id, event_date;
INSERT OVERWRITE TABLE curated.web_sessions_daily
SELECT event_date,
       device,
       count(*)                                                             AS sessions,
       sum(converted)                                                       AS converted_sessions,
       round(sum(converted) / count(*), 4)                                  AS conversion_rate,
       round(avg(unix_timestamp(session_end) - unix_timestamp(session_start)), 1) AS avg_session_seconds,
       count(DISTINCT customer_id)                                          AS identified_customers
FROM sessions
GROUP BY event_date, device;

-- customer_dim_scd2/main.py
CREATE TABLE IF NOT EXISTS {TARGET} (
    customer_id BIGINT,
    segment STRING,
    country STRING,
    email_sha256 STRING,
    valid_from DATE,
    valid_to DATE,
    is_current BOOLEAN
) USING DELTA;
SELECT count(*) AS n FROM {TARGET}
WHERE customer_id = {row.customer_id} AND is_current = true
  AND segment = '{row.segment}' AND country = '{row.country}';
UPDATE {TARGET} SET is_current = false, valid_to = '{row.change_date}'
WHERE customer_id = {row.customer_id} AND is_current = true;
INSERT INTO {TARGET} VALUES (
    {row.customer_id}, '{row.segment}', '{row.country}', '{email_hash(row.email)}',
    '{row.change_date}', NULL, true);
SELECT max(valid_from) AS m FROM {TARGET};

-- marketing_segments/main.py
DROP TABLE IF EXISTS {};
SELECT c.customer_id,
       c.country,
       '{segment}' AS segment,
       count(o.order_id) AS orders,
       sum(o.total_amount) AS spend
FROM raw.customers c
JOIN raw.orders o ON c.customer_id = o.customer_id
WHERE c.segment = '{segment}'
  AND o.status = 'COMPLETED'
  AND o.order_date <= '{as_of}'
GROUP BY c.customer_id, c.country;

-- orders_incremental_merge/main.py
MERGE INTO {JOB_CONFIG["target"]} AS t
USING orders_batch AS s
ON t.{JOB_CONFIG["key"]} = s.{JOB_CONFIG["key"]}
WHEN MATCHED AND s.ingested_at > t.ingested_at THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;

-- store_inventory_report/store_inventory_report.py (%sql cells and spark.sql strings)
CREATE OR REPLACE TEMP VIEW recent_snapshots AS
SELECT *
FROM raw.inventory_snapshots
WHERE snapshot_date BETWEEN date_sub('${report_date}', ${lookback_days}) AND '${report_date}';
CREATE OR REPLACE TEMP VIEW store_dim AS
SELECT store_id, store_name, region
FROM raw.stores;
SELECT s.region,
       s.store_id,
       s.store_name,
       p.category,
       count(DISTINCT r.snapshot_date)                      AS days_covered,
       round(avg(r.on_hand), 2)                             AS avg_on_hand,
       sum(r.on_hand - coalesce(r.reserved, 0))             AS available_units,
       sum(CASE WHEN r.on_hand = 0 THEN 1 ELSE 0 END)       AS stockout_count
FROM recent_snapshots r
JOIN store_dim s ON r.store_id = s.store_id
JOIN raw.products p ON r.product_id = p.product_id
GROUP BY s.region, s.store_id, s.store_name, p.category;
DROP TABLE IF EXISTS {t};
