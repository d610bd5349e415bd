"""Reference program of jobs/store_inventory_report (Databricks notebook, %sql cells, widgets)."""
from datetime import date, timedelta

from sparklike import param, spark_round

OUTPUT = [
    ("region", "string"), ("store_id", "integer"), ("store_name", "string"), ("category", "string"),
    ("days_covered", "long"), ("avg_on_hand", "double"), ("available_units", "long"), ("stockout_count", "long"),
]


def run(tables, params):
    report_date = date.fromisoformat(param(params, "report_date", "2026-10-31"))
    lookback = int(param(params, "lookback_days", "7"))
    target = param(params, "target_table", "curated.store_inventory")
    low = report_date - timedelta(days=lookback)

    stores = {}
    for s in tables.read("raw.stores"):
        stores.setdefault(s["store_id"], []).append(s)
    categories = {}
    for p in tables.read("raw.products"):
        categories.setdefault(p["product_id"], []).append(p["category"])

    groups = {}
    for r in tables.read("raw.inventory_snapshots"):
        if r["snapshot_date"] is None or not (low <= r["snapshot_date"] <= report_date):
            continue
        for s in stores.get(r["store_id"], []):
            for category in categories.get(r["product_id"], []):
                key = (s["region"], s["store_id"], s["store_name"], category)
                g = groups.setdefault(key, {"dates": set(), "sum": 0, "count": 0, "available": None, "stockouts": 0})
                g["dates"].add(r["snapshot_date"])
                if r["on_hand"] is not None:
                    g["sum"] += r["on_hand"]
                    g["count"] += 1
                    available = r["on_hand"] - (r["reserved"] if r["reserved"] is not None else 0)
                    g["available"] = available if g["available"] is None else g["available"] + available
                g["stockouts"] += 1 if r["on_hand"] == 0 else 0

    out = []
    for key in sorted(groups, key=lambda k: tuple((v is not None, v if v is not None else "") for v in k)):
        g = groups[key]
        avg = None if g["count"] == 0 else spark_round(float(g["sum"]) / g["count"], 2)
        out.append(key + (len(g["dates"]), avg, g["available"], g["stockouts"]))
    tables.write(target, OUTPUT, out)
