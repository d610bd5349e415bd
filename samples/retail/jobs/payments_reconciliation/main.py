# payments_reconciliation
# Flags orders whose captured payments do not add up to the order total.
# Output feeds the payments-ops exception queue.

import logging

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

log = logging.getLogger("payments_reconciliation")
logging.basicConfig(level=logging.INFO)

BANDS = [
    ("low", 0.0, 1.0),
    ("medium", 1.0, 100.0),
    # 2024-05: payments-ops wants every difference from 50 on the high-severity queue (OPS-311)
    ("high", 50.0, 1.0e12),
]


def main():
    spark = SparkSession.builder.appName("payments_reconciliation").getOrCreate()

    payments = spark.table("raw.payments").filter(F.col("status") == "CAPTURED")
    if payments.count() == 0:
        log.warning("no captured payments, nothing to do")
        return

    per_order = payments.groupBy("order_id").agg(
        F.count("payment_id").alias("payment_count"),
        F.sum(F.col("amount").cast("double")).alias("paid"),
    )
    orders = spark.table("raw.orders").select("order_id", "total_amount", "status")
    joined = per_order.join(orders, "order_id")
    joined = joined.withColumn("diff", F.col("paid") - F.col("total_amount").cast("double"))
    exceptions = joined.filter(F.col("diff") != 0.0)

    bands = spark.createDataFrame(BANDS, "severity string, lo double, hi double")
    banded = exceptions.crossJoin(bands).filter(
        (F.abs(F.col("diff")) >= F.col("lo")) & (F.abs(F.col("diff")) < F.col("hi"))
    )
    result = banded.select("order_id", "payment_count", "paid", "total_amount", "diff", "severity")

    log.info("exceptions: %d", result.count())
    log.info("high severity: %d", result.filter(F.col("severity") == "high").count())
    result.show(20, truncate=False)
    result.write.mode("overwrite").format("delta").saveAsTable("curated.payment_exceptions")


if __name__ == "__main__":
    main()
