# product_sales_rank
# Ranks products by revenue over the whole order history and records when each
# product was first and last sold. Used by merchandising for the weekly range review.

import logging

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

logger = logging.getLogger(__name__)

SETTINGS = {
    "lines": "raw.order_lines",
    "orders": "raw.orders",
    "products": "raw.products",
    "target": "curated.product_sales_rank",
}


def product_revenue(spark):
    lines = spark.table(SETTINGS["lines"])
    orders = spark.table(SETTINGS["orders"]).filter(F.col("status") == "COMPLETED")
    sales = lines.join(orders.select("order_id", "order_date"), "order_id")
    return sales.groupBy("product_id").agg(
        F.sum(F.col("quantity") * F.col("unit_price")).alias("revenue"),
        F.sum("quantity").alias("units"),
    )


def first_last_sold(spark):
    lines = spark.table(SETTINGS["lines"])
    orders = spark.table(SETTINGS["orders"]).filter(F.col("status") == "COMPLETED")
    sales = lines.join(orders.select("order_id", "order_date"), "order_id").select("product_id", "order_date")
    first_sold = {}
    last_sold = {}
    for r in sales.orderBy("order_date").collect():
        if r.product_id not in first_sold:
            first_sold[r.product_id] = r.order_date
        last_sold[r.product_id] = r.order_date
    rows = [(pid, first_sold[pid], last_sold[pid]) for pid in first_sold]
    return spark.createDataFrame(rows, "product_id int, first_sold_date date, last_sold_date date")


def main():
    spark = SparkSession.builder.appName("product_sales_rank").getOrCreate()
    revenue = product_revenue(spark)
    dates = first_last_sold(spark)
    products = spark.table(SETTINGS["products"]).select("product_id", "product_name", "category")

    total_units = revenue.agg(F.sum("units")).collect()[0][0]
    share = {}
    for r in revenue.select("product_id", "units").collect():
        share[r.product_id] = r.units * 100 // total_units
    share_df = spark.createDataFrame(list(share.items()), "product_id int, unit_share_pct long")

    ranked = revenue.withColumn("revenue_rank", F.rank().over(Window.orderBy(F.desc("revenue"))))
    result = (
        ranked.join(products, "product_id", "left")
        .join(dates, "product_id", "left")
        .join(share_df, "product_id", "left")
        .select("product_id", "product_name", "category", "revenue", "units",
                "unit_share_pct", "first_sold_date", "last_sold_date", "revenue_rank")
    )
    logger.info("ranked %d products", result.count())
    result.write.mode("overwrite").format("delta").saveAsTable(SETTINGS["target"])


if __name__ == "__main__":
    main()
