# orders_incremental_merge
# Incrementally upserts cleaned orders into curated.orders_clean.
# Each run reprocesses a small window of order dates because the source delivers
# late-arriving corrections (status changes) for recent days.

import logging
from datetime import date, datetime, timedelta

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

logger = logging.getLogger("orders_incremental_merge")
logging.basicConfig(level=logging.INFO)

JOB_CONFIG = {
    "source": "raw.orders",
    "target": "curated.orders_clean",
    "lookback_days": 2,
    "key": "order_id",
}

COLUMNS = ["order_id", "customer_id", "store_id", "order_date", "status", "currency",
           "total_amount", "ingested_at"]


def window_for(run_date, lookback_days):
    """The last `lookback_days` order dates up to and including the run date."""
    start = run_date - timedelta(days=lookback_days)
    return start, run_date


def latest_version_per_order(df):
    w = Window.partitionBy("order_id").orderBy(F.col("ingested_at").desc())
    return df.withColumn("_rn", F.row_number().over(w)).filter(F.col("_rn") == 1).drop("_rn")


def target_exists(spark):
    return spark.catalog.tableExists(JOB_CONFIG["target"])


def main():
    spark = SparkSession.builder.appName("orders_incremental_merge").getOrCreate()
    run_date = datetime.strptime(spark.conf.get("spark.retail.run_date", "2026-10-31"), "%Y-%m-%d").date()
    start, end = window_for(run_date, JOB_CONFIG["lookback_days"])
    logger.info("processing order dates %s .. %s", start, end)

    batch = (
        spark.table(JOB_CONFIG["source"])
        .filter(F.col("order_date").between(F.lit(start), F.lit(end)))
        .filter(F.col("order_id").isNotNull())
        .select(*COLUMNS)
    )
    batch = latest_version_per_order(batch)

    if not target_exists(spark):
        batch.write.format("delta").saveAsTable(JOB_CONFIG["target"])
        logger.info("created %s", JOB_CONFIG["target"])
        return

    batch.createOrReplaceTempView("orders_batch")
    spark.sql(f"""
        MERGE INTO {JOB_CONFIG["target"]} AS t
        USING orders_batch AS s
        ON t.{JOB_CONFIG["key"]} = s.{JOB_CONFIG["key"]}
        WHEN MATCHED AND s.ingested_at > t.ingested_at THEN UPDATE SET *
        WHEN NOT MATCHED THEN INSERT *
    """)
    logger.info("merged window %s .. %s into %s", start, end, JOB_CONFIG["target"])


if __name__ == "__main__":
    main()
