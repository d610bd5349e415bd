# Databricks notebook source
# MAGIC %md
# MAGIC # Store inventory report
# MAGIC Weekly view of stock on hand per store and category, for the store operations team.
# MAGIC Parameters: `report_date` (last snapshot day included), `lookback_days` (report window).

# COMMAND ----------

dbutils.widgets.text("report_date", "2026-10-31")
dbutils.widgets.text("lookback_days", "7")
dbutils.widgets.text("target_table", "curated.store_inventory")

# COMMAND ----------

report_date = dbutils.widgets.get("report_date")
lookback_days = int(dbutils.widgets.get("lookback_days"))
target_table = dbutils.widgets.get("target_table")
print(f"report for {report_date}, {lookback_days} days, into {target_table}")

# COMMAND ----------

# MAGIC %sql
# MAGIC CREATE OR REPLACE TEMP VIEW recent_snapshots AS
# MAGIC SELECT *
# MAGIC FROM raw.inventory_snapshots
# MAGIC WHERE snapshot_date BETWEEN date_sub('${report_date}', ${lookback_days}) AND '${report_date}'

# COMMAND ----------

# MAGIC %sql
# MAGIC CREATE OR REPLACE TEMP VIEW store_dim AS
# MAGIC SELECT store_id, store_name, region
# MAGIC FROM raw.stores

# COMMAND ----------

report_sql = """
SELECT s.region,
       s.store_id,
       s.store_name,
       p.category,
       count(DISTINCT r.snapshot_date)                      AS days_covered,
       round(avg(r.on_hand), 2)                             AS avg_on_hand,
       sum(r.on_hand - coalesce(r.reserved, 0))             AS available_units,
       sum(CASE WHEN r.on_hand = 0 THEN 1 ELSE 0 END)       AS stockout_count
FROM recent_snapshots r
JOIN store_dim s ON r.store_id = s.store_id
JOIN raw.products p ON r.product_id = p.product_id
GROUP BY s.region, s.store_id, s.store_name, p.category
"""
report = spark.sql(report_sql)

# COMMAND ----------

spark.sql("DROP TABLE IF EXISTS {t}".format(t=target_table))
report.write.format("delta").saveAsTable(target_table)
display(spark.table(target_table))
