"""Reference program of jobs/inventory_reorder (withColumn loop, Python UDF with floor division)."""
from datetime import timedelta

LEAD_TIME_DAYS = 14
SALES_WINDOW_DAYS = 28
OUTPUT = [
    ("snapshot_date", "date"), ("store_id", "integer"), ("product_id", "integer"), ("on_hand", "integer"),
    ("reserved", "integer"), ("units_28d", "long"), ("pack_size", "integer"), ("reorder_qty", "integer"),
]


def reorder_qty(on_hand, reserved, units_28d, pack_size):
    velocity = units_28d // SALES_WINDOW_DAYS
    available = on_hand - reserved
    need = velocity * LEAD_TIME_DAYS - available
    if need <= 0:
        return 0
    packs = need // pack_size
    if need % pack_size:
        packs += 1
    return packs * pack_size


def run(tables, params):
    snaps = tables.read("raw.inventory_snapshots")
    # agg(max).collect()[0][0] is one row even on no rows: NULL when no snapshot_date is set (an empty
    # table included), and the job goes on with it; Python's max() would raise instead.
    latest = max((s["snapshot_date"] for s in snaps if s["snapshot_date"] is not None), default=None)
    # date_sub(NULL, 28) is NULL and order_date > NULL is never true: no order is in the window.
    low = None if latest is None else latest - timedelta(days=SALES_WINDOW_DAYS)

    store_of = {}
    for o in tables.read("raw.orders"):
        if (o["status"] == "COMPLETED" and o["order_date"] is not None and low is not None and o["order_date"] > low
                and o["store_id"] is not None):
            store_of.setdefault(o["order_id"], []).append(o["store_id"])
    units = {}
    for line in tables.read("raw.order_lines"):
        for store_id in store_of.get(line["order_id"], []):
            key = (store_id, line["product_id"])
            q = line["quantity"]
            if q is not None:
                units[key] = q if units.get(key) is None else units[key] + q
            else:
                units.setdefault(key, None)
    packs = {}
    for p in tables.read("raw.products"):
        packs.setdefault(p["product_id"], []).append(p["pack_size"])

    out = []
    for s in snaps:
        # snapshot_date = NULL is never true: with no latest date no snapshot row is kept
        if latest is None or s["snapshot_date"] != latest:
            continue
        for pack_size in packs.get(s["product_id"], []):
            on_hand = s["on_hand"] if s["on_hand"] is not None else 0
            reserved = s["reserved"] if s["reserved"] is not None else 0
            sold = units.get((s["store_id"], s["product_id"]))
            sold = sold if sold is not None else 0
            qty = None if pack_size is None else reorder_qty(on_hand, reserved, sold, pack_size)
            out.append((latest, s["store_id"], s["product_id"], on_hand, reserved, sold, pack_size, qty))
    out.sort(key=lambda r: (r[1], r[2]))
    tables.write("curated.reorder_suggestions", OUTPUT, out)
