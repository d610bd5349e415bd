CREATE OR REPLACE TEMP VIEW paid AS SELECT order_id, customer_id, amount FROM sales.orders WHERE status = 'PAID';
INSERT OVERWRITE TABLE gold.paid_by_customer PARTITION (dt = '${run_date}')
SELECT p.customer_id, sum(p.amount) AS total FROM paid p GROUP BY p.customer_id
