"""Reference program of jobs/payments_reconciliation (double sums, != 0.0, cross join bands that overlap)."""
BANDS = [("low", 0.0, 1.0), ("medium", 1.0, 100.0), ("high", 50.0, 1.0e12)]
OUTPUT = [
    ("order_id", "long"), ("payment_count", "long"), ("paid", "double"), ("total_amount", "decimal(18,2)"),
    ("diff", "double"), ("severity", "string"),
]


def run(tables, params):
    per_order = {}
    captured = 0
    # Spark's sum of doubles is order dependent; the reference sums in payment_id order
    for p in sorted(tables.read("raw.payments"), key=lambda p: (p["payment_id"] is None, p["payment_id"] or 0)):
        if p["status"] != "CAPTURED":
            continue
        captured += 1
        agg = per_order.setdefault(p["order_id"], {"count": 0, "paid": None})
        if p["payment_id"] is not None:
            agg["count"] += 1
        if p["amount"] is not None:
            agg["paid"] = float(p["amount"]) if agg["paid"] is None else agg["paid"] + float(p["amount"])
    if captured == 0:
        return

    orders = {}
    for o in tables.read("raw.orders"):
        orders.setdefault(o["order_id"], []).append(o)

    out = []
    for order_id, agg in per_order.items():
        if order_id is None:
            continue
        for o in orders.get(order_id, []):
            if agg["paid"] is None or o["total_amount"] is None:
                continue
            diff = agg["paid"] - float(o["total_amount"])
            if diff != 0.0:
                for severity, lo, hi in BANDS:
                    if lo <= abs(diff) < hi:
                        out.append((order_id, agg["count"], agg["paid"], o["total_amount"], diff, severity))
    out.sort(key=lambda r: (r[0], r[3], r[5]))
    tables.write("curated.payment_exceptions", OUTPUT, out)
