SET VARIABLE until = COALESCE(getvariable('until'), NULL);
CREATE SCHEMA IF NOT EXISTS curated;
CREATE TABLE IF NOT EXISTS curated.dim_customer (customer_id BIGINT, segment VARCHAR, country VARCHAR, email_sha256 VARCHAR, valid_from DATE, valid_to DATE, is_current BOOLEAN);
SELECT customer_id, segment, country, email_sha256, valid_from, valid_to, is_current FROM curated.dim_customer ORDER BY customer_id, valid_from;
