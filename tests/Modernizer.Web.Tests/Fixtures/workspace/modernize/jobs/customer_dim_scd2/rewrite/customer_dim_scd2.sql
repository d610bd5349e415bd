-- customer_dim_scd2: SCD type 2 of raw.customers into curated.dim_customer, set-based.
-- Parameters: :until (default NULL: every change).
CREATE TABLE IF NOT EXISTS curated.dim_customer (
  customer_id BIGINT, segment STRING, country STRING, email_sha256 STRING,
  valid_from DATE, valid_to DATE, is_current BOOLEAN
);
MERGE INTO curated.dim_customer AS t
USING (
  SELECT customer_id, segment, country, sha2(email, 256) AS email_sha256, to_date(updated_at) AS change_date
  FROM raw.customers
  WHERE (:until IS NULL OR to_date(updated_at) <= :until)
    AND to_date(updated_at) > (SELECT coalesce(max(valid_from), DATE '1900-01-01') FROM curated.dim_customer)
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1
) AS s
ON t.customer_id = s.customer_id AND t.is_current
WHEN MATCHED AND (t.segment <> s.segment OR t.country <> s.country) THEN
  UPDATE SET is_current = false, valid_to = s.change_date
WHEN NOT MATCHED THEN
  INSERT VALUES (s.customer_id, s.segment, s.country, s.email_sha256, s.change_date, NULL, true);
