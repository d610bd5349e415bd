"""Reference program of jobs/orders_daily_revenue (SOX daily revenue)."""
from datetime import date
from decimal import Decimal

from sparklike import null_first, param, spark_round

STATUSES = ("COMPLETED", "RETURNED")
DEFAULT_REGION = "UNKNOWN"
OUTPUT = [
    ("order_date", "date"), ("region", "string"), ("category", "string"), ("orders", "long"), ("units", "long"),
    ("gross_revenue", "decimal(18,2)"), ("revenue_usd", "double"), ("avg_order_value_usd", "double"),
]


def run(tables, params):
    start = date.fromisoformat(param(params, "start", "2026-10-01"))
    end = date.fromisoformat(param(params, "end", "2026-10-31"))

    # DataFrame part (Spark semantics): filters, inner joins, HALF_UP round of the line amount
    orders = [o for o in tables.read("raw.orders")
              if o["status"] in STATUSES and o["order_date"] is not None and start <= o["order_date"] <= end]
    lines_by_order = {}
    for line in tables.read("raw.order_lines"):
        discount = line["discount_pct"] if line["discount_pct"] is not None else Decimal(0)
        amount = None
        if line["quantity"] is not None and line["unit_price"] is not None:
            amount = spark_round(line["quantity"] * line["unit_price"] * (1 - discount / 100), 2)
        lines_by_order.setdefault(line["order_id"], []).append((line["product_id"], line["quantity"], amount))
    category_of = {}
    for p in tables.read("raw.products"):
        category_of.setdefault(p["product_id"], []).append(p["category"])

    groups = {}
    for o in orders:
        for product_id, quantity, amount in lines_by_order.get(o["order_id"], []):
            for category in category_of.get(product_id, []):
                signed = -amount if (o["status"] == "RETURNED" and amount is not None) else amount
                key = (o["order_date"], o["store_id"], o["currency"], category)
                g = groups.setdefault(key, {"orders": set(), "units": None, "gross": None})
                g["orders"].add(o["order_id"])
                if quantity is not None:
                    g["units"] = quantity if g["units"] is None else g["units"] + quantity
                if signed is not None:
                    g["gross"] = signed if g["gross"] is None else g["gross"] + signed

    # Python part: dict lookups and accumulation, Python float round
    region_by_store = {}
    for s in tables.read("raw.stores"):
        region_by_store[s["store_id"]] = s["region"]
    fx = {}
    for r in tables.read("raw.fx_rates"):
        if r["rate_date"] is not None and start <= r["rate_date"] <= end:
            fx[(r["rate_date"], r["currency"])] = float(r["rate_to_usd"])

    totals = {}
    # collect() order of the grouped rows is defined here as the sorted group key
    for key in sorted(groups, key=lambda k: tuple(null_first(v) for v in k)):
        order_date, store_id, currency, category = key
        g = groups[key]
        region = region_by_store.get(store_id, DEFAULT_REGION)
        rate = fx.get((order_date, currency))
        usd = None if rate is None else round(float(g["gross"]) * rate, 2)
        tkey = (order_date, region, category)
        if tkey not in totals:
            totals[tkey] = {"orders": 0, "units": 0, "gross": 0, "usd": 0.0, "missing_fx": False}
        acc = totals[tkey]
        acc["orders"] += len(g["orders"])
        acc["units"] += g["units"]
        acc["gross"] += g["gross"]
        if usd is None:
            acc["missing_fx"] = True
        else:
            acc["usd"] += usd

    out = []
    for (order_date, region, category), acc in sorted(totals.items()):
        usd = None if acc["missing_fx"] else round(acc["usd"], 2)
        aov = None
        if usd is not None and acc["orders"]:
            aov = round(usd / acc["orders"], 2)
        out.append((order_date, region, category, acc["orders"], acc["units"], acc["gross"], usd, aov))
    tables.write("curated.daily_revenue", OUTPUT, out)
