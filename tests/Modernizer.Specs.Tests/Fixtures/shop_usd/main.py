# shop_usd
# Converts paid orders of at least two units to USD with the rate of their day.
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main():
    spark = SparkSession.builder.appName("shop_usd").getOrCreate()
    orders = (
        spark.table("raw.orders")
        .filter(F.col("status") == "PAID")
        .filter(F.col("qty") >= 2)
        .select("order_id", "day", "currency", "qty", "amount")
    )
    rates = spark.table("raw.rates").select("rate_day", "currency", "rate")
    joined = orders.join(rates, (orders.day == rates.rate_day) & (orders.currency == rates.currency), "left").drop(rates.currency).drop("rate_day")
    result = joined.withColumn("amount_usd", F.round(F.col("amount") * F.col("rate"), 2))
    result.write.mode("overwrite").format("delta").saveAsTable("curated.orders_usd")


if __name__ == "__main__":
    main()
