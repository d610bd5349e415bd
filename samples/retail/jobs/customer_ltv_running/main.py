# customer_ltv_running
# Running lifetime value per customer after every completed order, and the
# orders at which a customer crossed a spend milestone.

import logging
from decimal import Decimal

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType, StructField, LongType, DateType, DecimalType, IntegerType

logger = logging.getLogger("customer_ltv_running")
logging.basicConfig(level=logging.INFO)

MILESTONES = [100, 500, 1000]

RUNNING_SCHEMA = StructType([
    StructField("customer_id", LongType(), False),
    StructField("order_id", LongType(), False),
    StructField("order_date", DateType(), False),
    StructField("order_seq", IntegerType(), False),
    StructField("amount", DecimalType(18, 2), False),
    StructField("running_ltv", DecimalType(18, 2), False),
    StructField("previous_ltv", DecimalType(18, 2), False),
])


def main():
    spark = SparkSession.builder.appName("customer_ltv_running").getOrCreate()
    orders = (
        spark.table("raw.orders")
        .filter((F.col("status") == "COMPLETED") & F.col("customer_id").isNotNull())
        .select("customer_id", "order_id", "order_date", "total_amount")
        .orderBy("customer_id", "order_date", "order_id")
    )

    running = {}
    seq = {}
    rows = []
    for r in orders.toLocalIterator():
        previous = running.get(r.customer_id, Decimal("0.00"))
        running[r.customer_id] = previous + r.total_amount
        seq[r.customer_id] = seq.get(r.customer_id, 0) + 1
        rows.append((r.customer_id, r.order_id, r.order_date, seq[r.customer_id],
                     r.total_amount, running[r.customer_id], previous))
    logger.info("computed %d running rows", len(rows))

    result = spark.createDataFrame(rows, RUNNING_SCHEMA)
    result.write.mode("overwrite").format("delta").saveAsTable("curated.customer_ltv_running")

    crossings = None
    for m in MILESTONES:
        part = (
            result.filter((F.col("running_ltv") >= m) & (F.col("previous_ltv") < m))
            .select("customer_id", "order_id", "order_date", F.lit(m).alias("milestone"))
        )
        crossings = part if crossings is None else crossings.union(part)
    crossings.write.mode("overwrite").format("delta").saveAsTable("curated.customer_milestones")


if __name__ == "__main__":
    main()
