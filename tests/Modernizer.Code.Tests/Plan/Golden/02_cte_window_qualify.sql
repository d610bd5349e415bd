WITH recent AS (SELECT * FROM sales.orders WHERE order_date >= DATE '2024-01-01')
SELECT customer_id, order_id, amount,
       row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn,
       amount - avg(amount) OVER (PARTITION BY customer_id) AS delta
FROM recent
QUALIFY rn = 1
