"""Shared helpers of the reference programs: the table exchange format and the few Spark
semantics that differ from Python's (HALF_UP rounding, null ordering, driver time zone)."""
import json
import os
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

# The legacy clusters' drivers ran in the office time zone; code that used datetime.fromtimestamp
# or datetime.now() saw this zone. Pinned here so outputs do not depend on the host.
DRIVER_TZ = ZoneInfo("America/New_York")


class InputError(Exception):
    """A missing or malformed input table."""


def _reader(type_name):
    if type_name in ("long", "integer", "short", "byte"):
        return int
    if type_name in ("double", "float"):
        return float
    if type_name in ("string", "boolean"):
        return lambda v: v
    if type_name.startswith("decimal("):
        return Decimal
    if type_name == "date":
        return date.fromisoformat
    if type_name == "timestamp":
        return lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(timezone.utc)
    raise InputError(f"unsupported column type {type_name}")


def _scale(type_name):
    return int(type_name[len("decimal("):-1].split(",")[1])


def _writer(type_name):
    if type_name.startswith("decimal("):
        quantum = Decimal(1).scaleb(-_scale(type_name))
        return lambda v: str(Decimal(v).quantize(quantum, rounding=ROUND_HALF_UP))
    if type_name == "date":
        return lambda v: v.isoformat()
    if type_name == "timestamp":
        return lambda v: v.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if type_name in ("long", "integer", "short", "byte"):
        return int
    if type_name in ("double", "float"):
        return float
    if type_name == "boolean":
        return bool
    return str


class Tables:
    """Input tables as lists of dicts with typed values; output tables written back as JSONL."""

    def __init__(self, in_dir, out_dir):
        self.in_dir = in_dir
        self.out_dir = out_dir
        self.written = {}

    def exists(self, name):
        return os.path.exists(os.path.join(self.in_dir, name + ".jsonl"))

    def read(self, name):
        schema_path = os.path.join(self.in_dir, name + ".schema.json")
        data_path = os.path.join(self.in_dir, name + ".jsonl")
        if not os.path.exists(schema_path) or not os.path.exists(data_path):
            raise InputError(f"input table {name} is missing from {self.in_dir}")
        with open(schema_path, encoding="utf-8") as f:
            columns = json.load(f)["columns"]
        readers = [(c["name"], _reader(c["type"])) for c in columns]
        rows = []
        with open(data_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{data_path}:{number}: {e}") from e
                rows.append({n: (None if raw.get(n) is None else r(raw[n])) for n, r in readers})
        return rows

    def write(self, name, columns, rows):
        """columns: [(name, delta type)]; rows: dicts or tuples in column order."""
        writers = [(n, _writer(t)) for n, t in columns]
        with open(os.path.join(self.out_dir, name + ".jsonl"), "w", encoding="utf-8", newline="\n") as f:
            for row in rows:
                values = row if isinstance(row, (tuple, list)) else [row[n] for n, _ in columns]
                record = {n: (None if v is None else w(v)) for (n, w), v in zip(writers, values)}
                f.write(json.dumps(record, allow_nan=False) + "\n")
        with open(os.path.join(self.out_dir, name + ".schema.json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump({"table": name, "columns": [{"name": n, "type": t} for n, t in columns]}, f)
            f.write("\n")
        self.written[name] = len(rows)


class CopyTables(Tables):
    """The tables of a templated copy. Its code is its template's with every curated table renamed
    curated.<table> -> curated.<copy>__<table>, so the template's program runs unchanged on the
    renamed tables (a name that already carries the copy's prefix, e.g. from a parameter, is kept)."""

    def __init__(self, in_dir, out_dir, copy):
        super().__init__(in_dir, out_dir)
        self.prefix = f"curated.{copy}__"

    def _name(self, name):
        if name.startswith("curated.") and not name.startswith(self.prefix):
            return self.prefix + name[len("curated."):]
        return name

    def exists(self, name):
        return super().exists(self._name(name))

    def read(self, name):
        return super().read(self._name(name))

    def write(self, name, columns, rows):
        super().write(self._name(name), columns, rows)


def spark_round(value, scale):
    """Spark's round(): HALF_UP on the decimal value; a double goes through its shortest repr,
    as Spark's BigDecimal(double) does (so round(2.675, 2) is 2.68, where Python gives 2.67)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-scale)
    if isinstance(value, float):
        return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def null_first(value):
    """Sort key for Spark's ascending order (NULLS FIRST)."""
    return (value is not None, value if value is not None else 0)


def param(params, name, default):
    value = params.get(name)
    return default if value is None else value


def to_date_utc(ts):
    """Spark to_date(timestamp) with session time zone UTC."""
    return None if ts is None else ts.astimezone(timezone.utc).date()


def unix_seconds(ts):
    """Spark unix_timestamp() / cast(timestamp as long): whole seconds, floor."""
    if ts is None:
        return None
    delta = ts - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return delta.days * 86400 + delta.seconds


def driver_local_date(epoch_seconds):
    """datetime.fromtimestamp(epoch).date() on the legacy driver."""
    return datetime.fromtimestamp(epoch_seconds, DRIVER_TZ).date()
