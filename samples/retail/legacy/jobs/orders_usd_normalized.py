"""Reference program of jobs/orders_usd_normalized (Python UDF, fan-out on a non-unique lookup)."""
from datetime import date

OUTPUT = [
    ("order_id", "long"), ("order_date", "date"), ("currency", "string"), ("total_amount", "decimal(18,2)"),
    ("rate_to_usd", "decimal(18,6)"), ("amount_usd", "double"),
]
PERIOD = (date(2026, 10, 1), date(2026, 10, 31))


def convert(amount, rate):
    if amount is None or rate is None:
        return None
    return round(float(amount) * float(rate), 2)


def run(tables, params):
    rates = {}
    for r in tables.read("raw.fx_rates"):
        rates.setdefault((r["rate_date"], r["currency"]), []).append(r["rate_to_usd"])
    out = []
    for o in tables.read("raw.orders"):
        if o["status"] != "COMPLETED" or o["order_date"] is None or not (PERIOD[0] <= o["order_date"] <= PERIOD[1]):
            continue
        matches = rates.get((o["order_date"], o["currency"])) if o["currency"] is not None else None
        for rate in matches or [None]:
            out.append((o["order_id"], o["order_date"], o["currency"], o["total_amount"], rate, convert(o["total_amount"], rate)))
    out.sort(key=lambda r: (r[0], r[4] is not None, r[4] or 0, r[3] or 0))
    tables.write("curated.orders_usd", OUTPUT, out)
