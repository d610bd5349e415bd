-- Catalog and finops exports of the retail sample (docs/sample.md).
-- Set-based: every table is derived from range() and hash(seed, ...) pseudo-randomness.
-- Tokens: ${seed} ${catalog_jobs} ${days} ${end_date} ${code_share} ${out} (the workspace folder).
-- Sections start with "-- @step name [after step, ...]": the writer runs a step once the steps it names
-- are done, several steps at a time on their own connections, each statement on one thread (so every
-- file has the same bytes on every run), and reports progress. A step reads only the tables of the
-- steps it names (directly or through them).

-- @step model
CREATE OR REPLACE MACRO u(a, b, c) AS (hash(${seed}, a, b, c) % 1000000)::DOUBLE / 1000000.0;
CREATE OR REPLACE MACRO pick(list, a, b) AS list[1 + (hash(${seed}, a, b, 'pick') % len(list))::INT];
CREATE OR REPLACE MACRO ws() AS '1234567890123456';
CREATE OR REPLACE MACRO acct() AS '0f9c2a7e-5b41-4c8e-9d3a-7e1b2c3d4e5f';
CREATE OR REPLACE MACRO ts_iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S') || '+00:00';

CREATE TABLE period AS
SELECT DATE '${end_date}' - (${days} - 1) AS start_date, DATE '${end_date}' AS end_date;

CREATE TABLE days AS
SELECT ((SELECT start_date FROM period) + i::INTEGER)::DATE AS d, i::INT AS day_idx
FROM range(${days}) r(i);

-- the twelve coded jobs: attributes that make them behave as ANSWERS.md says
CREATE TABLE coded_jobs AS
SELECT * FROM (VALUES
  (101, 'orders_daily_revenue',     'daily',  3,  0, 9000, 'PREMIUM_JOBS_COMPUTE',  120.0, 0.22, 3, 'finance-data@retail.example',     '{"team":"finance","compliance":"SOX","domain":"revenue"}',  4000000),
  (102, 'customer_360',             'daily',  4, 30, 5400, 'PREMIUM_JOBS_COMPUTE',   60.0, 0.08, 2, 'crm-data@retail.example',         '{"team":"crm","compliance":"GDPR","pii":"true"}',           1500000),
  (103, 'product_sales_rank',       'weekly', 6,  0, 1800, 'STANDARD_JOBS_COMPUTE',  16.0, 0.20, 1, 'merch-analytics@retail.example',  '{"team":"merchandising"}',                                   900000),
  (104, 'customer_dim_scd2',        'daily',  2, 15, 7200, 'STANDARD_JOBS_COMPUTE',  24.0, 0.12, 1, 'crm-data@retail.example',         '{"team":"crm","domain":"customer"}',                         300000),
  (105, 'store_inventory_report',   'daily',  7,  0, 1200, 'STANDARD_JOBS_COMPUTE',   8.0, 0.12, 1, 'store-ops@retail.example',        '{"team":"store_ops"}',                                       600000),
  (106, 'web_sessions_daily',       'daily',  5, 45, 1500, 'PREMIUM_JOBS_SERVERLESS_COMPUTE', 12.0, 0.15, 1, 'digital-analytics@retail.example', '{"team":"digital"}',                          2500000),
  (107, 'orders_incremental_merge', 'hourly', 0,  0,  420, 'STANDARD_JOBS_COMPUTE',   6.0, 0.01, 1, 'data-platform@retail.example',    '{"team":"platform","domain":"orders"}',                       80000),
  (108, 'payments_reconciliation',  'daily',  8,  0, 2400, 'STANDARD_JOBS_COMPUTE',  10.0, 0.10, 2, 'payments-ops@retail.example',     '{"team":"payments","compliance":"PCI"}',                     700000),
  (109, 'orders_usd_normalized',    'daily',  3, 30, 1800, 'STANDARD_JOBS_COMPUTE',  12.0, 0.12, 1, 'finance-data@retail.example',     '{"team":"finance","domain":"fx"}',                           400000),
  (110, 'customer_ltv_running',     'daily',  5,  0, 3600, 'STANDARD_JOBS_COMPUTE',  20.0, 0.14, 1, 'crm-data@retail.example',         '{"team":"crm"}',                                             400000),
  (111, 'marketing_segments',       'daily',  9,  0, 1500, 'STANDARD_JOBS_COMPUTE',  10.0, 0.14, 1, 'marketing-data@retail.example',   '{"team":"marketing"}',                                       300000),
  (112, 'inventory_reorder',        'daily', 10,  0, 1200, 'STANDARD_JOBS_COMPUTE',   8.0, 0.12, 1, 'supply-chain@retail.example',     '{"team":"supply_chain"}',                                    500000)
) t(job_id, name, cadence, start_hour, start_minute, base_seconds, sku, dbu_per_hour, failure_rate, n_tasks, owner, tags_json, base_rows);

CREATE TABLE catalog_only AS
WITH w AS (
  SELECT i,
         ['sales','finance','marketing','supply','store','web','crm','hr','logistics','pricing','loyalty','returns'] AS domains,
         ['orders','invoices','customers','products','shipments','stock','sessions','campaigns','refunds','vouchers',
          'prices','suppliers','payroll','ledger','clicks','carts','promotions','receipts','forecasts','claims'] AS entities,
         ['load','daily','export','aggregate','snapshot','enrich','dedup','publish'] AS actions
  FROM range(1, ${catalog_jobs} + 1) r(i)
)
SELECT 1000 + i AS job_id,
       domains[1 + ((i * 7 + (i // 1920)) % 12)] || '_' || entities[1 + ((i * 13) // 12 % 20)] || '_' || actions[1 + ((i * 11) // 240 % 8)]
         || CASE WHEN i > 1920 THEN '_' || (i // 1920 + 1)::VARCHAR ELSE '' END AS name,
       CASE WHEN u(i, 1, 0) < 0.06 THEN 'weekly' ELSE 'daily' END AS cadence,
       (hash(${seed}, i, 2) % 24)::INT AS start_hour,
       ((hash(${seed}, i, 3) % 4) * 15)::INT AS start_minute,
       (240 + pow(u(i, 4, 0), 2.2) * 6000)::INT AS base_seconds,
       CASE WHEN u(i, 5, 0) < 0.70 THEN 'STANDARD_JOBS_COMPUTE'
            WHEN u(i, 5, 0) < 0.92 THEN 'PREMIUM_JOBS_COMPUTE'
            ELSE 'PREMIUM_JOBS_SERVERLESS_COMPUTE' END AS sku,
       round(2 + pow(u(i, 6, 0), 3) * 40, 1)::DOUBLE AS dbu_per_hour,
       CASE WHEN u(i, 7, 0) < 0.08 THEN 0.02 + u(i, 8, 0) * 0.04 ELSE 0.002 + u(i, 8, 0) * 0.015 END AS failure_rate,
       (1 + hash(${seed}, i, 9) % 3)::INT AS n_tasks,
       pick(['data-platform@retail.example','finance-data@retail.example','crm-data@retail.example','supply-chain@retail.example',
             'digital-analytics@retail.example','store-ops@retail.example','marketing-data@retail.example','bi-team@retail.example'], i, 10) AS owner,
       (1000 + pow(u(i, 11, 0), 4) * 20000000)::BIGINT AS base_rows,
       u(i, 12, 0) < 0.03 AS deleted,
       u(i, 13, 0) < 0.04 AS paused
FROM w;

-- planted portfolio facts (answers.json "portfolio")
UPDATE catalog_only SET name = 'marketing_attribution_daily', cadence = 'daily', start_hour = 2, start_minute = 0, base_seconds = 3600,
       sku = 'STANDARD_JOBS_COMPUTE', dbu_per_hour = 180.0, failure_rate = 0.0, n_tasks = 1, deleted = false, paused = false WHERE job_id = 1003;
UPDATE catalog_only SET name = 'clickstream_enrichment', cadence = 'daily', start_hour = 1, start_minute = 0, base_seconds = 14400,
       sku = 'PREMIUM_JOBS_COMPUTE', dbu_per_hour = 250.0, failure_rate = 0.0, n_tasks = 1, deleted = false, paused = false,
       base_rows = 90000000 WHERE job_id = 1007;
UPDATE catalog_only SET name = 'inventory_snapshot_load', cadence = 'daily', start_hour = 8, start_minute = 30, base_seconds = 3000,
       sku = 'STANDARD_JOBS_COMPUTE', dbu_per_hour = 30.0, failure_rate = 0.04, n_tasks = 2, owner = 'supply-chain@retail.example',
       deleted = false, paused = false WHERE job_id = 1042;
UPDATE catalog_only SET cadence = 'daily', deleted = false, paused = false WHERE job_id BETWEEN 1011 AND 1025;

-- planted copies: six coded jobs deployed a second time for another channel or region (the same code,
-- curated targets renamed curated.<copy>__<table>); failure-prone like their originals, so they join
-- them in the backlog's top 20. Their reference programs and curated outputs exist too (legacy/README.md).
CREATE TABLE planted_copies AS
SELECT * FROM (VALUES
  (1026, 'product_sales_rank_outlet',    'product_sales_rank',    'daily', 6, 30, 2400, 'PREMIUM_JOBS_COMPUTE',  40.0, 0.16),
  (1027, 'web_sessions_daily_app',       'web_sessions_daily',    'daily', 6,  0, 1800, 'PREMIUM_JOBS_SERVERLESS_COMPUTE', 30.0, 0.14),
  (1028, 'orders_usd_normalized_eu',     'orders_usd_normalized', 'daily', 4,  0, 2400, 'PREMIUM_JOBS_COMPUTE',  30.0, 0.15),
  (1029, 'inventory_reorder_dc',         'inventory_reorder',     'daily', 9, 30, 1800, 'STANDARD_JOBS_COMPUTE', 20.0, 0.14),
  (1030, 'marketing_segments_email',     'marketing_segments',    'daily', 8, 30, 1800, 'STANDARD_JOBS_COMPUTE', 16.0, 0.16),
  (1031, 'customer_ltv_running_loyalty', 'customer_ltv_running',  'daily', 5, 30, 3000, 'STANDARD_JOBS_COMPUTE', 20.0, 0.15)
) t(job_id, name, template, cadence, start_hour, start_minute, base_seconds, sku, dbu_per_hour, failure_rate);

UPDATE catalog_only SET name = p.name, cadence = p.cadence, start_hour = p.start_hour, start_minute = p.start_minute,
       base_seconds = p.base_seconds, sku = p.sku, dbu_per_hour = p.dbu_per_hour, failure_rate = p.failure_rate, n_tasks = 1,
       owner = (SELECT c.owner FROM coded_jobs c WHERE c.name = p.template), deleted = false, paused = false
FROM planted_copies p WHERE catalog_only.job_id = p.job_id;

-- a templated job copies the code of one coded job (its template): the planted copies, and with
-- ${code_share} > 0 a share of the other catalog-only jobs, each from the coded job its id picks
CREATE TABLE all_jobs AS
SELECT job_id, name, name AS inv_id, cadence, start_hour, start_minute, base_seconds, sku, dbu_per_hour, failure_rate, n_tasks, owner,
       tags_json, base_rows, false AS deleted, false AS paused, true AS in_catalog, true AS coded, false AS templated, NULL::VARCHAR AS template
FROM coded_jobs
UNION ALL
SELECT job_id, name,
       CASE WHEN templated THEN name ELSE ws() || '-' || job_id::VARCHAR END AS inv_id,
       cadence, start_hour, start_minute, base_seconds, sku, dbu_per_hour, failure_rate, n_tasks, owner,
       '{"team":"' || split_part(split_part(owner, '@', 1), '-', 1) || '"}' AS tags_json, base_rows, deleted, paused, true, templated, templated,
       CASE WHEN templated THEN coalesce(planted_template, (SELECT c.name FROM coded_jobs c WHERE c.job_id = 101 + j.job_id % 12)) END
FROM (SELECT c.*, p.template AS planted_template,
             p.job_id IS NOT NULL OR (c.job_id NOT IN (1003, 1007, 1042) AND NOT (c.job_id BETWEEN 1011 AND 1025) AND NOT c.deleted
                                      AND u(c.job_id, 14, 0) < ${code_share}) AS templated
      FROM catalog_only c LEFT JOIN planted_copies p USING (job_id)) j
UNION ALL
-- a frequent job whose metadata is completely missing: runs and billing, but no jobs row
SELECT 1999, NULL, ws() || '-1999', 'hourly', 0, 5, 1500, 'STANDARD_JOBS_COMPUTE', 14.0, 0.03, 1, NULL,
       NULL, 6000000, false, false, false, false, false, NULL;

-- lifecycle: a deleted or paused job stops running part-way through the year
CREATE TABLE job_life AS
SELECT j.*,
       (SELECT start_date FROM period) - (40 + hash(${seed}, j.job_id, 20) % 900)::INT AS created_date,
       CASE WHEN j.deleted OR j.paused
            THEN (SELECT start_date FROM period) + (30 + hash(${seed}, j.job_id, 21) % greatest(${days} - 60, 1))::INT
            ELSE (SELECT end_date FROM period) + 1 END AS stop_date
FROM all_jobs j;

-- @step runs after model
-- one thread writes every file, so scan and join order is reproducible: runs is sorted once here
-- and the large exports below keep that order instead of sorting again
CREATE TABLE runs AS
WITH sched AS (
  SELECT j.job_id, j.inv_id, j.name, j.cadence, j.sku, j.dbu_per_hour, j.n_tasks, j.failure_rate, j.base_rows, j.in_catalog,
         d.d, d.day_idx, 0 AS hour, j.start_hour * 60 + j.start_minute AS start_min, j.base_seconds
  FROM job_life j JOIN days d ON d.d < j.stop_date
  WHERE j.cadence = 'daily' OR (j.cadence = 'weekly' AND dayofweek(d.d) = 1)
  UNION ALL
  SELECT j.job_id, j.inv_id, j.name, j.cadence, j.sku, j.dbu_per_hour, j.n_tasks, j.failure_rate, j.base_rows, j.in_catalog,
         d.d, d.day_idx, h.hour, h.hour * 60 + j.start_minute, j.base_seconds
  FROM job_life j JOIN days d ON d.d < j.stop_date
  CROSS JOIN (SELECT i::INT AS hour FROM range(24) r(i)) h
  WHERE j.cadence = 'hourly'
), runs0 AS (
  SELECT s.*,
         s.job_id * 1000000 + s.day_idx * 24 + s.hour AS run_id,
         -- probability of failure: the job's own rate, two platform incidents and, for a few jobs, a bad deploy
         CASE WHEN s.job_id IN (1003, 1007) THEN 0.0
              ELSE least(0.97,
                   s.failure_rate
                   + CASE WHEN s.d BETWEEN DATE '2026-02-10' AND DATE '2026-02-12' AND s.sku = 'STANDARD_JOBS_COMPUTE' THEN 0.55 ELSE 0 END
                   + CASE WHEN s.d = DATE '2026-06-03' THEN 0.35 ELSE 0 END
                   + CASE WHEN u(s.job_id, 22, 0) < 0.05
                           AND s.day_idx BETWEEN (hash(${seed}, s.job_id, 23) % ${days})::INT
                                             AND (hash(${seed}, s.job_id, 23) % ${days})::INT + 2 + (hash(${seed}, s.job_id, 24) % 5)::INT
                          THEN 0.9 ELSE 0 END
                   + CASE WHEN s.job_id = 1042 AND s.d >= DATE '2026-10-05' THEN 0.15 ELSE 0 END)
         END AS p_fail,
         u(s.job_id, s.day_idx * 24 + s.hour, 30) AS r_fail,
         u(s.job_id, s.day_idx * 24 + s.hour, 31) AS r_kind,
         u(s.job_id, s.day_idx * 24 + s.hour, 32) AS r_dur,
         CASE WHEN s.job_id IN (1003, 1007) THEN 0 ELSE (hash(${seed}, s.job_id, s.day_idx * 24 + s.hour, 33) % 9)::INT END AS delay_min
  FROM sched s
), runs1 AS (
  SELECT r.*,
         CASE WHEN r.r_fail >= r.p_fail THEN 'SUCCEEDED'
              WHEN r.r_kind < 0.80 THEN 'ERROR'
              WHEN r.r_kind < 0.92 THEN 'TIMED_OUT'
              ELSE 'CANCELLED' END AS result_state,
         (r.d::TIMESTAMP AT TIME ZONE 'UTC') + to_minutes(r.start_min + r.delay_min) AS start_time,
         CASE WHEN r.job_id IN (1003, 1007) THEN r.base_seconds
              WHEN r.job_id = 1042 AND r.d >= DATE '2026-10-05' AND u(r.job_id, r.day_idx, 34) < 0.78
                   THEN 8400 + (r.r_dur * 1800)::INT
              ELSE (r.base_seconds * (0.8 + 0.4 * r.r_dur))::INT END AS planned_seconds
  FROM runs0 r
)
SELECT job_id, inv_id, name, sku, dbu_per_hour, n_tasks, base_rows, in_catalog, d, day_idx, hour, run_id,
       CASE WHEN cadence = 'hourly' AND job_id = 1999 THEN 'PERIODIC' ELSE 'CRON' END AS trigger_type,
       result_state, start_time,
       start_time + to_seconds(CASE result_state WHEN 'SUCCEEDED' THEN planned_seconds
                                                 WHEN 'TIMED_OUT' THEN (planned_seconds * 1.5)::INT
                                                 ELSE greatest(30, (planned_seconds * (0.1 + 0.6 * r_dur))::INT) END) AS end_time
FROM runs1
ORDER BY job_id, run_id;

-- a failed run is retried automatically ten minutes later for most jobs
INSERT INTO runs
SELECT job_id, inv_id, name, sku, dbu_per_hour, n_tasks, base_rows, in_catalog, d, day_idx, hour, run_id + 500000,
       'RETRY',
       CASE WHEN u(job_id, run_id, 40) < 0.75 THEN 'SUCCEEDED' ELSE 'ERROR' END,
       end_time + INTERVAL 10 minute,
       end_time + INTERVAL 10 minute + to_seconds(greatest(60, (epoch(end_time) - epoch(start_time))::INT))
FROM runs
WHERE result_state = 'ERROR' AND u(job_id, run_id, 41) < 0.6 AND job_id <> 1999;

-- @step timeline after runs
COPY (
  SELECT acct() AS account_id, ws() AS workspace_id, job_id::VARCHAR AS job_id, run_id::VARCHAR AS run_id,
         greatest(start_time, h) AS period_start_time,
         least(end_time, h + INTERVAL 1 hour) AS period_end_time,
         trigger_type, 'JOB_RUN' AS run_type, name AS run_name,
         ['0' || (job_id % 10)::VARCHAR || lpad((run_id % 10000)::VARCHAR, 4, '0') || '-' || lpad(job_id::VARCHAR, 6, '0') || '-job'] AS compute_ids,
         CASE WHEN least(end_time, h + INTERVAL 1 hour) = end_time THEN result_state END AS result_state,
         CASE WHEN least(end_time, h + INTERVAL 1 hour) <> end_time THEN NULL
              WHEN result_state = 'SUCCEEDED' THEN 'SUCCESS'
              WHEN result_state = 'CANCELLED' THEN 'CANCELED'
              WHEN result_state = 'TIMED_OUT' THEN 'RUN_EXECUTION_ERROR'
              WHEN d BETWEEN DATE '2026-02-10' AND DATE '2026-02-12' THEN 'CLOUD_FAILURE'
              WHEN d = DATE '2026-06-03' THEN 'DRIVER_ERROR'
              ELSE pick(['RUN_EXECUTION_ERROR','RUN_EXECUTION_ERROR','DRIVER_ERROR','STORAGE_ACCESS_ERROR','LIBRARY_INSTALLATION_ERROR'], run_id, 42) END AS termination_code,
         '{}' AS job_parameters
  FROM (SELECT *, unnest(generate_series(date_trunc('hour', start_time), end_time - INTERVAL 1 microsecond, INTERVAL 1 hour)) AS h FROM runs)
) TO '${out}/catalog/lakeflow/job_run_timeline.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step task runs after runs
CREATE TABLE task_runs AS
SELECT r.job_id, r.sku, r.dbu_per_hour, r.run_id AS job_run_id, r.run_id * 10 + t.k AS task_run_id, t.k, r.n_tasks,
       CASE r.n_tasks WHEN 1 THEN 'main' WHEN 2 THEN ['transform','publish'][t.k] ELSE ['extract','transform','publish'][t.k] END AS task_key,
       r.start_time + to_microseconds(((epoch_us(r.end_time) - epoch_us(r.start_time)) * (t.k - 1) // r.n_tasks)) AS start_time,
       r.start_time + to_microseconds(((epoch_us(r.end_time) - epoch_us(r.start_time)) * t.k // r.n_tasks)) AS end_time,
       CASE WHEN t.k = r.n_tasks THEN r.result_state ELSE 'SUCCEEDED' END AS result_state,
       r.in_catalog
FROM runs r
JOIN (SELECT i::INT AS k FROM range(1, 4) x(i)) t ON t.k <= r.n_tasks;

-- @step task timeline after task runs
COPY (
  SELECT acct() AS account_id, ws() AS workspace_id, job_id::VARCHAR AS job_id, task_run_id::VARCHAR AS run_id,
         job_run_id::VARCHAR AS job_run_id, job_run_id::VARCHAR AS parent_run_id,
         start_time AS period_start_time, end_time AS period_end_time, task_key,
         ['0' || (job_id % 10)::VARCHAR || lpad((job_run_id % 10000)::VARCHAR, 4, '0') || '-' || lpad(job_id::VARCHAR, 6, '0') || '-job'] AS compute_ids,
         result_state,
         CASE result_state WHEN 'SUCCEEDED' THEN 'SUCCESS' WHEN 'CANCELLED' THEN 'CANCELED' ELSE 'RUN_EXECUTION_ERROR' END AS termination_code
  FROM task_runs
) TO '${out}/catalog/lakeflow/job_task_run_timeline.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step run stats after runs
COPY (
  SELECT ws() AS workspace_id, job_id::VARCHAR AS job_id, run_id::VARCHAR AS run_id,
         CASE WHEN result_state = 'SUCCEEDED' OR result_state IS NULL THEN (base_rows * (0.85 + 0.3 * u(job_id, run_id, 50)))::BIGINT
              ELSE (base_rows * 0.3 * u(job_id, run_id, 50))::BIGINT END AS rows_read,
         CASE WHEN result_state = 'SUCCEEDED' THEN (base_rows * (0.2 + 0.2 * u(job_id, run_id, 51)))::BIGINT ELSE 0 END AS rows_written,
         (base_rows * (0.85 + 0.3 * u(job_id, run_id, 50)) * 180)::BIGINT AS bytes_read,
         CASE WHEN result_state = 'SUCCEEDED' THEN (base_rows * (0.2 + 0.2 * u(job_id, run_id, 51)) * 120)::BIGINT ELSE 0 END AS bytes_written
  FROM runs
) TO '${out}/catalog/lakeflow/run_stats.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step jobs after model
-- SCD2 export of system.lakeflow.jobs: creation, a mid-year change for some jobs, pause/delete rows
CREATE TABLE job_changes AS
WITH base AS (
  SELECT j.*,
         CASE j.cadence
           WHEN 'hourly' THEN '0 ' || j.start_minute::VARCHAR || ' * * * ?'
           WHEN 'weekly' THEN '0 ' || j.start_minute::VARCHAR || ' ' || j.start_hour::VARCHAR || ' ? * MON'
           ELSE '0 ' || j.start_minute::VARCHAR || ' ' || j.start_hour::VARCHAR || ' * * ?' END AS cron,
         (100000000 + hash(${seed}, j.owner, 60) % 900000000)::VARCHAR AS creator_id
  FROM job_life j WHERE j.in_catalog
)
SELECT job_id, 1 AS change_no, created_date::TIMESTAMP AT TIME ZONE 'UTC' + to_minutes((hash(${seed}, job_id, 61) % 600)::INT) AS change_time,
       name, 'Scheduled ETL job ' || name AS description, creator_id, tags_json, owner AS run_as,
       '{"schedule":{"quartz_cron_expression":"' || cron || '","timezone_id":"UTC","pause_status":"UNPAUSED"}}' AS trigger, false AS paused,
       NULL::TIMESTAMPTZ AS delete_time
FROM base
UNION ALL
SELECT job_id, 2, DATE '2026-03-15'::TIMESTAMP AT TIME ZONE 'UTC' + to_minutes((hash(${seed}, job_id, 62) % 600)::INT),
       name,
       CASE WHEN job_id BETWEEN 1011 AND 1025 THEN NULL ELSE 'Scheduled ETL job ' || name END,
       CASE WHEN job_id BETWEEN 1011 AND 1025 THEN NULL ELSE creator_id END,
       CASE WHEN job_id BETWEEN 1011 AND 1025 THEN '{}' ELSE json_merge_patch(tags_json, '{"cost_center":"cc-' || (100 + hash(${seed}, owner, 63) % 40)::VARCHAR || '"}') END,
       CASE WHEN job_id BETWEEN 1011 AND 1025 THEN NULL ELSE owner END,
       CASE WHEN job_id BETWEEN 1011 AND 1025 THEN NULL
            ELSE '{"schedule":{"quartz_cron_expression":"' || cron || '","timezone_id":"UTC","pause_status":"UNPAUSED"}}' END,
       false, NULL
FROM base
WHERE job_id BETWEEN 1011 AND 1025 OR u(job_id, 64, 0) < 0.4
UNION ALL
SELECT job_id, 3, stop_date::TIMESTAMP AT TIME ZONE 'UTC' + INTERVAL 9 hour,
       name, 'Scheduled ETL job ' || name, creator_id, tags_json, owner,
       '{"schedule":{"quartz_cron_expression":"' || cron || '","timezone_id":"UTC","pause_status":"' || CASE WHEN paused THEN 'PAUSED' ELSE 'UNPAUSED' END || '"}}',
       paused,
       CASE WHEN deleted THEN stop_date::TIMESTAMP AT TIME ZONE 'UTC' + INTERVAL 9 hour END
FROM base
WHERE deleted OR paused;

COPY (
  SELECT acct() AS account_id, ws() AS workspace_id, job_id::VARCHAR AS job_id, name, description, creator_id,
         tags_json::JSON::MAP(VARCHAR, VARCHAR) AS tags,
         change_time, delete_time, run_as, trigger, paused
  FROM job_changes
  ORDER BY job_id, change_time
) TO '${out}/catalog/lakeflow/jobs.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
  SELECT acct() AS account_id, ws() AS workspace_id, job_id::VARCHAR AS job_id, task_key,
         CASE n_tasks WHEN 1 THEN []::VARCHAR[]
                      WHEN 2 THEN CASE k WHEN 1 THEN []::VARCHAR[] ELSE ['transform'] END
                      ELSE CASE k WHEN 1 THEN []::VARCHAR[] WHEN 2 THEN ['extract'] ELSE ['transform'] END END AS depends_on_keys,
         change_time, NULL::TIMESTAMPTZ AS delete_time,
         NULL::VARCHAR AS run_job_id
  FROM (
    SELECT c.job_id, c.change_time, j.n_tasks, t.k,
           CASE j.n_tasks WHEN 1 THEN 'main' WHEN 2 THEN ['transform','publish'][t.k] ELSE ['extract','transform','publish'][t.k] END AS task_key
    FROM job_changes c JOIN all_jobs j USING (job_id)
    JOIN (SELECT i::INT AS k FROM range(1, 4) x(i)) t ON t.k <= j.n_tasks
    WHERE c.change_no = 1
  )
  ORDER BY job_id, task_key
) TO '${out}/catalog/lakeflow/job_tasks.parquet' (FORMAT parquet, COMPRESSION zstd);

-- @step lineage after runs
CREATE TABLE coded_io AS SELECT * FROM (VALUES
  (101, 'raw.orders', 'curated.daily_revenue'), (101, 'raw.order_lines', 'curated.daily_revenue'), (101, 'raw.products', 'curated.daily_revenue'),
  (101, 'raw.stores', 'curated.daily_revenue'), (101, 'raw.fx_rates', 'curated.daily_revenue'),
  (102, 'raw.customers', 'curated.customer_360'), (102, 'raw.orders', 'curated.customer_360'), (102, 'raw.web_events', 'curated.customer_360'),
  (103, 'raw.order_lines', 'curated.product_sales_rank'), (103, 'raw.orders', 'curated.product_sales_rank'), (103, 'raw.products', 'curated.product_sales_rank'),
  (104, 'raw.customers', 'curated.dim_customer'),
  (105, 'raw.inventory_snapshots', 'curated.store_inventory'), (105, 'raw.stores', 'curated.store_inventory'), (105, 'raw.products', 'curated.store_inventory'),
  (106, 'raw.web_events', 'curated.web_sessions_daily'),
  (107, 'raw.orders', 'curated.orders_clean'),
  (108, 'raw.payments', 'curated.payment_exceptions'), (108, 'raw.orders', 'curated.payment_exceptions'),
  (109, 'raw.orders', 'curated.orders_usd'), (109, 'raw.fx_rates', 'curated.orders_usd'),
  (110, 'raw.orders', 'curated.customer_ltv_running'), (110, 'raw.orders', 'curated.customer_milestones'),
  (111, 'raw.customers', 'curated.marketing_segments'), (111, 'raw.orders', 'curated.marketing_segments'),
  (112, 'raw.inventory_snapshots', 'curated.reorder_suggestions'), (112, 'raw.orders', 'curated.reorder_suggestions'),
  (112, 'raw.order_lines', 'curated.reorder_suggestions'), (112, 'raw.products', 'curated.reorder_suggestions'),
  (1042, 'landing.inventory_feed', 'raw.inventory_snapshots'),
  (1007, 'raw.web_events', 'analytics.clickstream_enriched'),
  (1003, 'analytics.clickstream_enriched', 'analytics.marketing_attribution')
) t(job_id, src, tgt);

-- a planted copy reads what its template reads and writes the template's targets, renamed
INSERT INTO coded_io
SELECT p.job_id, io.src, 'curated.' || p.name || '__' || substr(io.tgt, length('curated.') + 1)
FROM planted_copies p JOIN coded_jobs c ON c.name = p.template JOIN coded_io io ON io.job_id = c.job_id;

-- catalog-only jobs read one or two tables: raw tables or the output of a lower-numbered job
CREATE TABLE catalog_io AS
SELECT job_id, src, 'analytics.' || name AS tgt FROM (
  SELECT j.job_id, j.name,
         CASE WHEN u(j.job_id, 70, k) < 0.5 OR j.job_id < 1010
              THEN pick(['raw.orders','raw.order_lines','raw.customers','raw.products','raw.payments','raw.web_events','raw.stores'], j.job_id, 71 + k)
              ELSE 'analytics.' || (SELECT name FROM catalog_only c WHERE c.job_id = 1001 + (hash(${seed}, j.job_id, 72 + k) % (j.job_id - 1001))::INT)
         END AS src
  FROM catalog_only j, (SELECT i::INT AS k FROM range(2) x(i)) t
  WHERE j.job_id NOT IN (1003, 1007, 1042) AND j.job_id NOT IN (SELECT job_id FROM planted_copies) AND (t.k = 0 OR u(j.job_id, 73, 0) < 0.5)
);

COPY (
  SELECT 'hive_metastore.' || io.src AS source_table_full_name, 'hive_metastore.' || io.tgt AS target_table_full_name,
         'JOB' AS entity_type, io.job_id::VARCHAR AS entity_id, r.run_id::VARCHAR AS entity_run_id,
         r.end_time AS event_time, ws() AS workspace_id
  FROM (SELECT * FROM coded_io UNION ALL SELECT * FROM catalog_io) io
  JOIN (SELECT job_id, max(run_id) AS run_id, max(end_time) AS end_time FROM runs WHERE result_state = 'SUCCEEDED' GROUP BY job_id) r
    ON r.job_id = io.job_id
  ORDER BY entity_id, source_table_full_name, target_table_full_name
) TO '${out}/catalog/lineage/table_lineage.parquet' (FORMAT parquet, COMPRESSION zstd);

-- @step prices after model
CREATE TABLE price_rows AS
  SELECT * FROM (VALUES
    (TIMESTAMPTZ '2025-01-01 00:00:00+00', TIMESTAMPTZ '2026-05-01 00:00:00+00', 'STANDARD_JOBS_COMPUTE', '0.15', '0.15'),
    (TIMESTAMPTZ '2026-05-01 00:00:00+00', NULL,                                  'STANDARD_JOBS_COMPUTE', '0.17', '0.17'),
    (TIMESTAMPTZ '2025-01-01 00:00:00+00', TIMESTAMPTZ '2026-05-01 00:00:00+00', 'PREMIUM_JOBS_COMPUTE', '0.30', '0.30'),
    (TIMESTAMPTZ '2026-05-01 00:00:00+00', NULL,                                  'PREMIUM_JOBS_COMPUTE', '0.35', '0.35'),
    (TIMESTAMPTZ '2025-01-01 00:00:00+00', TIMESTAMPTZ '2026-05-01 00:00:00+00', 'PREMIUM_JOBS_SERVERLESS_COMPUTE', '0.37', '0.35'),
    (TIMESTAMPTZ '2026-05-01 00:00:00+00', NULL,                                  'PREMIUM_JOBS_SERVERLESS_COMPUTE', '0.39', '0.35'),
    (TIMESTAMPTZ '2025-01-01 00:00:00+00', NULL,                                  'PREMIUM_ALL_PURPOSE_COMPUTE', '0.55', '0.55')
  ) t(price_start_time, price_end_time, sku_name, list_default, effective_default);

COPY (
  SELECT ts_iso(price_start_time) AS price_start_time, CASE WHEN price_end_time IS NOT NULL THEN ts_iso(price_end_time) END AS price_end_time,
         acct() AS account_id, sku_name, 'AWS' AS cloud, 'USD' AS currency_code, 'DBU' AS usage_unit,
         '{"default": "' || list_default || '", "effective_list": {"default": "' || effective_default || '"}}' AS pricing
  FROM price_rows
  ORDER BY sku_name, price_start_time
) TO '${out}/finops/billing/list_prices.csv' (HEADER, DELIMITER ',');

-- @step usage after task runs, model
-- one usage record per task cluster and clock hour; the export is four files, one per quarter of the
-- period (part), written side by side
CREATE TABLE usage0 AS
SELECT t.job_id, t.sku, t.job_run_id, t.task_run_id,
       h AS usage_start_time, h + INTERVAL 1 hour AS usage_end_time,
       round(t.dbu_per_hour * (epoch_us(least(t.end_time, h + INTERVAL 1 hour)) - epoch_us(greatest(t.start_time, h)))::DECIMAL(38, 6) / 3600000000, 6)::DECIMAL(18, 6) AS usage_quantity,
       least(4, 1 + ((h::DATE - (SELECT start_date FROM period)) * 4) // ${days})::INT AS part
FROM (SELECT *, unnest(generate_series(date_trunc('hour', start_time), end_time - INTERVAL 1 microsecond, INTERVAL 1 hour)) AS h FROM task_runs) t;

-- per-job parts of a usage record, built once instead of once per row
CREATE TABLE usage_job AS
SELECT job_id, name, MAP {'job': coalesce(name, 'unknown')} AS custom_tags,
       {'run_as': CASE WHEN in_catalog THEN 'svc-etl@retail.example' END} AS identity_metadata,
       '0' || (job_id % 10)::VARCHAR || '-' || lpad(job_id::VARCHAR, 6, '0') || '-job-' AS cluster_prefix
FROM all_jobs;

-- the rows of finops/billing/usage (system.billing.usage), with the file they go to
CREATE VIEW usage_rows AS
  SELECT acct() AS account_id, ws() AS workspace_id,
         u.task_run_id::VARCHAR || '-' || (epoch(u.usage_start_time)::BIGINT // 3600)::VARCHAR || '-' || u.kind AS record_id,
         u.sku AS sku_name, 'AWS' AS cloud,
         u.usage_start_time, u.usage_end_time, u.usage_start_time::DATE AS usage_date,
         j.custom_tags, 'DBU' AS usage_unit, u.usage_quantity,
         {'job_id': u.job_id::VARCHAR, 'job_run_id': u.job_run_id::VARCHAR, 'job_name': j.name,
          'cluster_id': j.cluster_prefix || (u.job_run_id % 100000)::VARCHAR} AS usage_metadata,
         j.identity_metadata,
         CASE u.kind WHEN 'O' THEN 'ORIGINAL' WHEN 'R' THEN 'RETRACTION' ELSE 'RESTATEMENT' END AS record_type,
         u.usage_start_time::DATE + CASE u.kind WHEN 'O' THEN 1 ELSE 3 END AS ingestion_date,
         'JOBS' AS billing_origin_product, 'COMPUTE_TIME' AS usage_type, u.part
  FROM (
    SELECT job_id, sku, job_run_id, task_run_id, usage_start_time, usage_end_time, usage_quantity, 'O' AS kind, part FROM usage0
    UNION ALL
    -- a few hourly records were corrected later: the original is retracted and restated
    SELECT job_id, sku, job_run_id, task_run_id, usage_start_time, usage_end_time,
           CASE kind WHEN 'R' THEN -usage_quantity ELSE round(usage_quantity * 0.9, 6)::DECIMAL(18, 6) END, kind, part
    FROM usage0, (SELECT unnest(['R', 'S']) AS kind)
    WHERE job_id NOT IN (1003, 1007) AND u(task_run_id, epoch(usage_start_time)::BIGINT, 80) < 0.002
  ) u
  JOIN usage_job j USING (job_id);

-- @step billing 1 after usage
COPY (SELECT * EXCLUDE (part) FROM usage_rows WHERE part = 1)
TO '${out}/finops/billing/usage/part-1.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step billing 2 after usage
COPY (SELECT * EXCLUDE (part) FROM usage_rows WHERE part = 2)
TO '${out}/finops/billing/usage/part-2.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step billing 3 after usage
COPY (SELECT * EXCLUDE (part) FROM usage_rows WHERE part = 3)
TO '${out}/finops/billing/usage/part-3.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step billing 4 after usage
COPY (SELECT * EXCLUDE (part) FROM usage_rows WHERE part = 4)
TO '${out}/finops/billing/usage/part-4.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);

-- @step finance after usage, prices
-- cost per job and month from billing (decimal arithmetic), the base of the finance report
CREATE TABLE prices AS
SELECT price_start_time, price_end_time, sku_name, effective_default::DECIMAL(18, 6) AS price
FROM price_rows;

CREATE TABLE monthly_cost AS
SELECT j.inv_id, c.job_id, c.month, c.cost
FROM (
  SELECT us.job_id, strftime(us.usage_start_time, '%Y-%m') AS month, sum(us.usage_quantity * p.price) AS cost
  FROM usage0 us
  JOIN prices p ON p.sku_name = us.sku AND us.usage_start_time >= p.price_start_time
               AND (p.price_end_time IS NULL OR us.usage_start_time < p.price_end_time)
  GROUP BY us.job_id, month
) c JOIN all_jobs j USING (job_id);

-- the finance report covers the coded jobs, the planted jobs and a third of the catalog
CREATE TABLE costs AS
SELECT inv_id AS job_id, month,
       CASE WHEN job_id = 1003 AND month = '2026-09' THEN 120.00
            WHEN job_id = 1007 AND month = '2026-09' THEN 4200.00
            ELSE round(cost, 2) END::DECIMAL(18, 2) AS cost_usd,
       CASE WHEN job_id < 1000 THEN 'finance_chargeback' ELSE 'finance_report' END AS source
FROM monthly_cost
WHERE job_id < 1000 OR job_id IN (1003, 1007, 1042) OR (job_id <> 1999 AND u(job_id, 90, 0) < 0.33);

-- @step slas after model
CREATE TABLE slas AS
SELECT * FROM (VALUES
  ('orders_daily_revenue', '08:00', 'America/New_York'),
  ('customer_360', '09:00', 'America/New_York'),
  ('store_inventory_report', '09:30', 'America/New_York'),
  ('inventory_reorder', '10:30', 'America/New_York'),
  (ws() || '-1042', '06:00', 'America/New_York'),
  (ws() || '-1007', '09:00', 'UTC')
) t(job_id, deadline, timezone)
UNION ALL
SELECT inv_id, lpad(((start_hour + 4) % 24)::VARCHAR, 2, '0') || ':00', pick(['America/New_York','Europe/London','UTC'], job_id, 95)
FROM all_jobs
WHERE job_id > 1100 AND cadence = 'daily' AND NOT deleted AND NOT paused AND u(job_id, 96, 0) < 0.06 AND start_hour < 12;

COPY (SELECT * FROM slas ORDER BY job_id) TO '${out}/finops/slas.csv' (HEADER, DELIMITER ',');

-- @step tickets after runs
-- tickets follow failures (more for failure clusters), the SLA pattern of 1042 and a few data questions
CREATE TABLE ticket_src AS
SELECT r.job_id, r.inv_id, r.name, r.end_time + to_minutes(20 + (hash(${seed}, r.run_id, 100) % 180)::INT) AS opened_at,
       'job_failure' AS category,
       CASE WHEN r.d BETWEEN DATE '2026-02-10' AND DATE '2026-02-12' OR r.d = DATE '2026-06-03' THEN 'Sev-2'
            ELSE pick(['Sev-3','Sev-3','Sev-4','Sev-2'], r.run_id, 101) END AS severity,
       r.run_id, false AS downstream_impact, 'failure' AS template
FROM runs r
WHERE r.result_state IN ('ERROR', 'TIMED_OUT') AND r.in_catalog AND r.trigger_type <> 'RETRY'
  AND u(r.job_id, r.run_id, 102) < CASE WHEN r.job_id < 1000 THEN 0.5 ELSE 0.12 END
UNION ALL
SELECT r.job_id, r.inv_id, r.name, r.end_time + INTERVAL 45 minute, 'sla_miss', 'Sev-2', r.run_id, true, 'sla'
FROM runs r
WHERE r.job_id = 1042 AND r.d >= DATE '2026-10-05' AND r.result_state = 'SUCCEEDED'
  AND timezone('America/New_York', r.end_time)::TIME > TIME '06:00' AND u(r.job_id, r.run_id, 103) < 0.7
UNION ALL
SELECT r.job_id, r.inv_id, r.name, r.end_time + INTERVAL 3 hour, 'data_quality', 'Sev-3', r.run_id, false, 'dq'
FROM runs r
WHERE r.job_id IN (101, 108, 109) AND u(r.job_id, r.run_id, 104) < 0.03
UNION ALL
-- the job without metadata shows up in tickets only by name fragments
SELECT r.job_id, r.inv_id, 'legacy_export_hourly', r.end_time + INTERVAL 30 minute, 'job_failure', 'Sev-3', r.run_id, false, 'ghost'
FROM runs r
WHERE r.job_id = 1999 AND r.result_state = 'ERROR' AND u(r.job_id, r.run_id, 105) < 0.1;

CREATE TABLE tickets AS
SELECT 'INC-' || lpad(row_number() OVER (ORDER BY opened_at, run_id, template)::VARCHAR, 6, '0') AS ticket_id,
       CASE WHEN template = 'ghost' THEN NULL
            WHEN u(job_id, run_id, 110) < 0.3 THEN NULL ELSE inv_id END AS job_id,
       CASE WHEN template = 'ghost' THEN 'legacy export'
            WHEN u(job_id, run_id, 111) < 0.5 THEN name ELSE NULL END AS job_name_hint,
       ts_iso(opened_at) AS opened_at, severity, category,
       CASE template
         WHEN 'failure' THEN pick([
              'Job ' || name || ' failed overnight (' || pick(['OOM on driver','stage failure','timeout reading source','cluster lost'], run_id, 121) || '), rerun needed',
              replace(name, '_', ' ') || ' did not complete, downstream refresh delayed',
              'Alert: ' || name || ' run ' || run_id::VARCHAR || ' ended in error',
              'Nightly ' || replace(name, '_', ' ') || ' job is red again, please check'], run_id, 120)
         WHEN 'sla' THEN pick([
              'Inventory snapshot load finished late again; store inventory report and reorder suggestions used stale stock',
              'Stores see yesterday''s stock levels - inventory_snapshot_load missed its 6am deadline',
              'Reorder suggestions wrong this morning, inventory snapshot not loaded before 06:00 ET'], run_id, 122)
         WHEN 'dq' THEN pick([
              'Revenue figures in ' || replace(name, '_', ' ') || ' do not match the ledger for yesterday',
              'Finance asks why ' || name || ' totals differ from the payment provider report',
              'Duplicate rows suspected in output of ' || name], run_id, 123)
         ELSE 'The hourly legacy export (no owner known) failed, SFTP partner file missing'
       END AS summary,
       CASE WHEN downstream_impact THEN 'true' ELSE 'false' END AS downstream_impact
FROM ticket_src;

COPY (SELECT * FROM tickets ORDER BY ticket_id) TO '${out}/finops/tickets.csv' (HEADER, DELIMITER ',');

-- @step simple after model
-- simple catalog form for the on-prem scheduler jobs (not in Databricks)
CREATE TABLE onprem AS
SELECT i, 'onprem_' || ['dwh','edw','bi','ftp'][1 + i % 4] || '_' || ['sales','stock','gl','hr','crm','web','ship','price','tax','audit'][1 + (i // 4) % 10]
          || CASE WHEN i >= 40 THEN '_' || (i // 40)::VARCHAR ELSE '' END AS job_id,
       (hash(${seed}, i, 130) % 6)::INT AS start_hour,
       (600 + u(i, 131, 0) * 5000)::INT AS base_seconds,
       0.005 + u(i, 132, 0) * 0.04 AS failure_rate,
       (10000 + u(i, 133, 0) * 5000000)::BIGINT AS base_rows
FROM range(40) r(i);

COPY (
  SELECT job_id, upper(replace(job_id, '_', ' ')) AS name,
         CASE WHEN i % 9 = 4 THEN NULL ELSE '0 ' || start_hour::VARCHAR || ' * * *' END AS schedule,
         CASE WHEN i % 7 = 3 THEN NULL ELSE pick(['dwh-team','bi-team','integration-team'], i, 134) END AS owner,
         CASE WHEN i % 10 = 0 THEN 'finance;sox' WHEN i % 3 = 0 THEN 'reporting' ELSE 'etl' END AS tags,
         'scheduler/' || job_id || '.ksh' AS code_path,
         strftime(DATE '2026-10-31' - (hash(${seed}, i, 135) % 1500)::INT, '%Y-%m-%d') AS last_modified
  FROM onprem ORDER BY job_id
) TO '${out}/catalog/jobs.csv' (HEADER, DELIMITER ',');

COPY (
  SELECT job_id, run_id, ts_iso(start_time) AS start_time, ts_iso(end_time) AS end_time, status,
         rows_read, rows_written, rows_read * 200 AS bytes_read, rows_written * 150 AS bytes_written
  FROM (
    SELECT o.job_id, o.job_id || '-' || strftime(d.d, '%Y%m%d') AS run_id,
           (d.d::TIMESTAMP AT TIME ZONE 'UTC') + to_hours(o.start_hour) + to_minutes((hash(${seed}, o.i, d.day_idx, 140) % 20)::INT) AS start_time,
           (d.d::TIMESTAMP AT TIME ZONE 'UTC') + to_hours(o.start_hour) + to_seconds((o.base_seconds * (0.8 + 0.4 * u(o.i, d.day_idx, 141)))::INT) AS end_time,
           CASE WHEN u(o.i, d.day_idx, 142) >= o.failure_rate THEN 'SUCCESS'
                ELSE pick(['FAILED','FAILED','FAILED','TIMEDOUT','CANCELLED'], o.i, d.day_idx) END AS status,
           (o.base_rows * (0.9 + 0.2 * u(o.i, d.day_idx, 143)))::BIGINT AS rows_read,
           (o.base_rows * (0.3 + 0.1 * u(o.i, d.day_idx, 144)))::BIGINT AS rows_written
    FROM onprem o, days d
  )
  ORDER BY job_id, start_time
) TO '${out}/catalog/runs.csv' (HEADER, DELIMITER ',');

-- @step costs after simple, finance
INSERT INTO costs
SELECT o.job_id, strftime(d.d, '%Y-%m') AS month, round(sum(o.base_seconds / 3600.0 * 4.0 * 0.15), 2)::DECIMAL(18, 2), 'finance_report'
FROM onprem o, days d WHERE o.i % 2 = 0
GROUP BY o.job_id, month;

COPY (SELECT job_id, month, cost_usd, source FROM costs ORDER BY job_id, month) TO '${out}/finops/costs.csv' (HEADER, DELIMITER ',');

-- @step airflow after model
CREATE TABLE dags AS
SELECT i, ['dwh','mart','export','ml','sync'][1 + i % 5] || '_' || ['sales','stock','customers','web','finance','supplier','returns','pricing'][1 + (i // 5) % 8] || '_v' || (1 + i // 40)::VARCHAR AS dag_id,
       (hash(${seed}, i, 150) % 24)::INT AS start_hour, (2 + hash(${seed}, i, 151) % 4)::INT AS n_tasks,
       0.005 + u(i, 152, 0) * 0.03 AS failure_rate
FROM range(20) r(i);

COPY (
  SELECT dag_id, i % 11 = 5 AS is_paused, true AS is_active,
         '0 ' || start_hour::VARCHAR || ' * * *' AS schedule_interval,
         '/opt/airflow/dags/' || dag_id || '.py' AS fileloc,
         pick(['data-eng','analytics','ml-platform'], i, 153) AS owners,
         'Airflow DAG ' || dag_id AS description,
         TIMESTAMPTZ '2026-10-31 23:55:00+00' AS last_parsed_time,
         '["' || split_part(dag_id, '_', 1) || '"]' AS tags
  FROM dags ORDER BY dag_id
) TO '${out}/catalog/airflow/dag.parquet' (FORMAT parquet, COMPRESSION zstd);

CREATE TABLE dag_runs AS
SELECT g.dag_id, g.n_tasks, 'scheduled__' || strftime(d.d, '%Y-%m-%d') || 'T' || lpad(g.start_hour::VARCHAR, 2, '0') || ':00:00+00:00' AS run_id,
       (d.d::TIMESTAMP AT TIME ZONE 'UTC') + to_hours(g.start_hour) AS logical_date,
       (d.d::TIMESTAMP AT TIME ZONE 'UTC') + to_hours(g.start_hour + 24) + to_seconds((hash(${seed}, g.i, d.day_idx, 154) % 300)::INT) AS start_date,
       u(g.i, d.day_idx, 155) < g.failure_rate AS failed, g.i, d.day_idx
FROM dags g, days d;

COPY (
  SELECT dag_id, run_id, logical_date, start_date,
         start_date + to_seconds((n_tasks * 600 * (0.7 + 0.6 * u(i, day_idx, 156)))::INT) AS end_date,
         CASE WHEN failed THEN 'failed' ELSE 'success' END AS state, 'scheduled' AS run_type
  FROM dag_runs ORDER BY dag_id, logical_date
) TO '${out}/catalog/airflow/dag_run.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
  SELECT dag_id, task_id, run_id, start_date, end_date, epoch(end_date) - epoch(start_date) AS duration,
         state, try_number, operator, upstream_task_ids
  FROM (
    SELECT r.dag_id, ['extract','validate','transform','load','notify'][t.k] AS task_id, r.run_id,
           r.start_date + to_seconds((r.n_tasks * 600 * (0.7 + 0.6 * u(r.i, r.day_idx, 156)) * (t.k - 1) / r.n_tasks)::INT) AS start_date,
           r.start_date + to_seconds((r.n_tasks * 600 * (0.7 + 0.6 * u(r.i, r.day_idx, 156)) * t.k / r.n_tasks)::INT) AS end_date,
           CASE WHEN r.failed AND t.k = r.n_tasks THEN 'failed' ELSE 'success' END AS state,
           CASE WHEN r.failed AND t.k = r.n_tasks THEN 2 ELSE 1 END AS try_number,
           ['SnowflakeOperator','PythonOperator','DatabricksSubmitRunOperator','PythonOperator','EmailOperator'][t.k] AS operator,
           CASE WHEN t.k = 1 THEN '[]' ELSE '["' || ['extract','validate','transform','load','notify'][t.k - 1] || '"]' END AS upstream_task_ids
    FROM dag_runs r JOIN (SELECT i::INT AS k FROM range(1, 6) x(i)) t ON t.k <= r.n_tasks
  )
  ORDER BY dag_id, run_id, start_date, task_id
) TO '${out}/catalog/airflow/task_instance.parquet' (FORMAT parquet, COMPRESSION zstd);
