# orders_daily_revenue
# Daily revenue by store region and product category, in USD.
# Owner: finance-data@retail.example  -- SOX in-scope report (feeds the revenue close pack).
#
# History:
#   2021-03  initial version (mkumar)
#   2022-07  added FX conversion, switched to dict lookups because the join was "slow"
#   2023-11  added region from stores, audit logging
#   2024-04  run metrics, write retries after the Delta conflict incidents (INC-2291),
#            output checks before the write (FIN-1187), widget parameters for ad-hoc reruns
#
# NOTE: revenue is net of returns (FIN-1042) and converted to USD at the official
#       ECB rate of the order date (SOX control REV-07).

import functools
import json
import logging
import sys
import time
from contextlib import contextmanager
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

# operational settings; finance asked to keep them apart from the business rules above
RUN_SETTINGS = {
    "job_name": "orders_daily_revenue",
    "write_attempts": 3,
    "retry_backoff_seconds": 20,
    "max_range_days": 92,
    "min_output_rows": 1,
    "max_missing_fx_share": 0.05,
    "date_format": "%Y-%m-%d",
    "widgets": ["start", "end", "run_id"],
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


def read_widgets():
    """Ad-hoc reruns from the notebook UI pass their dates as widgets instead of job arguments."""
    values = {}
    widgets = globals().get("dbutils")
    if widgets is None:
        return values
    for name in RUN_SETTINGS["widgets"]:
        value = widgets.widgets.get(name)
        if value:
            values[name] = value
    return values


def parse_args(argv):
    """Accepts --start YYYY-MM-DD --end YYYY-MM-DD [--run-id ID]; defaults to the previous calendar month.

    Widgets (notebook reruns) win over the defaults but not over explicit arguments.
    """
    args = {"start": None, "end": None, "run_id": None}
    i = 1
    while i < len(argv):
        if argv[i] == "--start":
            args["start"] = argv[i + 1]
            i += 2
        elif argv[i] == "--end":
            args["end"] = argv[i + 1]
            i += 2
        elif argv[i] == "--run-id":
            args["run_id"] = argv[i + 1]
            i += 2
        else:
            logger.warning("ignoring unknown argument %s", argv[i])
            i += 1
    for name, value in read_widgets().items():
        if args.get(name) is None:
            logger.info("parameter %s taken from widget: %s", name, value)
            args[name] = value
    if args["start"] is None:
        args["start"] = "2026-10-01"
    if args["end"] is None:
        args["end"] = "2026-10-31"
    if args["run_id"] is None:
        args["run_id"] = "manual-" + datetime.utcnow().strftime("%Y%m%dT%H%M%S")
    return args


def check_date_range(start, end):
    """Refuses reversed ranges; warns on ranges longer than a quarter (close reruns are monthly)."""
    fmt = RUN_SETTINGS["date_format"]
    first = datetime.strptime(start, fmt).date()
    last = datetime.strptime(end, fmt).date()
    if last < first:
        raise ValueError("end date %s is before start date %s" % (end, start))
    span_days = (last - first).days + 1
    if span_days > RUN_SETTINGS["max_range_days"]:
        logger.warning("date range of %d days is longer than the usual close period", span_days)
    return span_days


class RunMetrics:
    """Step timings and counters, logged at the end of the run for the ops dashboard."""

    def __init__(self, job_name):
        self.job_name = job_name
        self.started = time.monotonic()
        self.timings = {}
        self.counters = {}

    @contextmanager
    def timed(self, step):
        began = time.monotonic()
        try:
            yield
        finally:
            self.timings[step] = round(time.monotonic() - began, 3)

    def incr(self, name, amount=1):
        self.counters[name] = self.counters.get(name, 0) + amount

    def set(self, name, value):
        self.counters[name] = value

    def report(self):
        elapsed = round(time.monotonic() - self.started, 3)
        logger.info("METRICS job=%s elapsed_s=%s timings=%s counters=%s",
                    self.job_name, elapsed, json.dumps(self.timings, sort_keys=True),
                    json.dumps(self.counters, sort_keys=True))


def retry_transient(what):
    """Decorator: Delta commit conflicts with the month-end backfill are transient, so retry.

    The last failure is raised again, so a run never ends green without its output.
    """
    def decorate(action):
        @functools.wraps(action)
        def run(*args, **kwargs):
            attempts = RUN_SETTINGS["write_attempts"]
            for attempt in range(1, attempts + 1):
                try:
                    return action(*args, **kwargs)
                except Exception as exc:
                    if attempt == attempts:
                        logger.error("%s failed after %d attempts", what, attempts)
                        raise
                    logger.warning("%s attempt %d of %d failed (%s), retrying", what, attempt, attempts, exc)
                    time.sleep(RUN_SETTINGS["retry_backoff_seconds"] * attempt)
        return run
    return decorate


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


def missing_fx_share(rows):
    """Share of output groups without an FX rate (revenue_usd left empty)."""
    if not rows:
        return 0.0
    missing = len([r for r in rows if r.revenue_usd is None])
    return missing / len(rows)


def check_output(rows, metrics):
    """Output checks of FIN-1187; they warn, the close team decides whether to rerun."""
    metrics.set("output_rows", len(rows))
    if len(rows) < RUN_SETTINGS["min_output_rows"]:
        logger.warning("no output rows for the requested period")
    share = missing_fx_share(rows)
    metrics.set("missing_fx_share", round(share, 4))
    if share > RUN_SETTINGS["max_missing_fx_share"]:
        logger.warning("%.1f%% of the groups have no FX rate, USD revenue is incomplete", share * 100)
    unknown = len([r for r in rows if r.region == CONFIG["default_region"]])
    metrics.set("unknown_region_groups", unknown)
    if unknown > 0:
        logger.warning("%d groups fall in region %s (store missing from raw.stores)", unknown, CONFIG["default_region"])
    negative = len([r for r in rows if r.gross_revenue < 0])
    metrics.set("negative_revenue_groups", negative)
    if negative > 0:
        logger.info("%d groups have net negative revenue (returns above sales)", negative)


def audit_record(args, row_count, metrics):
    """The audit line SOX control REV-07 keeps: who ran what for which period, and how it ended."""
    return {
        "job": RUN_SETTINGS["job_name"],
        "run_id": args["run_id"],
        "period_start": args["start"],
        "period_end": args["end"],
        "target": CONFIG["target"],
        "rows": row_count,
        "write_mode": CONFIG["write_mode"],
        "logged_at": datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "counters": dict(metrics.counters),
    }


def emit_audit(record):
    logger.info("AUDIT_RECORD %s", json.dumps(record, sort_keys=True, default=str))


@retry_transient("write of " + CONFIG["target"])
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
    span_days = check_date_range(start, end)
    logger.info("running for %s .. %s (%d days), run %s", start, end, span_days, args["run_id"])
    metrics = RunMetrics(RUN_SETTINGS["job_name"])
    spark = get_spark()

    with metrics.timed("load"):
        orders = load_orders(spark, start, end)
        log_step("orders", orders)
        lines = load_lines(spark)
        products = load_products(spark)
        region_by_store = build_region_lookup(spark)
        fx = build_fx_lookup(spark, start, end)
    logger.info("fx lookup has %d entries", len(fx))
    metrics.set("stores", len(region_by_store))
    metrics.set("fx_rates", len(fx))

    with metrics.timed("aggregate"):
        daily = aggregate_daily(orders, lines, products)
        log_step("daily", daily)
        totals = collect_daily_totals(daily, region_by_store, fx)
        rows = build_output_rows(totals)
    validate(rows)
    check_output(rows, metrics)

    with metrics.timed("write"):
        write_output(spark, rows)
    audit(spark, start, end, len(rows))
    emit_audit(audit_record(args, len(rows), metrics))
    metrics.report()


if __name__ == "__main__":
    main(sys.argv)
