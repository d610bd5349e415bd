-- orders_usd_normalized, DuckDB rendering (a hand-written rewrite that follows the Code Writer's contract).
CREATE SCHEMA IF NOT EXISTS curated;
SELECT o.order_id,
       o.order_date,
       o.currency,
       o.total_amount,
       f.rate_to_usd,
       round_even(CAST(o.total_amount AS DOUBLE) * CAST(f.rate_to_usd AS DOUBLE), 2) AS amount_usd
FROM raw.orders AS o
LEFT JOIN raw.fx_rates AS f ON o.order_date = f.rate_date AND o.currency = f.currency
WHERE o.status = 'COMPLETED'
  AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31';
