SELECT order_id, item FROM sales.orders LATERAL VIEW OUTER explode(items) t AS item
UNION ALL
SELECT id, label FROM bronze.legacy_items;
SELECT e.user_id, count(*) FROM bronze.events e LEFT ANTI JOIN bronze.bots b ON e.user_id = b.user_id GROUP BY ROLLUP(e.user_id)
