SELECT c.segment, count(*) AS orders, sum(o.amount) AS revenue, avg(o.amount) AS avg_amount
FROM sales.orders o JOIN crm.customers c ON o.customer_id = c.customer_id
WHERE o.status = 'PAID'
GROUP BY c.segment
HAVING sum(o.amount) > 1000
ORDER BY revenue DESC
LIMIT 10
