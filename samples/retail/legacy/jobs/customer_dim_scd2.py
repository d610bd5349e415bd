"""Reference program of jobs/customer_dim_scd2 (row-at-a-time SCD2 with f-string SQL)."""
import hashlib
from datetime import date

from sparklike import null_first, to_date_utc

TARGET = "curated.dim_customer"
OUTPUT = [
    ("customer_id", "long"), ("segment", "string"), ("country", "string"), ("email_sha256", "string"),
    ("valid_from", "date"), ("valid_to", "date"), ("is_current", "boolean"),
]


def email_hash(email):
    if email is None:
        return None
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def sql_text(value):
    # '{value}' in an f-string: None becomes the text 'None'
    return str(value)


def run(tables, params):
    until = params.get("until")
    until = date.fromisoformat(until) if until else None
    dim = [dict(r) for r in tables.read(TARGET)] if tables.exists(TARGET) else []

    valid_froms = [r["valid_from"] for r in dim if r["valid_from"] is not None]
    watermark = max(valid_froms) if valid_froms else None

    changes = []
    for c in tables.read("raw.customers"):
        change_date = to_date_utc(c["updated_at"])
        if until is not None and not (change_date is not None and change_date <= until):
            continue
        if watermark is not None and not (change_date is not None and change_date > watermark):
            continue
        changes.append(dict(c, change_date=change_date))
    changes.sort(key=lambda c: (null_first(c["customer_id"]), null_first(c["updated_at"])))

    by_customer = {}
    for r in dim:
        by_customer.setdefault(r["customer_id"], []).append(r)
    for row in changes:
        segment, country = sql_text(row["segment"]), sql_text(row["country"])
        rows = by_customer.setdefault(row["customer_id"], [])
        existing = sum(1 for r in rows if r["is_current"] is True and r["segment"] == segment and r["country"] == country)
        if existing > 0:
            continue
        for r in rows:
            if r["is_current"] is True:
                r["is_current"] = False
                r["valid_to"] = row["change_date"]
        new_row = {
            "customer_id": row["customer_id"], "segment": segment, "country": country,
            "email_sha256": sql_text(email_hash(row["email"])), "valid_from": row["change_date"],
            "valid_to": None, "is_current": True,
        }
        rows.append(new_row)
        dim.append(new_row)

    dim.sort(key=lambda r: (r["customer_id"], r["valid_from"], r["is_current"], r["segment"], r["country"]))
    tables.write(TARGET, OUTPUT, dim)
