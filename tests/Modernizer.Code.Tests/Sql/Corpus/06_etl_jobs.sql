-- Job: nightly_sales_rollup (legacy notebook %sql cells, in order)
SET spark.sql.sources.partitionOverwriteMode = dynamic;
CREATE OR REPLACE TEMP VIEW orders_clean AS
SELECT o.order_id,
       o.customer_id,
       CAST(o.order_ts AS DATE) AS order_date,
       CAST(o.amount AS DECIMAL(18, 2)) AS amount,
       upper(trim(o.currency)) AS currency
FROM bronze.orders o
WHERE o.order_ts >= '${start_date}' AND o.order_ts < '${end_date}' AND o.amount IS NOT NULL;
CREATE OR REPLACE TEMP VIEW fx AS SELECT currency, rate FROM ref.fx_rates WHERE rate_date = '${end_date}';
CREATE OR REPLACE TEMP VIEW orders_eur AS
SELECT c.*, round(c.amount * coalesce(f.rate, 1.0), 2) AS amount_eur
FROM orders_clean c LEFT JOIN fx f ON c.currency = f.currency;
INSERT OVERWRITE TABLE silver.orders_eur PARTITION (order_date)
SELECT order_id, customer_id, currency, amount, amount_eur, order_date FROM orders_eur;
INSERT INTO gold.daily_revenue
SELECT order_date, currency, count(*) AS orders, sum(amount_eur) AS revenue_eur
FROM orders_eur GROUP BY order_date, currency;
OPTIMIZE silver.orders_eur;

-- Job: customer_scd2
CREATE OR REPLACE TEMP VIEW incoming AS
SELECT customer_id, name, email, city, sha2(concat_ws('||', name, email, city), 256) AS row_hash, current_timestamp() AS load_ts
FROM bronze.customers_cdc
QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY cdc_ts DESC) = 1;
MERGE INTO silver.dim_customer AS t
USING (
  SELECT i.customer_id AS merge_key, i.* FROM incoming i
  UNION ALL
  SELECT NULL AS merge_key, i.* FROM incoming i JOIN silver.dim_customer d ON i.customer_id = d.customer_id
  WHERE d.is_current = true AND d.row_hash <> i.row_hash
) AS s
ON t.customer_id = s.merge_key AND t.is_current = true
WHEN MATCHED AND t.row_hash <> s.row_hash THEN UPDATE SET t.is_current = false, t.valid_to = s.load_ts
WHEN NOT MATCHED THEN INSERT (customer_id, name, email, city, row_hash, is_current, valid_from, valid_to)
VALUES (s.customer_id, s.name, s.email, s.city, s.row_hash, true, s.load_ts, NULL);

-- Job: inventory_snapshot
CREATE TABLE IF NOT EXISTS gold.inventory_snapshot (snapshot_date DATE, store_id INT, sku STRING, on_hand BIGINT) USING delta PARTITIONED BY (snapshot_date);
DELETE FROM gold.inventory_snapshot WHERE snapshot_date = '${run_date}';
INSERT INTO gold.inventory_snapshot
SELECT DATE '${run_date}' AS snapshot_date, m.store_id, m.sku, sum(m.qty_delta) AS on_hand
FROM silver.stock_movements m
WHERE m.movement_date <= '${run_date}'
GROUP BY m.store_id, m.sku
HAVING sum(m.qty_delta) <> 0;

-- Job: web_sessions
CREATE OR REPLACE TEMP VIEW clicks AS SELECT user_id, ts, page, lag(ts) OVER (PARTITION BY user_id ORDER BY ts) AS prev_ts FROM bronze.web_clicks WHERE dt = '${run_date}';
CREATE OR REPLACE TEMP VIEW sessionized AS
SELECT user_id, ts, page,
       sum(CASE WHEN prev_ts IS NULL OR unix_timestamp(ts) - unix_timestamp(prev_ts) > 1800 THEN 1 ELSE 0 END)
         OVER (PARTITION BY user_id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_seq
FROM clicks;
INSERT OVERWRITE TABLE silver.sessions PARTITION (dt = '${run_date}')
SELECT user_id, session_seq, min(ts) AS session_start, max(ts) AS session_end, count(*) AS pages, collect_list(page) AS path
FROM sessionized GROUP BY user_id, session_seq;

-- Job: returns_reconciliation
WITH shipped AS (
  SELECT order_id, sum(qty) AS shipped_qty FROM silver.shipments GROUP BY order_id
), returned AS (
  SELECT order_id, sum(qty) AS returned_qty FROM silver.returns GROUP BY order_id
)
SELECT s.order_id, s.shipped_qty, coalesce(r.returned_qty, 0) AS returned_qty,
       CASE WHEN coalesce(r.returned_qty, 0) > s.shipped_qty THEN 'OVER_RETURN' ELSE 'OK' END AS status
FROM shipped s LEFT JOIN returned r ON s.order_id = r.order_id;

-- Job: product_catalog_flatten
CREATE OR REPLACE TABLE silver.product_attributes USING delta AS
SELECT p.sku, a.key AS attribute, a.value AS attribute_value
FROM bronze.products p LATERAL VIEW OUTER explode(p.attributes) a AS key, value
WHERE p.is_active;
CREATE OR REPLACE TABLE silver.product_variants USING delta AS
SELECT p.sku, v.pos AS variant_no, v.variant.color AS color, v.variant.size AS size
FROM bronze.products p LATERAL VIEW posexplode(p.variants) v AS pos, variant;

-- Job: loyalty_points (row-by-row legacy replaced later)
CREATE OR REPLACE TEMP VIEW eligible AS
SELECT c.customer_id, c.tier, o.order_id, o.amount
FROM silver.customers c JOIN silver.orders o ON c.customer_id = o.customer_id
WHERE o.status = 'PAID' AND o.order_date = '${run_date}';
INSERT INTO gold.loyalty_ledger
SELECT customer_id, order_id,
       CAST(floor(amount * CASE tier WHEN 'GOLD' THEN 3 WHEN 'SILVER' THEN 2 ELSE 1 END) AS INT) AS points,
       '${run_date}' AS ledger_date
FROM eligible;
UPDATE gold.loyalty_balance SET points = points + 0 WHERE customer_id IS NULL;

-- Job: store_kpis
SELECT s.store_id, s.region,
       sum(o.amount) AS revenue,
       count(DISTINCT o.customer_id) AS customers,
       sum(o.amount) / nullif(count(DISTINCT o.customer_id), 0) AS revenue_per_customer,
       percentile_approx(o.amount, array(0.25, 0.5, 0.75)) AS quartiles
FROM silver.stores s LEFT JOIN silver.orders o ON s.store_id = o.store_id AND o.order_date BETWEEN '${start_date}' AND '${end_date}'
GROUP BY s.store_id, s.region;

-- Job: dedupe_events
INSERT OVERWRITE TABLE silver.events
SELECT event_id, user_id, event_type, event_ts, payload
FROM (
  SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY ingest_ts DESC) AS rn
  FROM bronze.events
  WHERE dt BETWEEN date_sub('${run_date}', 2) AND '${run_date}'
) x
WHERE rn = 1;

-- Job: gdpr_erasure
DELETE FROM silver.customers WHERE customer_id IN (SELECT customer_id FROM ref.erasure_requests WHERE processed = false);
UPDATE silver.orders SET customer_email = NULL, customer_phone = NULL WHERE customer_id IN (SELECT customer_id FROM ref.erasure_requests WHERE processed = false);
UPDATE ref.erasure_requests SET processed = true, processed_at = current_timestamp() WHERE processed = false;

-- Job: calendar dimension
CREATE OR REPLACE TABLE gold.dim_date USING delta AS
SELECT d AS date_key, year(d) AS year, quarter(d) AS quarter, month(d) AS month, dayofweek(d) AS dow,
       date_format(d, 'EEEE') AS day_name, weekofyear(d) AS week, d = last_day(d) AS is_month_end
FROM (SELECT explode(sequence(DATE '2020-01-01', DATE '2030-12-31', INTERVAL 1 DAY)) AS d) days;

-- Job: top products per category
SELECT category, sku, revenue FROM (
  SELECT p.category, l.sku, sum(l.qty * l.unit_price) AS revenue,
         dense_rank() OVER (PARTITION BY p.category ORDER BY sum(l.qty * l.unit_price) DESC) AS rk
  FROM silver.order_lines l JOIN silver.products p ON l.sku = p.sku
  GROUP BY p.category, l.sku
) ranked WHERE rk <= 10 ORDER BY category, rk;

-- Job: late arriving facts
INSERT INTO silver.fact_sales
SELECT f.*, coalesce(d.customer_sk, -1) AS customer_sk
FROM staging.fact_sales f
LEFT JOIN silver.dim_customer d ON f.customer_id = d.customer_id AND f.sale_ts >= d.valid_from AND (f.sale_ts < d.valid_to OR d.valid_to IS NULL);
SELECT count(*) AS unknown_members FROM silver.fact_sales WHERE customer_sk = -1;
