# orders_usd_normalized
# Converts completed orders to USD with the daily FX rate of the order date.

import logging

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType

logger = logging.getLogger("orders_usd_normalized")

PERIOD = ("2026-10-01", "2026-10-31")


def convert(amount, rate):
    if amount is None or rate is None:
        return None
    return round(float(amount) * float(rate), 2)


convert_udf = F.udf(convert, DoubleType())


def main():
    spark = SparkSession.builder.appName("orders_usd_normalized").getOrCreate()
    orders = (
        spark.table("raw.orders")
        .filter(F.col("status") == "COMPLETED")
        .filter(F.col("order_date").between(PERIOD[0], PERIOD[1]))
        .select("order_id", "order_date", "currency", "total_amount")
    )
    fx = spark.table("raw.fx_rates").select("rate_date", "currency", "rate_to_usd")
    joined = orders.join(
        fx,
        (orders.order_date == fx.rate_date) & (orders.currency == fx.currency),
        "left",
    ).drop(fx.currency).drop("rate_date")
    result = joined.withColumn("amount_usd", convert_udf(F.col("total_amount"), F.col("rate_to_usd")))
    result.write.mode("overwrite").format("delta").saveAsTable("curated.orders_usd")
    logger.info("done")


if __name__ == "__main__":
    main()
