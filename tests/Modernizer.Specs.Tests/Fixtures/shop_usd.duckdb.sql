-- shop_usd, DuckDB rendering: a hand-written rewrite that follows the Code Writer's contract.
CREATE SCHEMA IF NOT EXISTS curated;
SELECT o.order_id,
       o."day",
       o.currency,
       o.qty,
       o.amount,
       r.rate,
       CAST(round(o.amount * r.rate, 2) AS DECIMAL(18,2)) AS amount_usd
FROM raw.orders AS o
LEFT JOIN raw.rates AS r ON o."day" = r.rate_day AND o.currency = r.currency
WHERE o.status = 'PAID'
  AND o.qty >= 2;
