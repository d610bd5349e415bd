"""Reference program of jobs/product_sales_rank (first/last per key, window without partition)."""
OUTPUT = [
    ("product_id", "integer"), ("product_name", "string"), ("category", "string"), ("revenue", "decimal(38,2)"),
    ("units", "long"), ("unit_share_pct", "long"), ("first_sold_date", "date"), ("last_sold_date", "date"),
    ("revenue_rank", "integer"),
]


def run(tables, params):
    order_dates = {}
    for o in tables.read("raw.orders"):
        if o["status"] == "COMPLETED" and o["order_id"] is not None:
            order_dates.setdefault(o["order_id"], []).append(o["order_date"])

    revenue, units, first, last = {}, {}, {}, {}
    for line in tables.read("raw.order_lines"):
        for order_date in order_dates.get(line["order_id"], []):
            pid = line["product_id"]
            if line["quantity"] is not None and line["unit_price"] is not None:
                amount = line["quantity"] * line["unit_price"]
                revenue[pid] = amount if revenue.get(pid) is None else revenue[pid] + amount
            else:
                revenue.setdefault(pid, None)
            if line["quantity"] is not None:
                units[pid] = line["quantity"] if units.get(pid) is None else units[pid] + line["quantity"]
            else:
                units.setdefault(pid, None)
            # rows sorted by order_date and collected: first seen = earliest, last seen = latest
            if order_date is not None:
                first[pid] = order_date if pid not in first else min(first[pid], order_date)
                last[pid] = order_date if pid not in last else max(last[pid], order_date)

    total_units = sum(u for u in units.values() if u is not None)
    share = {pid: u * 100 // total_units for pid, u in units.items() if u is not None}

    # rank() over (order by revenue desc): Spark puts NULLs last in descending order
    ordered = sorted(revenue, key=lambda pid: (revenue[pid] is None, -(revenue[pid] or 0)))
    rank, previous = {}, object()
    for position, pid in enumerate(ordered, 1):
        if revenue[pid] != previous:
            current = position
            previous = revenue[pid]
        rank[pid] = current

    products = {}
    for p in tables.read("raw.products"):
        products.setdefault(p["product_id"], []).append(p)
    out = []
    for pid in sorted(revenue, key=lambda x: (x is None, x)):
        for p in products.get(pid, [None]):
            out.append((pid, p and p["product_name"], p and p["category"], revenue[pid], units.get(pid),
                         share.get(pid), first.get(pid), last.get(pid), rank[pid]))
    tables.write("curated.product_sales_rank", OUTPUT, out)
