-- Raw lake of the retail sample: in-memory tables raw_<name> that RawLakeWriter commits as Delta tables.
-- Tokens: ${seed} ${scale}. Orders span 2026-08-01 .. 2026-10-31; late arrivals are ingested in November.

-- @step reference data
CREATE OR REPLACE MACRO ur(a, b, c) AS (hash(${seed}, 'lake', a, b, c) % 1000000)::DOUBLE / 1000000.0;
CREATE OR REPLACE MACRO pk(list, a, b) AS list[1 + (hash(${seed}, 'lake', a, b) % len(list))::INT];

CREATE TABLE cities AS SELECT * FROM (VALUES
  (0, 'New York', 'US-East', 'US', 'America/New_York', 'USD'), (1, 'Boston', 'US-East', 'US', 'America/New_York', 'USD'),
  (2, 'Chicago', 'US-Central', 'US', 'America/Chicago', 'USD'), (3, 'Dallas', 'US-Central', 'US', 'America/Chicago', 'USD'),
  (4, 'Denver', 'US-Mountain', 'US', 'America/Denver', 'USD'), (5, 'Seattle', 'US-West', 'US', 'America/Los_Angeles', 'USD'),
  (6, 'Toronto', 'Canada', 'CA', 'America/Toronto', 'CAD'), (7, 'London', 'UK', 'GB', 'Europe/London', 'GBP'),
  (8, 'Manchester', 'UK', 'GB', 'Europe/London', 'GBP'), (9, 'Paris', 'EU', 'FR', 'Europe/Paris', 'EUR')
) t(city_no, city, region, country, timezone, currency);

CREATE TABLE raw_stores AS
SELECT i::INTEGER AS store_id, 'Store ' || lpad(i::VARCHAR, 3, '0') || ' ' || c.city AS store_name, c.region, c.country, c.timezone,
       CASE WHEN i % 17 = 0 THEN NULL ELSE DATE '2012-01-01' + (hash(${seed}, 'lake', 'store', i) % 4000)::INT END AS opened_date
FROM range(1, 41) r(i) JOIN cities c ON c.city_no = (i * 7) % 10
ORDER BY store_id;

CREATE TABLE raw_products AS
SELECT i::INTEGER AS product_id, 'SKU-' || lpad(i::VARCHAR, 5, '0') AS sku,
       pk(['Classic','Organic','Premium','Everyday','Eco','Deluxe','Mini','Family'], i, 1) || ' ' ||
       pk(['Coffee','Tea','Pasta','Shampoo','Towel','Mug','Lamp','Sneaker','Jacket','Charger','Cereal','Candle'], i, 2) || ' ' || i::VARCHAR AS product_name,
       pk(['grocery','grocery','grocery','household','apparel','electronics','beauty','home','toys','sports','garden','books'], i, 3) AS category,
       (1 + ur(i, 4, 0) * 80)::DECIMAL(18, 2) AS unit_cost,
       ((1 + ur(i, 4, 0) * 80) * (1.2 + ur(i, 5, 0)))::DECIMAL(18, 2) AS list_price,
       pk([1, 1, 1, 6, 12, 24], i, 6)::INTEGER AS pack_size,
       ur(i, 7, 0) >= 0.05 AS active
FROM range(1, 601) r(i)
ORDER BY product_id;

CREATE TABLE raw_fx_rates AS
SELECT rate_date, currency, rate_to_usd, source FROM (
  SELECT d::DATE AS rate_date, c.currency,
         CASE c.currency WHEN 'USD' THEN 1.0
              ELSE c.base * (1 + 0.02 * sin(epoch(d) / 86400.0 / 9.0) + 0.004 * (ur(epoch(d)::BIGINT, c.currency, 8) - 0.5)) END::DECIMAL(18, 6) AS rate_to_usd,
         'ECB' AS source
  FROM range(DATE '2026-08-01', DATE '2026-11-01', INTERVAL 1 day) r(d),
       (VALUES ('USD', 1.0), ('EUR', 1.08), ('GBP', 1.27), ('CAD', 0.73)) c(currency, base)
  -- the CAD feed was down for a few days
  WHERE NOT (c.currency = 'CAD' AND d::DATE IN (DATE '2026-08-15', DATE '2026-09-06', DATE '2026-10-03', DATE '2026-10-04', DATE '2026-10-18'))
  UNION ALL
  -- manual overrides entered next to the official rate: two rows for the same date and currency
  SELECT d::DATE, c.currency, (c.base * 1.015)::DECIMAL(18, 6), 'MANUAL'
  FROM range(DATE '2026-08-01', DATE '2026-11-01', INTERVAL 1 day) r(d), (VALUES ('EUR', 1.08), ('GBP', 1.27)) c(currency, base)
  WHERE hash(${seed}, 'lake', 'fxdup', epoch(d), c.currency) % 11 = 0
)
ORDER BY rate_date, currency, source;

-- @step customers
CREATE TABLE cust0 AS
SELECT 100000 + i AS customer_id, i,
       pk(['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth','Wei','Aisha','Carlos','Sofia','Liam','Emma','Noah','Olivia','Lucas','Chloe'], i, 10) AS first_name,
       pk(['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Martin','Lee','Chen','Patel','Dubois','Taylor','Wilson','Moore'], i, 11) AS last_name,
       CASE WHEN ur(i, 12, 0) < 0.75 THEN 'US' WHEN ur(i, 12, 0) < 0.85 THEN 'CA' WHEN ur(i, 12, 0) < 0.95 THEN 'GB' ELSE 'FR' END AS country,
       CASE WHEN ur(i, 13, 0) < 0.02 THEN NULL WHEN ur(i, 13, 0) < 0.80 THEN 'consumer' WHEN ur(i, 13, 0) < 0.95 THEN 'smb' ELSE 'enterprise' END AS segment,
       TIMESTAMPTZ '2019-01-01 00:00:00+00' + to_seconds((ur(i, 14, 0) * 240000000)::BIGINT) AS created_at
FROM range(1, 5000 * ${scale} + 1) r(i);

CREATE TABLE raw_customers AS
WITH versions AS (
  SELECT customer_id, i, first_name, last_name, country, segment, created_at, created_at AS updated_at, 0 AS v FROM cust0
  UNION ALL
  -- profile updates this autumn: a new segment or a move
  SELECT customer_id, i, first_name, last_name,
         CASE WHEN ur(i, 15, 1) < 0.3 THEN pk(['US','CA','GB','FR'], i, 16) ELSE country END,
         CASE WHEN ur(i, 15, 1) >= 0.3 THEN pk(['consumer','smb','enterprise'], i, 17) ELSE segment END,
         created_at, TIMESTAMPTZ '2026-09-01 00:00:00+00' + to_seconds((ur(i, 18, 0) * 5270000)::BIGINT), 1
  FROM cust0 WHERE ur(i, 15, 0) < 0.08
)
SELECT customer_id, first_name, last_name,
       CASE WHEN ur(i, 20, 0) < 0.03 THEN NULL
            WHEN ur(i, 20, 0) < 0.06 THEN ' ' || upper(first_name) || '.' || last_name || i::VARCHAR || '@Example.COM '
            ELSE lower(first_name) || '.' || lower(last_name) || i::VARCHAR || pk(['@example.com','@mail.example','@retail-mail.example'], i, 21) END AS email,
       CASE WHEN ur(i, 22, 0) < 0.10 THEN NULL
            ELSE '+1-555-' || lpad((hash(${seed}, 'lake', 'ph', i) % 10000000)::VARCHAR, 7, '0') END AS phone,
       CASE WHEN ur(i, 23, 0) < 0.04 THEN NULL ELSE DATE '1950-01-01' + (hash(${seed}, 'lake', 'bd', i) % 20440)::INT END AS birth_date,
       country, segment, created_at, updated_at
FROM versions
-- ingestion duplicates: the same version delivered twice
CROSS JOIN (SELECT unnest([0, 1]) AS copy_no) c
WHERE c.copy_no = 0 OR ur(i, 24, v) < 0.005
ORDER BY updated_at, customer_id, copy_no;

-- @step orders
CREATE TABLE ord0 AS
SELECT 5000000 + i AS order_id, i,
       CASE WHEN ur(i, 30, 0) < 0.02 THEN NULL
            WHEN ur(i, 30, 0) < 0.025 THEN 990000 + (hash(${seed}, 'lake', 'orph', i) % 500)::BIGINT
            ELSE 100001 + (pow(ur(i, 31, 0), 2.5) * 5000 * ${scale})::BIGINT END AS customer_id,
       CASE WHEN ur(i, 32, 0) < 0.55 THEN 'store' WHEN ur(i, 32, 0) < 0.90 THEN 'web' ELSE 'app' END AS channel,
       TIMESTAMPTZ '2026-08-01 00:00:00+00' + to_seconds((ur(i, 33, 0) * 92 * 86400)::BIGINT) AS order_ts,
       ur(i, 34, 0) AS r_status
FROM range(1, 20000 * ${scale} + 1) r(i);

CREATE TABLE ord1 AS
SELECT o.*,
       CASE WHEN o.channel = 'store' THEN (1 + pow(ur(o.i, 35, 0), 1.5) * 40)::INTEGER END AS store_id,
       CASE WHEN o.r_status < 0.85 THEN 'COMPLETED' WHEN o.r_status < 0.91 THEN 'CANCELLED' WHEN o.r_status < 0.96 THEN 'RETURNED' ELSE 'PENDING' END AS status,
       ur(o.i, 36, 0) < 0.01 AS promo
FROM ord0 o;

CREATE TABLE raw_order_lines AS
WITH lines AS (
  SELECT o.order_id, o.i, o.promo, k AS line_no,
         CASE WHEN ur(o.i, 40, k) < 0.007 THEN 600 + (1 + hash(${seed}, 'lake', 'gone', o.i, k) % 10)::INTEGER
              ELSE (1 + pow(ur(o.i, 41, k), 2) * 599)::INTEGER END AS product_id,
         (1 + pow(ur(o.i, 42, k), 3) * 9)::INTEGER AS quantity
  FROM ord1 o, range(1, 6) r(k)
  WHERE k <= 1 + (pow(ur(o.i, 43, 0), 2) * 5)::INTEGER
)
SELECT l.order_id, l.line_no::INTEGER AS line_no, l.product_id, l.quantity,
       coalesce(p.list_price, (5 + ur(l.product_id, 44, 0) * 20)::DECIMAL(18, 2)) AS unit_price,
       CASE WHEN l.promo THEN 100.00 WHEN ur(l.i, 45, l.line_no) < 0.7 THEN NULL
            ELSE pk([5, 10, 15, 20, 25], l.i, 46 + l.line_no) END::DECIMAL(5, 2) AS discount_pct
FROM lines l LEFT JOIN raw_products p USING (product_id)
CROSS JOIN (SELECT unnest([0, 1]) AS copy_no) c
WHERE c.copy_no = 0 OR ur(l.i, 47, l.line_no) < 0.003
ORDER BY order_id, line_no, copy_no;

-- every version of every order as the source system delivered it
CREATE TABLE order_versions AS
WITH totals AS (
  SELECT order_id, round(sum(quantity * unit_price::DOUBLE * (1 - coalesce(discount_pct, 0)::DOUBLE / 100)), 2)::DECIMAL(18, 2) AS total_amount
  FROM (SELECT DISTINCT * FROM raw_order_lines) GROUP BY order_id
), base AS (
  SELECT o.order_id, o.i, o.customer_id, o.store_id, o.order_ts, o.status, o.channel,
         coalesce(s.currency, CASE cu.country WHEN 'CA' THEN 'CAD' WHEN 'GB' THEN 'GBP' WHEN 'FR' THEN 'EUR' ELSE 'USD' END) AS currency,
         t.total_amount
  FROM ord1 o JOIN totals t USING (order_id)
  LEFT JOIN (SELECT store_id, c.currency FROM raw_stores st JOIN cities c ON c.country = st.country AND c.city_no IN (0, 6, 7, 9)) s USING (store_id)
  LEFT JOIN cust0 cu USING (customer_id)
)
SELECT order_id, customer_id, store_id, order_ts, order_ts::DATE AS order_date,
       CASE WHEN status = 'COMPLETED' AND ur(i, 50, 0) < 0.03 THEN 'PENDING' ELSE status END AS status,
       currency, channel, total_amount,
       order_ts + to_seconds((300 + ur(i, 51, 0) * 3300)::BIGINT)
                + CASE WHEN ur(i, 52, 0) < 0.03 THEN to_days((1 + ur(i, 53, 0) * 4)::INTEGER) ELSE INTERVAL 0 second END AS ingested_at
FROM base
UNION ALL
-- a status correction that arrives a day or three later (late-arriving record, same order_id)
SELECT order_id, customer_id, store_id, order_ts, order_ts::DATE, 'COMPLETED', currency, channel, total_amount,
       order_ts + to_days((1 + ur(i, 54, 0) * 2)::INTEGER) + INTERVAL 2 hour
FROM base WHERE status = 'COMPLETED' AND ur(i, 50, 0) < 0.03;

-- @step payments
CREATE TABLE raw_payments0 AS
WITH final_orders AS (
  SELECT * FROM order_versions QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY ingested_at DESC) = 1
), p AS (
  SELECT o.order_id, o.currency, o.order_ts, o.status, o.total_amount, hash(${seed}, 'lake', 'pay', o.order_id) % 1000 AS r,
         pk(['card','card','card','paypal','gift_card','apple_pay'], o.order_id, 60) AS method
  FROM final_orders o WHERE o.status <> 'CANCELLED'
)
SELECT order_id, method, total_amount AS amount, currency, order_ts + INTERVAL 40 second AS paid_at, 'CAPTURED' AS status, 1 AS seq
FROM p WHERE r >= 100
UNION ALL
-- split tender: two captures that add up to the total
SELECT order_id, method, round(total_amount * 0.6, 2), currency, order_ts + INTERVAL 40 second, 'CAPTURED', 1 FROM p WHERE r < 80
UNION ALL
SELECT order_id, 'gift_card', total_amount - round(total_amount * 0.6, 2), currency, order_ts + INTERVAL 55 second, 'CAPTURED', 2 FROM p WHERE r < 80
UNION ALL
-- a declined attempt before the capture
SELECT order_id, method, total_amount, currency, order_ts + INTERVAL 20 second, 'FAILED', 0 FROM p WHERE r BETWEEN 100 AND 129
UNION ALL
SELECT order_id, method, total_amount, currency, order_ts + INTERVAL 3 day, 'REFUNDED', 3 FROM p WHERE status = 'RETURNED' AND r >= 100;

CREATE TABLE raw_payments AS
SELECT 9000000 + row_number() OVER (ORDER BY paid_at, order_id, seq) AS payment_id, order_id, method,
       -- a few captures disagree with the order total (provider adjustments)
       CASE WHEN status = 'CAPTURED' AND hash(${seed}, 'lake', 'adj', order_id, seq) % 200 = 0
            THEN amount + (1 + hash(${seed}, 'lake', 'adjv', order_id) % 15000)::DECIMAL(18, 2) / 100 ELSE amount END::DECIMAL(18, 2) AS amount,
       currency, paid_at, status
FROM (
  SELECT * FROM raw_payments0
  UNION ALL
  -- captures for orders that never reached raw.orders
  SELECT 8000000 + i, 'card', (10 + ur(i, 61, 0) * 300)::DECIMAL(18, 2), 'USD',
         TIMESTAMPTZ '2026-08-01 00:00:00+00' + to_seconds((ur(i, 62, 0) * 92 * 86400)::BIGINT), 'CAPTURED', 1
  FROM range(1, 40 * ${scale} + 1) r(i)
)
ORDER BY payment_id;

-- @step inventory and web
CREATE TABLE raw_inventory_snapshots AS
SELECT d::DATE AS snapshot_date, s::INTEGER AS store_id, p::INTEGER AS product_id,
       CASE WHEN ur(s * 1000 + p, 70, epoch(d)::BIGINT) < 0.05 THEN 0
            ELSE (ur(s * 1000 + p, 71, epoch(d)::BIGINT) * 200)::INTEGER END AS on_hand,
       CASE WHEN ur(s * 1000 + p, 72, epoch(d)::BIGINT) < 0.2 THEN NULL
            ELSE (ur(s * 1000 + p, 73, epoch(d)::BIGINT) * 40)::INTEGER END AS reserved
FROM range(DATE '2026-10-11', DATE '2026-11-01', INTERVAL 1 day) r(d), range(1, 21) st(s), range(1, 121 * ${scale}) pr(p)
ORDER BY snapshot_date, store_id, product_id;

CREATE TABLE raw_web_events AS
WITH sessions AS (
  SELECT i AS session_no, 's-' || substr(md5(${seed}::VARCHAR || '-' || i::VARCHAR), 1, 16) AS session_id,
         CASE WHEN ur(i, 80, 0) < 0.4 THEN 100001 + (pow(ur(i, 81, 0), 2) * 5000 * ${scale})::BIGINT END AS customer_id,
         TIMESTAMPTZ '2026-10-04 00:00:00+00' + to_seconds((ur(i, 82, 0) * 28 * 86400)::BIGINT) AS session_start,
         CASE WHEN ur(i, 83, 0) < 0.03 THEN NULL WHEN ur(i, 83, 0) < 0.55 THEN 'mobile' WHEN ur(i, 83, 0) < 0.9 THEN 'desktop' ELSE 'tablet' END AS device,
         (1 + pow(ur(i, 84, 0), 2) * 15)::INTEGER AS n_events,
         ur(i, 85, 0) < 0.05 AS converts
  FROM range(1, 5000 * ${scale} + 1) r(i)
), events AS (
  SELECT s.*, k, 70000000 + row_number() OVER (ORDER BY s.session_no, k) AS event_id,
         least(s.session_start + to_seconds(k * (20 + (ur(s.session_no, 86, k) * 90)::BIGINT)), TIMESTAMPTZ '2026-10-31 23:59:59+00') AS event_ts,
         CASE WHEN s.converts AND k = s.n_events THEN 'purchase'
              WHEN k = 1 THEN 'page_view'
              ELSE pk(['page_view','page_view','page_view','search','add_to_cart','checkout'], s.session_no, k) END AS event_type
  FROM sessions s, range(1, 17) e(k) WHERE k <= s.n_events
)
SELECT event_id, session_id, customer_id, event_type,
       '/p/' || (1 + hash(${seed}, 'lake', 'page', session_no, k) % 600)::VARCHAR AS page,
       event_ts, event_ts::DATE AS event_date, device
FROM events
CROSS JOIN (SELECT unnest([0, 1]) AS copy_no) c
WHERE c.copy_no = 0 OR ur(session_no, 87, k) < 0.005
ORDER BY event_date, event_id, copy_no;
