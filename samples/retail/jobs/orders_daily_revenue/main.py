# orders_daily_revenue
# Daily revenue by store region and product category, in USD.
# Owner: finance-data@retail.example  -- SOX in-scope report (feeds the revenue close pack).
#
# History:
#   2021-03  initial version (mkumar)
#   2022-07  added FX conversion, switched to dict lookups because the join was "slow"
#   2023-11  added region from stores, audit logging
#
# NOTE: revenue is net of returns (FIN-1042) and converted to USD at the official
#       ECB rate of the order date (SOX control REV-07).

import logging
import sys
from datetime import datetime, timedelta

from pyspark.sql import SparkSession, Row
from pyspark.sql import functions as F
from pyspark.sql.types import (
    StructType, StructField, StringType, DateType, LongType, DecimalType, DoubleType,
)

logger = logging.getLogger("orders_daily_revenue")
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

CONFIG = {
    "source_orders": "raw.orders",
    "source_lines": "raw.order_lines",
    "source_products": "raw.products",
    "source_stores": "raw.stores",
    "source_fx": "raw.fx_rates",
    "target": "curated.daily_revenue",
    "statuses": ["COMPLETED", "RETURNED"],
    "default_region": "UNKNOWN",
    "write_mode": "overwrite",
}

OUTPUT_SCHEMA = StructType([
    StructField("order_date", DateType(), False),
    StructField("region", StringType(), False),
    StructField("category", StringType(), False),
    StructField("orders", LongType(), False),
    StructField("units", LongType(), False),
    StructField("gross_revenue", DecimalType(18, 2), False),
    StructField("revenue_usd", DoubleType(), True),
    StructField("avg_order_value_usd", DoubleType(), True),
])


def get_spark():
    spark = SparkSession.builder.appName("orders_daily_revenue").getOrCreate()
    spark.conf.set("spark.sql.shuffle.partitions", "64")
    return spark


def parse_args(argv):
    """Accepts --start YYYY-MM-DD --end YYYY-MM-DD; defaults to the previous calendar month."""
    args = {"start": None, "end": None}
    i = 1
    while i < len(argv):
        if argv[i] == "--start":
            args["start"] = argv[i + 1]
            i += 2
        elif argv[i] == "--end":
            args["end"] = argv[i + 1]
            i += 2
        else:
            logger.warning("ignoring unknown argument %s", argv[i])
            i += 1
    if args["start"] is None:
        args["start"] = "2026-10-01"
    if args["end"] is None:
        args["end"] = "2026-10-31"
    return args


def log_step(name, df=None):
    if df is not None:
        logger.info("step %s: %d rows", name, df.count())
    else:
        logger.info("step %s", name)


def load_orders(spark, start, end):
    orders = spark.table(CONFIG["source_orders"])
    orders = orders.filter(F.col("status").isin(CONFIG["statuses"]))
    orders = orders.filter((F.col("order_date") >= F.lit(start)) & (F.col("order_date") <= F.lit(end)))
    return orders.select("order_id", "store_id", "order_date", "currency", "status")


def load_lines(spark):
    lines = spark.table(CONFIG["source_lines"])
    lines = lines.withColumn(
        "line_amount",
        F.round(
            F.col("quantity") * F.col("unit_price")
            * (F.lit(1) - F.coalesce(F.col("discount_pct"), F.lit(0)) / F.lit(100)),
            2,
        ),
    )
    return lines.select("order_id", "product_id", "quantity", "line_amount")


def load_products(spark):
    return spark.table(CONFIG["source_products"]).select("product_id", "category")


def build_region_lookup(spark):
    # the stores table is small, a dict is faster than a join (mkumar 2022)
    region_by_store = {}
    for row in spark.table(CONFIG["source_stores"]).collect():
        region_by_store[row.store_id] = row.region
    return region_by_store


def build_fx_lookup(spark, start, end):
    fx = {}
    rates = spark.table(CONFIG["source_fx"]).filter(
        (F.col("rate_date") >= F.lit(start)) & (F.col("rate_date") <= F.lit(end))
    )
    for r in rates.collect():
        fx[(r.rate_date, r.currency)] = float(r.rate_to_usd)
    return fx


def signed_amount(status_col, amount_col):
    # returns are booked as negative revenue
    return F.when(status_col == F.lit("RETURNED"), -amount_col).otherwise(amount_col)


def aggregate_daily(orders, lines, products):
    joined = orders.join(lines, "order_id").join(products, "product_id")
    joined = joined.withColumn("signed_amount", signed_amount(F.col("status"), F.col("line_amount")))
    daily = joined.groupBy("order_date", "store_id", "currency", "category").agg(
        F.countDistinct("order_id").alias("orders"),
        F.sum("quantity").alias("units"),
        F.sum("signed_amount").alias("gross_revenue"),
    )
    return daily


def to_usd(amount, rate):
    if rate is None:
        return None
    return round(float(amount) * rate, 2)


def collect_daily_totals(daily, region_by_store, fx):
    totals = {}
    for row in daily.collect():
        region = region_by_store.get(row.store_id, CONFIG["default_region"])
        key = (row.order_date, region, row.category)
        rate = fx.get((row.order_date, row.currency))
        usd = to_usd(row.gross_revenue, rate)
        if key not in totals:
            totals[key] = {"orders": 0, "units": 0, "gross": 0, "usd": 0.0, "missing_fx": False}
        acc = totals[key]
        acc["orders"] += row.orders
        acc["units"] += row.units
        acc["gross"] += row.gross_revenue
        if usd is None:
            acc["missing_fx"] = True
        else:
            acc["usd"] += usd
    return totals


def build_output_rows(totals):
    out = []
    for (order_date, region, category), acc in sorted(totals.items()):
        usd = None if acc["missing_fx"] else round(acc["usd"], 2)
        aov = None
        if usd is not None and acc["orders"]:
            aov = round(usd / acc["orders"], 2)
        out.append(Row(
            order_date=order_date,
            region=region,
            category=category,
            orders=acc["orders"],
            units=acc["units"],
            gross_revenue=acc["gross"],
            revenue_usd=usd,
            avg_order_value_usd=aov,
        ))
    return out


def validate(rows):
    bad = [r for r in rows if r.orders <= 0]
    if bad:
        logger.error("found %d groups without orders", len(bad))
        raise ValueError("validation failed")
    logger.info("validation ok: %d output rows", len(rows))


def write_output(spark, rows):
    df = spark.createDataFrame(rows, OUTPUT_SCHEMA)
    df.repartition(1).write.mode(CONFIG["write_mode"]).format("delta").saveAsTable(CONFIG["target"])
    logger.info("wrote %s", CONFIG["target"])


def audit(spark, start, end, row_count):
    logger.info("AUDIT job=orders_daily_revenue start=%s end=%s rows=%d at=%s",
                start, end, row_count, datetime.utcnow().isoformat())


def main(argv):
    args = parse_args(argv)
    start, end = args["start"], args["end"]
    logger.info("running for %s .. %s", start, end)
    spark = get_spark()

    orders = load_orders(spark, start, end)
    log_step("orders", orders)
    lines = load_lines(spark)
    products = load_products(spark)
    region_by_store = build_region_lookup(spark)
    fx = build_fx_lookup(spark, start, end)
    logger.info("fx lookup has %d entries", len(fx))

    daily = aggregate_daily(orders, lines, products)
    log_step("daily", daily)
    totals = collect_daily_totals(daily, region_by_store, fx)
    rows = build_output_rows(totals)
    validate(rows)
    write_output(spark, rows)
    audit(spark, start, end, len(rows))


if __name__ == "__main__":
    main(sys.argv)
