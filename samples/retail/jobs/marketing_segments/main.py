# Databricks notebook source
# marketing_segments
# Builds the per-segment customer lists that marketing loads into the campaign tool.

import logging
from datetime import datetime, timezone

from pyspark.sql import functions as F

logger = logging.getLogger("marketing_segments")

dbutils.widgets.text("segments", "consumer,smb,enterprise")
dbutils.widgets.text("min_spend", "0")
dbutils.widgets.text("as_of", "2026-11-01T02:30:00Z")
dbutils.widgets.text("target_table", "curated.marketing_segments")

segments = [s.strip() for s in dbutils.widgets.get("segments").split(",")]
min_spend = float(dbutils.widgets.get("min_spend"))
target_table = dbutils.widgets.get("target_table")
as_of_utc = datetime.strptime(dbutils.widgets.get("as_of"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
snapshot_date = datetime.fromtimestamp(as_of_utc.timestamp()).date()

SEGMENT_SQL = """
SELECT c.customer_id,
       c.country,
       '{segment}' AS segment,
       count(o.order_id) AS orders,
       sum(o.total_amount) AS spend
FROM raw.customers c
JOIN raw.orders o ON c.customer_id = o.customer_id
WHERE c.segment = '{segment}'
  AND o.status = 'COMPLETED'
  AND o.order_date <= '{as_of}'
GROUP BY c.customer_id, c.country
"""

spark.sql("DROP TABLE IF EXISTS {}".format(target_table))
for segment in segments:
    df = spark.sql(SEGMENT_SQL.format(segment=segment, as_of=snapshot_date))
    if min_spend:
        df = df.filter(F.col("spend") >= F.lit(min_spend))
    df = df.withColumn("snapshot_date", F.lit(snapshot_date))
    df.write.mode("append").format("delta").saveAsTable(target_table)
    logger.info("segment %s written", segment)
