MERGE INTO crm.customers t
USING (SELECT customer_id, max(order_date) AS last_order FROM sales.orders GROUP BY customer_id) s
ON t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET t.segment = 'ACTIVE'
WHEN NOT MATCHED THEN INSERT (customer_id, name, segment) VALUES (s.customer_id, NULL, 'NEW');
SELECT * FROM crm.customers c WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.customer_id = c.customer_id) AND c.customer_id NOT IN (SELECT customer_id FROM ref.blocked)
