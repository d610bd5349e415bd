# customer_dim_scd2
# Maintains the customer dimension as a type-2 slowly changing dimension.
# Tracked attributes: segment, country. Email is stored hashed only.
#
# Usage: spark-submit main.py [--until YYYY-MM-DD]

import hashlib
import logging
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

logger = logging.getLogger("customer_dim_scd2")
logging.basicConfig(level=logging.INFO)

SOURCE = "raw.customers"
TARGET = "curated.dim_customer"


def ensure_target(spark):
    spark.sql(f"""
        CREATE TABLE IF NOT EXISTS {TARGET} (
            customer_id BIGINT,
            segment STRING,
            country STRING,
            email_sha256 STRING,
            valid_from DATE,
            valid_to DATE,
            is_current BOOLEAN
        ) USING DELTA
    """)


def email_hash(email):
    if email is None:
        return None
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def read_changes(spark, until):
    changes = spark.table(SOURCE).withColumn("change_date", F.to_date("updated_at"))
    if until:
        changes = changes.filter(F.col("change_date") <= F.lit(until))
    return changes.select("customer_id", "segment", "country", "email", "updated_at", "change_date")


def apply_change(spark, row):
    existing = spark.sql(f"""
        SELECT count(*) AS n FROM {TARGET}
        WHERE customer_id = {row.customer_id} AND is_current = true
          AND segment = '{row.segment}' AND country = '{row.country}'
    """).collect()[0].n
    if existing > 0:
        return False
    spark.sql(f"""
        UPDATE {TARGET} SET is_current = false, valid_to = '{row.change_date}'
        WHERE customer_id = {row.customer_id} AND is_current = true
    """)
    spark.sql(f"""
        INSERT INTO {TARGET} VALUES (
            {row.customer_id}, '{row.segment}', '{row.country}', '{email_hash(row.email)}',
            '{row.change_date}', NULL, true)
    """)
    return True


def main(argv):
    until = argv[2] if len(argv) > 2 and argv[1] == "--until" else None
    spark = SparkSession.builder.appName("customer_dim_scd2").getOrCreate()
    ensure_target(spark)

    watermark = spark.sql(f"SELECT max(valid_from) AS m FROM {TARGET}").collect()[0].m
    changes = read_changes(spark, until)
    if watermark is not None:
        changes = changes.filter(F.col("change_date") > F.lit(watermark))

    applied = 0
    for row in changes.orderBy("customer_id", "updated_at").collect():
        if apply_change(spark, row):
            applied += 1
    logger.info("applied %d changes to %s", applied, TARGET)


if __name__ == "__main__":
    main(sys.argv)
