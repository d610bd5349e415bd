# customer_360
# One row per customer with contact details, order statistics and web activity.
# Consumers: CRM export, marketing team, customer service dashboard.
# Owner: crm-data@retail.example

import logging
import time
from collections import Counter
from datetime import datetime

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    StructType, StructField, StringType, LongType, DateType, DecimalType, IntegerType,
)

log = logging.getLogger("customer_360")
logging.basicConfig(level=logging.INFO)

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


def main():
    spark = SparkSession.builder.appName("customer_360").getOrCreate()
    as_of = datetime.strptime(spark.conf.get("spark.retail.as_of", "2026-10-31"), "%Y-%m-%d").date()

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
    data_quality_summary(out)
    if out:
        log.info("sample row: customer %s email %s", out[0][0], mask(out[0][2]))

    result = spark.createDataFrame(out, OUTPUT_SCHEMA)
    write_with_retry(result, TARGET)


if __name__ == "__main__":
    main()
