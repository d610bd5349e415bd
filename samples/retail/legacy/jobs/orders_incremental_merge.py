"""Reference program of jobs/orders_incremental_merge (window + MERGE on a date range)."""
from datetime import date, timedelta

from sparklike import param

TARGET = "curated.orders_clean"
LOOKBACK_DAYS = 2
OUTPUT = [
    ("order_id", "long"), ("customer_id", "long"), ("store_id", "integer"), ("order_date", "date"), ("status", "string"),
    ("currency", "string"), ("total_amount", "decimal(18,2)"), ("ingested_at", "timestamp"),
]
COLUMNS = [name for name, _ in OUTPUT]


def run(tables, params):
    run_date = date.fromisoformat(param(params, "run_date", "2026-10-31"))
    start, end = run_date - timedelta(days=LOOKBACK_DAYS), run_date

    latest = {}
    for o in tables.read("raw.orders"):
        if o["order_date"] is None or not (start <= o["order_date"] <= end) or o["order_id"] is None:
            continue
        row = {c: o[c] for c in COLUMNS}
        current = latest.get(o["order_id"])
        # row_number() over (partition by order_id order by ingested_at desc) = 1; NULLs sort last
        if current is None or (row["ingested_at"] is not None
                               and (current["ingested_at"] is None or row["ingested_at"] > current["ingested_at"])):
            latest[o["order_id"]] = row

    if not tables.exists(TARGET):
        target = latest
    else:
        target = {r["order_id"]: r for r in tables.read(TARGET)}
        for order_id, s in latest.items():
            t = target.get(order_id)
            if t is None:
                target[order_id] = s
            elif s["ingested_at"] is not None and t["ingested_at"] is not None and s["ingested_at"] > t["ingested_at"]:
                target[order_id] = s
    tables.write(TARGET, OUTPUT, [target[k] for k in sorted(target)])
