#!/usr/bin/env python3
"""Reference program of the test workspace's shop_usd job, following the legacy runner protocol."""
import json
import os
import sys
from decimal import ROUND_HALF_UP, Decimal

OUTPUT = [("order_id", "long"), ("day", "date"), ("currency", "string"), ("qty", "integer"),
          ("amount", "decimal(10,2)"), ("rate", "decimal(10,4)"), ("amount_usd", "decimal(18,2)")]


def read(in_dir, name):
    with open(os.path.join(in_dir, name + ".schema.json"), encoding="utf-8") as f:
        types = {c["name"]: c["type"] for c in json.load(f)["columns"]}
    rows = []
    with open(os.path.join(in_dir, name + ".jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                raw = json.loads(line)
                rows.append({k: (Decimal(v) if v is not None and types[k].startswith("decimal") else v) for k, v in raw.items()})
    return rows


def main(argv):
    job, in_dir, out_dir = argv[1], argv[2], argv[3]
    if job != "shop_usd":
        print(f"no reference program for {job}", file=sys.stderr)
        return 2
    try:
        orders = read(in_dir, "raw.orders")
        rates = read(in_dir, "raw.rates")
    except FileNotFoundError as e:
        print(f"missing input: {e}", file=sys.stderr)
        return 2
    by_key = {}
    for r in rates:
        by_key.setdefault((r["rate_day"], r["currency"]), []).append(r["rate"])
    out = []
    for o in orders:
        if o["qty"] is not None and o["qty"] < 0:
            raise ValueError(f"negative quantity in order {o['order_id']}")
        if o["status"] != "PAID" or o["qty"] is None or o["qty"] < 2:
            continue
        matches = by_key.get((o["day"], o["currency"])) if o["day"] is not None and o["currency"] is not None else None
        for rate in matches or [None]:
            usd = None if rate is None or o["amount"] is None else (o["amount"] * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            out.append([o["order_id"], o["day"], o["currency"], o["qty"], o["amount"], rate, usd])
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "curated.orders_usd.jsonl"), "w", encoding="utf-8") as f:
        for row in out:
            record = {name: (None if v is None else str(v) if t.startswith("decimal") else v) for (name, t), v in zip(OUTPUT, row)}
            if record["rate"] is not None:
                record["rate"] = str(Decimal(record["rate"]).quantize(Decimal("0.0001")))
            f.write(json.dumps(record) + "\n")
    with open(os.path.join(out_dir, "curated.orders_usd.schema.json"), "w", encoding="utf-8") as f:
        json.dump({"table": "curated.orders_usd", "columns": [{"name": n, "type": t} for n, t in OUTPUT]}, f)
    print(f"shop_usd: wrote curated.orders_usd ({len(out)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
