# customer_360
# One row per customer with contact details, order statistics and web activity.
# Consumers: CRM export, marketing team, customer service dashboard.
# Owner: crm-data@retail.example
#
# Parameters (job arguments or notebook widgets): --as-of YYYY-MM-DD, --run-id ID, --log-level LEVEL.
# The as-of date can also come from the cluster conf spark.retail.as_of (older job definitions).
#
# GDPR: contact details never go to the logs; use mask()/mask_phone() in every log line.

import json
import logging
import sys
import time
from collections import Counter
from datetime import datetime

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    StructType, StructField, StringType, LongType, DateType, DecimalType, IntegerType,
)

log = logging.getLogger("customer_360")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

JOB_CONFIG = {
    "job_name": "customer_360",
    "default_as_of": "2026-10-31",
    "as_of_conf_key": "spark.retail.as_of",
    "shuffle_partitions": "32",
    "expected_columns": {
        "customers": ["customer_id", "first_name", "last_name", "email", "phone", "birth_date",
                      "country", "segment", "updated_at"],
        "orders": ["order_id", "customer_id", "status", "total_amount"],
        "web_events": ["event_id", "customer_id", "event_ts"],
    },
    # share of rows allowed to miss a contact field before the CRM team is warned
    "max_missing_share": {"email": 0.10, "phone": 0.35, "birth_date": 0.50},
    "widgets": ["as_of", "run_id", "log_level"],
}

SOURCES = {
    "customers": "raw.customers",
    "orders": "raw.orders",
    "web_events": "raw.web_events",
}
TARGET = "curated.customer_360"

# columns that are cleaned the same way, one after the other
TRIM_COLUMNS = ["first_name", "last_name", "email", "phone", "country", "segment"]

TIERS = [
    (5000, "platinum"),
    (1000, "gold"),
    (250, "silver"),
]

OUTPUT_SCHEMA = StructType([
    StructField("customer_id", LongType(), False),
    StructField("full_name", StringType(), True),
    StructField("email", StringType(), True),
    StructField("phone", StringType(), True),
    StructField("birth_date", DateType(), True),
    StructField("country", StringType(), True),
    StructField("segment", StringType(), True),
    StructField("orders", LongType(), False),
    StructField("lifetime_value", DecimalType(18, 2), True),
    StructField("tier", StringType(), False),
    StructField("web_events", LongType(), False),
    StructField("last_seen_date", DateType(), True),
    StructField("age_years", IntegerType(), True),
])


def configure_logging(level_name):
    level = getattr(logging, str(level_name).upper(), logging.INFO)
    logging.basicConfig(level=level, format=LOG_FORMAT)
    log.setLevel(level)


def widget_values():
    """Notebook reruns pass parameters as widgets; scheduled runs pass job arguments."""
    found = {}
    utils = globals().get("dbutils")
    if utils is None:
        return found
    for name in JOB_CONFIG["widgets"]:
        value = utils.widgets.get(name)
        if value:
            found[name] = value
    return found


def parse_args(argv):
    """--as-of YYYY-MM-DD --run-id ID --log-level LEVEL; widgets fill what the arguments leave open."""
    args = {"as_of": None, "run_id": None, "log_level": "INFO"}
    flags = {"--as-of": "as_of", "--run-id": "run_id", "--log-level": "log_level"}
    i = 1
    while i < len(argv):
        key = flags.get(argv[i])
        if key is not None and i + 1 < len(argv):
            args[key] = argv[i + 1]
            i += 2
        else:
            log.warning("ignoring unknown argument %s", argv[i])
            i += 1
    for name, value in widget_values().items():
        if args.get(name) is None:
            args[name] = value
    if args["run_id"] is None:
        args["run_id"] = "manual-" + datetime.utcnow().strftime("%Y%m%dT%H%M%S")
    return args


def resolve_as_of(spark, args):
    """The as-of date: argument or widget first, then the cluster conf, then the default."""
    text = args["as_of"] or spark.conf.get(JOB_CONFIG["as_of_conf_key"], JOB_CONFIG["default_as_of"])
    return datetime.strptime(text, "%Y-%m-%d").date()


def check_source_columns(name, df):
    """Schema drift guard: CRM renamed columns twice in 2024 without telling us."""
    missing = [c for c in JOB_CONFIG["expected_columns"][name] if c not in df.columns]
    if missing:
        raise ValueError("source %s lacks columns %s" % (SOURCES[name], ", ".join(missing)))
    extra = [c for c in df.columns if c not in JOB_CONFIG["expected_columns"][name]]
    if extra:
        log.info("source %s has %d columns this job does not use", SOURCES[name], len(extra))


class StepTimer:
    """Wall-clock time per step, logged as one METRICS line at the end of the run."""

    def __init__(self):
        self.began = time.monotonic()
        self.steps = []

    def lap(self, name):
        now = time.monotonic()
        self.steps.append((name, round(now - self.began, 2)))
        self.began = now

    def summary(self):
        return {name: seconds for name, seconds in self.steps}


def mask_phone(value):
    """For log lines only: keeps the last two digits so agents can match a caller."""
    if value is None or len(value) < 4:
        return value
    return "*" * (len(value) - 2) + value[-2:]


def warn_on_missing_contacts(missing, total):
    """Warns CRM when a contact field is missing more often than agreed (CRM-311)."""
    if total == 0:
        return []
    breaches = []
    for field, limit in sorted(JOB_CONFIG["max_missing_share"].items()):
        share = missing.get(field, 0) / total
        if share > limit:
            breaches.append(field)
            log.warning("%.1f%% of customers have no %s (limit %.0f%%)", share * 100, field, limit * 100)
    return breaches


def run_record(args, as_of, row_count, breaches, timer):
    """One JSON line per run for the ops log search; counts only, no customer data."""
    return {
        "job": JOB_CONFIG["job_name"],
        "run_id": args["run_id"],
        "as_of": as_of.isoformat(),
        "target": TARGET,
        "rows": row_count,
        "contact_breaches": breaches,
        "step_seconds": timer.summary(),
    }


def describe_tiers():
    """The tier thresholds as marketing reads them, e.g. 'platinum >= 5000'."""
    lines = ["%s >= %d" % (name, threshold) for threshold, name in TIERS]
    lines.append("bronze below %d" % TIERS[-1][0])
    return lines


def log_run_context(args, as_of):
    """What the run is about to do; support reads this first when CRM reports odd numbers."""
    log.info("sources: %s", ", ".join("%s=%s" % (k, v) for k, v in sorted(SOURCES.items())))
    log.info("target: %s (overwrite)", TARGET)
    log.info("as of %s, run %s, log level %s", as_of.isoformat(), args["run_id"], args["log_level"])
    for line in describe_tiers():
        log.info("tier rule: %s", line)
    limits = ", ".join("%s<=%.0f%%" % (k, v * 100) for k, v in sorted(JOB_CONFIG["max_missing_share"].items()))
    log.info("contact completeness limits: %s", limits)


def latest_customers(spark):
    """raw.customers receives a new row for every profile update; keep the latest per customer."""
    customers = spark.table(SOURCES["customers"])
    for c in TRIM_COLUMNS:
        customers = customers.withColumn(c, F.trim(F.col(c)))
    customers = customers.withColumn("email", F.lower(F.col("email")))
    latest = customers.groupBy("customer_id").agg(F.max("updated_at").alias("updated_at"))
    return customers.join(latest, ["customer_id", "updated_at"])


def order_stats(spark):
    orders = spark.table(SOURCES["orders"]).filter(F.col("status") == "COMPLETED")
    return orders.groupBy("customer_id").agg(
        F.count("order_id").alias("orders"),
        F.sum("total_amount").alias("lifetime_value"),
    )


def web_stats(spark):
    events = spark.table(SOURCES["web_events"]).filter(F.col("customer_id").isNotNull())
    return events.groupBy("customer_id").agg(
        F.count("event_id").alias("web_events"),
        F.max("event_ts").cast("long").alias("last_seen_epoch"),
    )


def tier_for(ltv):
    if not ltv:
        return "none"
    for threshold, name in TIERS:
        if ltv >= threshold:
            return name
    return "bronze"


def age_on(birth_date, today):
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def local_date(epoch_seconds):
    # the cluster driver runs in the office time zone
    if epoch_seconds is None or epoch_seconds != epoch_seconds:  # NaN after toPandas
        return None
    return datetime.fromtimestamp(epoch_seconds).date()


def full_name(first, last):
    parts = [p for p in (first, last) if p]
    return " ".join(parts) if parts else None


def data_quality_summary(rows):
    """Logs how complete the contact data is; CRM asks for these numbers every quarter."""
    missing = Counter()
    tiers = Counter()
    for r in rows:
        if r[2] is None:
            missing["email"] += 1
        if r[3] is None:
            missing["phone"] += 1
        if r[4] is None:
            missing["birth_date"] += 1
        tiers[r[9]] += 1
    log.info("rows=%d missing=%s", len(rows), dict(missing))
    for tier, count in sorted(tiers.items()):
        log.info("tier %-9s %6d", tier, count)
    return missing


def mask(value):
    """For log lines only: never print contact details."""
    if not value:
        return value
    return value[:2] + "***"


def write_with_retry(df, table, attempts=3):
    """Delta writes sometimes hit concurrent-append conflicts with the CRM export; retry."""
    for attempt in range(1, attempts + 1):
        try:
            df.write.mode("overwrite").format("delta").saveAsTable(table)
            log.info("wrote %s on attempt %d", table, attempt)
            return True
        except Exception as exc:
            log.warning("write attempt %d failed: %s", attempt, exc)
            time.sleep(30 * attempt)
    return False


def main(argv):
    args = parse_args(argv)
    configure_logging(args["log_level"])
    spark = SparkSession.builder.appName(JOB_CONFIG["job_name"]).getOrCreate()
    spark.conf.set("spark.sql.shuffle.partitions", JOB_CONFIG["shuffle_partitions"])
    as_of = resolve_as_of(spark, args)
    log.info("customer_360 run %s as of %s", args["run_id"], as_of)
    timer = StepTimer()

    log_run_context(args, as_of)
    check_source_columns("customers", spark.table(SOURCES["customers"]))
    check_source_columns("orders", spark.table(SOURCES["orders"]))
    check_source_columns("web_events", spark.table(SOURCES["web_events"]))
    timer.lap("schema_checks")

    customers = latest_customers(spark)
    stats = order_stats(spark)
    web = web_stats(spark)

    joined = (
        customers.join(stats, "customer_id", "left")
        .join(web, "customer_id", "left")
        .select(
            "customer_id", "first_name", "last_name", "email", "phone", "birth_date",
            "country", "segment", "orders", "lifetime_value", "web_events", "last_seen_epoch",
        )
    )
    log.info("building 360 rows")

    pdf = joined.toPandas()
    out = []
    for _, row in pdf.iterrows():
        ltv = row["lifetime_value"]
        out.append((
            int(row["customer_id"]),
            full_name(row["first_name"], row["last_name"]),
            row["email"],
            row["phone"],
            row["birth_date"],
            row["country"],
            row["segment"],
            int(row["orders"]) if row["orders"] == row["orders"] and row["orders"] is not None else 0,
            ltv,
            tier_for(ltv),
            int(row["web_events"]) if row["web_events"] == row["web_events"] and row["web_events"] is not None else 0,
            local_date(row["last_seen_epoch"]),
            age_on(row["birth_date"], as_of),
        ))
    log.info("built %d rows", len(out))
    timer.lap("build_rows")
    missing = data_quality_summary(out)
    breaches = warn_on_missing_contacts(missing, len(out))
    if out:
        log.info("sample row: customer %s email %s phone %s", out[0][0], mask(out[0][2]), mask_phone(out[0][3]))

    result = spark.createDataFrame(out, OUTPUT_SCHEMA)
    write_with_retry(result, TARGET)
    timer.lap("write")
    log.info("RUN %s", json.dumps(run_record(args, as_of, len(out), breaches, timer), sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
