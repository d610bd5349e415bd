"""Reference program of jobs/web_sessions_daily (pure Spark SQL job)."""
from datetime import date, timedelta

from sparklike import spark_round, unix_seconds

OUTPUT = [
    ("event_date", "date"), ("device", "string"), ("sessions", "long"), ("converted_sessions", "long"),
    ("conversion_rate", "double"), ("avg_session_seconds", "double"), ("identified_customers", "long"),
]


def smaller(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def larger(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def run(tables, params):
    low = date(2026, 10, 31) - timedelta(days=6)
    sessions = {}
    for e in tables.read("raw.web_events"):
        if e["event_date"] is None or e["event_date"] < low:
            continue
        key = (e["session_id"], e["event_date"])
        s = sessions.setdefault(key, {"device": None, "customer": None, "start": None, "end": None, "converted": 0})
        s["device"] = smaller(s["device"], e["device"])
        s["customer"] = smaller(s["customer"], e["customer_id"])
        s["start"] = smaller(s["start"], e["event_ts"])
        s["end"] = larger(s["end"], e["event_ts"])
        s["converted"] = max(s["converted"], 1 if e["event_type"] == "purchase" else 0)

    groups = {}
    for (session_id, event_date), s in sessions.items():
        g = groups.setdefault((event_date, s["device"]), {"n": 0, "converted": 0, "dur_sum": 0, "dur_n": 0, "customers": set()})
        g["n"] += 1
        g["converted"] += s["converted"]
        if s["start"] is not None and s["end"] is not None:
            g["dur_sum"] += unix_seconds(s["end"]) - unix_seconds(s["start"])
            g["dur_n"] += 1
        if s["customer"] is not None:
            g["customers"].add(s["customer"])

    out = []
    for (event_date, device) in sorted(groups, key=lambda k: (k[0], k[1] is not None, k[1] or "")):
        g = groups[(event_date, device)]
        rate = spark_round(g["converted"] / g["n"], 4)
        avg = None if g["dur_n"] == 0 else spark_round(float(g["dur_sum"]) / g["dur_n"], 1)
        out.append((event_date, device, g["n"], g["converted"], rate, avg, len(g["customers"])))
    tables.write("curated.web_sessions_daily", OUTPUT, out)
