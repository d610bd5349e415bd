"""Reference program of jobs/customer_ltv_running (running totals in a Python loop)."""
from decimal import Decimal

MILESTONES = [100, 500, 1000]
RUNNING = [
    ("customer_id", "long"), ("order_id", "long"), ("order_date", "date"), ("order_seq", "integer"),
    ("amount", "decimal(18,2)"), ("running_ltv", "decimal(18,2)"), ("previous_ltv", "decimal(18,2)"),
]
CROSSINGS = [("customer_id", "long"), ("order_id", "long"), ("order_date", "date"), ("milestone", "integer")]


def run(tables, params):
    orders = [o for o in tables.read("raw.orders") if o["status"] == "COMPLETED" and o["customer_id"] is not None]
    # orderBy(customer_id, order_date, order_id): ascending, NULLS FIRST
    orders.sort(key=lambda o: (o["customer_id"], o["order_date"] is not None, o["order_date"] or 0, o["order_id"] or 0))

    running, seq, rows = {}, {}, []
    for r in orders:
        previous = running.get(r["customer_id"], Decimal("0.00"))
        running[r["customer_id"]] = previous + r["total_amount"]
        seq[r["customer_id"]] = seq.get(r["customer_id"], 0) + 1
        rows.append((r["customer_id"], r["order_id"], r["order_date"], seq[r["customer_id"]],
                     r["total_amount"], running[r["customer_id"]], previous))
    tables.write("curated.customer_ltv_running", RUNNING, rows)

    crossings = []
    for m in MILESTONES:
        crossings.extend((c, o, d, m) for (c, o, d, _, _, run_ltv, prev) in rows if run_ltv >= m and prev < m)
    tables.write("curated.customer_milestones", CROSSINGS, crossings)
