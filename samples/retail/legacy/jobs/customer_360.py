"""Reference program of jobs/customer_360 (PII exposure, toPandas().iterrows())."""
from datetime import date

from sparklike import driver_local_date, param, unix_seconds

TRIM = ["first_name", "last_name", "email", "phone", "country", "segment"]
TIERS = [(5000, "platinum"), (1000, "gold"), (250, "silver")]
OUTPUT = [
    ("customer_id", "long"), ("full_name", "string"), ("email", "string"), ("phone", "string"), ("birth_date", "date"),
    ("country", "string"), ("segment", "string"), ("orders", "long"), ("lifetime_value", "decimal(18,2)"), ("tier", "string"),
    ("web_events", "long"), ("last_seen_date", "date"), ("age_years", "integer"),
]


def spark_trim(value):
    # Spark trim() removes spaces only
    return None if value is None else value.strip(" ")


def tier_for(ltv):
    if not ltv:
        return "none"
    for threshold, name in TIERS:
        if ltv >= threshold:
            return name
    return "bronze"


def age_on(birth_date, today):
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def full_name(first, last):
    parts = [p for p in (first, last) if p]
    return " ".join(parts) if parts else None


def run(tables, params):
    as_of = date.fromisoformat(param(params, "as_of", "2026-10-31"))

    customers = []
    for c in tables.read("raw.customers"):
        c = dict(c)
        for col in TRIM:
            c[col] = spark_trim(c[col])
        c["email"] = None if c["email"] is None else c["email"].lower()
        customers.append(c)
    latest = {}
    for c in customers:
        if c["customer_id"] is None or c["updated_at"] is None:
            continue
        if c["customer_id"] not in latest or c["updated_at"] > latest[c["customer_id"]]:
            latest[c["customer_id"]] = c["updated_at"]
    # inner join on (customer_id, updated_at): exact duplicate versions stay duplicated
    current = [c for c in customers if c["customer_id"] in latest and c["updated_at"] == latest[c["customer_id"]]]

    stats = {}
    for o in tables.read("raw.orders"):
        if o["status"] != "COMPLETED" or o["customer_id"] is None:
            continue
        s = stats.setdefault(o["customer_id"], {"orders": 0, "ltv": None})
        if o["order_id"] is not None:
            s["orders"] += 1
        if o["total_amount"] is not None:
            s["ltv"] = o["total_amount"] if s["ltv"] is None else s["ltv"] + o["total_amount"]
    web = {}
    for e in tables.read("raw.web_events"):
        if e["customer_id"] is None:
            continue
        w = web.setdefault(e["customer_id"], {"events": 0, "last": None})
        if e["event_id"] is not None:
            w["events"] += 1
        if e["event_ts"] is not None and (w["last"] is None or e["event_ts"] > w["last"]):
            w["last"] = e["event_ts"]

    out = []
    for c in current:
        s = stats.get(c["customer_id"])
        w = web.get(c["customer_id"])
        ltv = None if s is None else s["ltv"]
        last_epoch = None if w is None or w["last"] is None else unix_seconds(w["last"])
        out.append((
            c["customer_id"],
            full_name(c["first_name"], c["last_name"]),
            c["email"],
            c["phone"],
            c["birth_date"],
            c["country"],
            c["segment"],
            0 if s is None else s["orders"],
            ltv,
            tier_for(ltv),
            0 if w is None else w["events"],
            None if last_epoch is None else driver_local_date(last_epoch),
            age_on(c["birth_date"], as_of),
        ))
    out.sort(key=lambda r: (r[0], r[1] or "", r[2] or ""))
    tables.write("curated.customer_360", OUTPUT, out)
