# inventory_reorder
# Suggests reorder quantities per store and product from the latest inventory
# snapshot and the last 28 days of store sales.

import logging

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType

logger = logging.getLogger("inventory_reorder")
logging.basicConfig(level=logging.INFO)

LEAD_TIME_DAYS = 14
SALES_WINDOW_DAYS = 28
FILL_ZERO = ["on_hand", "reserved", "units_28d"]


def reorder_qty(on_hand, reserved, units_28d, pack_size):
    velocity = units_28d // SALES_WINDOW_DAYS
    available = on_hand - reserved
    need = velocity * LEAD_TIME_DAYS - available
    if need <= 0:
        return 0
    packs = need // pack_size
    if need % pack_size:
        packs += 1
    return packs * pack_size


reorder_udf = F.udf(reorder_qty, IntegerType())


def main():
    spark = SparkSession.builder.appName("inventory_reorder").getOrCreate()
    snaps = spark.table("raw.inventory_snapshots")
    latest = snaps.agg(F.max("snapshot_date")).collect()[0][0]
    snap = snaps.filter(F.col("snapshot_date") == F.lit(latest)).select("store_id", "product_id", "on_hand", "reserved")

    orders = spark.table("raw.orders").filter(
        (F.col("status") == "COMPLETED")
        & (F.col("order_date") > F.date_sub(F.lit(latest), SALES_WINDOW_DAYS))
        & F.col("store_id").isNotNull()
    )
    sales = (
        spark.table("raw.order_lines").join(orders.select("order_id", "store_id"), "order_id")
        .groupBy("store_id", "product_id").agg(F.sum("quantity").alias("units_28d"))
    )
    products = spark.table("raw.products").select("product_id", "pack_size")

    joined = snap.join(sales, ["store_id", "product_id"], "left").join(products, "product_id")
    for c in FILL_ZERO:
        joined = joined.withColumn(c, F.coalesce(F.col(c), F.lit(0)))

    result = joined.withColumn(
        "reorder_qty", reorder_udf("on_hand", "reserved", "units_28d", "pack_size")
    ).withColumn("snapshot_date", F.lit(latest))
    result = result.select("snapshot_date", "store_id", "product_id", "on_hand", "reserved",
                           "units_28d", "pack_size", "reorder_qty")
    result.coalesce(1).write.mode("overwrite").format("delta").saveAsTable("curated.reorder_suggestions")
    logger.info("reorder suggestions written for %s", latest)


if __name__ == "__main__":
    main()
