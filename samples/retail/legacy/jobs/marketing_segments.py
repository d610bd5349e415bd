"""Reference program of jobs/marketing_segments (notebook: .format SQL, widgets, writes in a loop)."""
from datetime import datetime, timezone

from sparklike import driver_local_date, param

OUTPUT = [
    ("customer_id", "long"), ("country", "string"), ("segment", "string"), ("orders", "long"),
    ("spend", "decimal(28,2)"), ("snapshot_date", "date"),
]


def run(tables, params):
    segments = [s.strip() for s in param(params, "segments", "consumer,smb,enterprise").split(",")]
    min_spend = float(param(params, "min_spend", "0"))
    target = param(params, "target_table", "curated.marketing_segments")
    as_of_utc = datetime.strptime(param(params, "as_of", "2026-11-01T02:30:00Z"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    snapshot_date = driver_local_date(as_of_utc.timestamp())

    orders_by_customer = {}
    for o in tables.read("raw.orders"):
        if o["customer_id"] is not None:
            orders_by_customer.setdefault(o["customer_id"], []).append(o)
    customers = tables.read("raw.customers")

    out = []
    for segment in segments:
        groups = {}
        for c in customers:
            if c["segment"] != segment:
                continue
            for o in orders_by_customer.get(c["customer_id"], []):
                # '{as_of}' is a date string compared with the order date
                if o["status"] != "COMPLETED" or o["order_date"] is None or not (o["order_date"] <= snapshot_date):
                    continue
                g = groups.setdefault((c["customer_id"], c["country"]), {"orders": 0, "spend": None})
                if o["order_id"] is not None:
                    g["orders"] += 1
                if o["total_amount"] is not None:
                    g["spend"] = o["total_amount"] if g["spend"] is None else g["spend"] + o["total_amount"]
        rows = [(cid, country, segment, g["orders"], g["spend"], snapshot_date) for (cid, country), g in groups.items()]
        if min_spend:
            rows = [r for r in rows if r[4] is not None and r[4] >= min_spend]
        out.extend(sorted(rows, key=lambda r: (r[0], r[1] is not None, r[1] or "")))
    tables.write(target, OUTPUT, out)
