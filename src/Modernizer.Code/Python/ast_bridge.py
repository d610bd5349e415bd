# Modernizer Python syntax bridge (stdlib only). Reads JSON lines {"i": id, "s": source} from stdin,
# writes one JSON line per input: {"i": id, "t": tree} or {"i": id, "e": [message, line, column]}.
# The first output line is the schema: {"schema": {kind: [has_position, [[field, type, is_list], ...]]}}.
# A node is [kind, line, col, end_line, end_col, field...] (positions only for kinds that have them);
# columns are character offsets (CPython reports UTF-8 byte offsets); trailing empty fields are cut;
# expression contexts and type comments are never sent: the exchange, not the parse, is the cost.
import ast, json, re, sys

_SKIP_TYPES = {"expr_context"}
_SKIP_FIELDS = {"type_comment"}
_PRIMITIVES = {"identifier", "string", "constant", "int"}
_DOC = re.compile(r"^\w+\((.*)\)$", re.S)


def _schema():
    schema, fields_of = {}, {}
    for name in dir(ast):
        cls = getattr(ast, name)
        if not isinstance(cls, type) or not issubclass(cls, ast.AST) or cls is ast.AST:
            continue
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        m = _DOC.match(doc)
        types = {}
        if m and m.group(1).strip():
            for part in m.group(1).split(","):
                t, _, f = part.strip().rpartition(" ")
                types[f] = t
        fields = []
        for f in cls._fields:
            t = types.get(f, "expr")
            base = t.rstrip("*?")
            if base in _SKIP_TYPES or f in _SKIP_FIELDS:
                continue
            fields.append((f, base, t.endswith("*")))
        has_pos = "lineno" in getattr(cls, "_attributes", ())
        schema[name] = [has_pos, [[f, t, l] for f, t, l in fields]]
        fields_of[cls] = (name, has_pos, tuple((f, t in _PRIMITIVES, t == "constant") for f, t, _ in fields))
    return schema, fields_of


SCHEMA, FIELDS = _schema()


class _Columns:
    """Turns CPython's UTF-8 byte column offsets into character offsets, line by line."""

    __slots__ = ("lines", "cache")

    def __init__(self, source):
        self.lines = source.split("\n")
        self.cache = {}

    def char(self, line, byte_col):
        entry = self.cache.get(line)
        if entry is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            entry = None if text.isascii() else text.encode("utf-8")
            self.cache[line] = entry if entry is not None else False
        if not entry:
            return byte_col
        return len(entry[:byte_col].decode("utf-8", "replace"))


def _constant(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if -(2 ** 53) < v < 2 ** 53 else ["int", str(v)]
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return ["float", repr(v)]
        return v if not v.is_integer() else ["float", repr(v)]
    return [type(v).__name__, repr(v)]


def _encode(node, cols):
    name, has_pos, fields = FIELDS[type(node)]
    if has_pos:
        line = node.lineno
        end = node.end_lineno or line
        if cols is None:
            # ASCII source (the usual case): byte offsets are character offsets already.
            out = [name, line, node.col_offset, end, node.end_col_offset or 0]
        else:
            out = [name, line, cols.char(line, node.col_offset), end, cols.char(end, node.end_col_offset or 0)]
    else:
        out = [name]
    values = []
    for f, primitive, constant in fields:
        v = getattr(node, f, None)
        if constant:
            values.append(_constant(v))
        elif primitive:
            values.append(v)
        elif isinstance(v, list):
            values.append([x if isinstance(x, str) else (_encode(x, cols) if x is not None else None) for x in v] if v else None)
        elif v is None:
            values.append(None)
        else:
            fv = FIELDS[type(v)]
            # Operators carry no fields and no position: their name alone is the node.
            values.append(fv[0] if not fv[1] and not fv[2] else _encode(v, cols))
    while values and (values[-1] is None or values[-1] == []):
        values.pop()
    out.extend(values)
    return out


def main():
    sys.setrecursionlimit(10000)
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    write = sys.stdout.write
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    write(dumps({"schema": SCHEMA}) + "\n")
    for raw in sys.stdin:
        if not raw.strip():
            continue
        request = json.loads(raw)
        ident, source = request["i"], request["s"]
        try:
            tree = ast.parse(source)
            result = {"i": ident, "t": _encode(tree, None if source.isascii() else _Columns(source))}
        except SyntaxError as error:
            result = {"i": ident, "e": [error.msg or "invalid syntax", error.lineno or 0, max((error.offset or 1) - 1, 0)]}
        except (ValueError, RecursionError, MemoryError) as error:
            result = {"i": ident, "e": [type(error).__name__ + ": " + str(error), 0, 0]}
        # No flush per file: buffered output means far fewer pipe wake-ups on a busy machine.
        write(dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
