# Generates, from CPython's own ast grammar, one Python source per node kind the parser can
# produce, and the tree CPython parses from it in the bridge's field order. The test sends each
# source through the bridge and compares the decoded tree with this one.
# argv[1]: the bridge script (its SCHEMA and constant encoding are the reference).
import ast, importlib.util, json, sys

spec = importlib.util.spec_from_file_location("bridge", sys.argv[1])
bridge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bridge)
SCHEMA = bridge.SCHEMA

# Kinds the exec-mode parser never produces, with the reason (the test prints them).
NOT_PRODUCED = {
    "Load": "expression context: never sent", "Store": "expression context: never sent", "Del": "expression context: never sent",
    "AugLoad": "unused since Python 3.9", "AugStore": "unused since Python 3.9", "Param": "unused since Python 3.9", "Suite": "unused since Python 3.9",
    "Interactive": "single-input mode only", "Expression": "eval mode only", "FunctionType": "func_type mode only",
    "TypeIgnore": "only with type_comments=True, which the bridge does not use",
    "Num": "deprecated alias of Constant", "Str": "deprecated alias of Constant", "Bytes": "deprecated alias of Constant",
    "NameConstant": "deprecated alias of Constant", "Ellipsis": "deprecated alias of Constant",
    "Index": "deprecated since Python 3.9", "ExtSlice": "deprecated since Python 3.9", "slice": "deprecated base of Index and ExtSlice",
    "expr_context": "abstract base of the expression contexts", "type_ignore": "abstract base of TypeIgnore",
}

def concrete(name):
    """A kind the parser can build: not an abstract base (expr, stmt...), whose subclasses are other kinds."""
    cls = getattr(ast, name, None)
    return isinstance(cls, type) and issubclass(cls, ast.AST) and all(sub.__name__ in NOT_PRODUCED for sub in cls.__subclasses__())


def field_types(cls):
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    m = bridge._DOC.match(doc)
    types = {}
    if m and m.group(1).strip():
        for part in m.group(1).split(","):
            t, _, f = part.strip().rpartition(" ")
            types[f] = t
    return types


def value_for(t, depth):
    base = t.rstrip("*?")
    many = t.endswith("*")
    if t.endswith("?") and depth > 0:
        return None
    one = {
        "identifier": lambda: "x", "string": lambda: "s", "int": lambda: 0, "constant": lambda: 1,
        "expr": lambda: ast.Name("x"), "stmt": lambda: ast.Pass(), "expr_context": lambda: ast.Load(),
        "boolop": lambda: ast.And(), "operator": lambda: ast.Add(), "unaryop": lambda: ast.Not(), "cmpop": lambda: ast.Eq(),
        "arguments": lambda: build("arguments", depth + 1), "arg": lambda: ast.arg("y"), "keyword": lambda: ast.keyword("k", ast.Name("x")),
        "alias": lambda: ast.alias("m"), "withitem": lambda: ast.withitem(ast.Name("x")), "comprehension": lambda: ast.comprehension(ast.Name("y"), ast.Name("x"), [], 0),
        "excepthandler": lambda: ast.ExceptHandler(None, None, [ast.Pass()]), "pattern": lambda: ast.MatchAs(None, "y"),
        "match_case": lambda: ast.match_case(ast.MatchAs(None, "y"), None, [ast.Pass()]), "type_ignore": lambda: None,
        "type_param": lambda: build("TypeVar", depth + 1),
    }.get(base)
    if one is None:
        return [] if many else None
    return [one()] if many else one()


def build(name, depth=0):
    cls = getattr(ast, name)
    types = field_types(cls)
    node = cls()
    for f in cls._fields:
        setattr(node, f, value_for(types.get(f, "expr"), depth))
    if name == "Constant":
        node.value = 1
    if name == "MatchSingleton":
        node.value = None
    if name == "MatchValue":
        node.pattern = None
        node.value = ast.Constant(1)
    if name == "FormattedValue":
        node.conversion = -1
        node.format_spec = None
    if name == "ImportFrom":
        node.level = 0
    if name == "comprehension":
        node.is_async = 0
    if name in ("Global", "Nonlocal"):
        node.names = ["x"]
    if name == "MatchClass":
        node.cls = ast.Name("C")
        node.kwd_attrs, node.kwd_patterns = [], []
    if name == "MatchMapping":
        node.keys, node.patterns, node.rest = [ast.Constant(1)], [ast.MatchAs(None, "y")], None
    if name == "Compare":
        node.ops, node.comparators = [ast.Eq()], [ast.Name("y")]
    if name == "Dict":
        node.keys, node.values = [None, ast.Constant("k")], [ast.Name("a"), ast.Constant(1)]
    if name == "arguments":
        node.kwonlyargs, node.kw_defaults = [ast.arg("a")], [None]
        node.defaults = []
    if name == "Try" or name == "TryStar":
        node.handlers = [ast.ExceptHandler(ast.Name("E"), "e", [ast.Pass()])]
    if name == "JoinedStr":
        node.values = [ast.Constant("a"), ast.FormattedValue(ast.Name("x"), -1, None)]
    if name == "NamedExpr":
        node.target = ast.Name("y")
    if name == "AugAssign":
        node.target = ast.Name("y")
    if name == "Starred":
        node.value = ast.Name("x")
    if name == "BoolOp":
        node.values = [ast.Name("a"), ast.Name("b")]
    if name == "MatchOr":
        node.patterns = [ast.MatchAs(None, "y"), ast.MatchValue(ast.Constant(1))]
    return node


def operator_host(op):
    if isinstance(op, ast.boolop):
        return ast.BoolOp(op, [ast.Name("a"), ast.Name("b")])
    if isinstance(op, ast.operator):
        return ast.BinOp(ast.Name("a"), op, ast.Name("b"))
    if isinstance(op, ast.unaryop):
        return ast.UnaryOp(op, ast.Name("a"))
    return ast.Compare(ast.Name("a"), [op], [ast.Name("b")])


def hosts(name, node):
    """Statements that hold the node, most plain first (the parser rejects some contexts)."""
    fn = lambda body: ast.FunctionDef("f", build("arguments", 1), body, [], None, None, **({"type_params": []} if "type_params" in ast.FunctionDef._fields else {}))
    afn = lambda body: ast.AsyncFunctionDef("f", build("arguments", 1), body, [], None, None, **({"type_params": []} if "type_params" in ast.AsyncFunctionDef._fields else {}))
    loop = lambda body: ast.While(ast.Name("x"), body, [])
    if isinstance(node, ast.expr):
        if name == "Slice":
            node = ast.Subscript(ast.Name("x"), node)
        elif name == "FormattedValue":
            node = ast.JoinedStr([node])
        elif name == "Starred":
            node = ast.List([node])
        stmts = [ast.Expr(node)]
    elif isinstance(node, ast.stmt):
        stmts = [node]
    elif isinstance(node, (ast.boolop, ast.operator, ast.unaryop, ast.cmpop)):
        stmts = [ast.Expr(operator_host(node))]
    elif name == "comprehension":
        stmts = [ast.Expr(ast.ListComp(ast.Name("y"), [node]))]
    elif name == "arguments":
        stmts = [fn([ast.Pass()])]
        stmts[0].args = node
    elif name == "arg":
        f = fn([ast.Pass()])
        f.args.args = [node]
        stmts = [f]
    elif name == "keyword":
        stmts = [ast.Expr(ast.Call(ast.Name("f"), [], [node]))]
    elif name == "alias":
        stmts = [ast.Import([node])]
    elif name == "withitem":
        stmts = [ast.With([node], [ast.Pass()])]
    elif name == "ExceptHandler":
        stmts = [ast.Try([ast.Pass()], [node], [], [])]
    elif name == "MatchStar":
        stmts = [ast.Match(ast.Name("x"), [ast.match_case(ast.MatchSequence([node]), None, [ast.Pass()])])]
    elif name == "Module":
        stmts = [ast.Pass()]
    elif name == "match_case":
        stmts = [ast.Match(ast.Name("x"), [node])]
    elif isinstance(node, ast.pattern):
        stmts = [ast.Match(ast.Name("x"), [ast.match_case(node, None, [ast.Pass()])])]
    elif name in ("TypeVar", "ParamSpec", "TypeVarTuple"):
        f = fn([ast.Pass()])
        f.type_params = [node]
        stmts = [f]
    else:
        return []
    return [stmts, [fn(stmts)], [afn(stmts)], [loop(stmts)], [fn([ast.Assign([ast.Name("x")], ast.Constant(1)), fn(stmts)])]]


def canonical(node, cols=None):
    """The tree as the bridge sends it: positions in characters (CPython counts UTF-8 bytes)."""
    if node is None:
        return None
    if isinstance(node, list):
        return [canonical(x, cols) for x in node] if node else None
    if isinstance(node, str):
        return node
    name, has_pos, fields = bridge.FIELDS[type(node)]
    char = (lambda line, col: col) if cols is None else cols.char
    end = node.end_lineno or node.lineno if has_pos else 0
    pos = [node.lineno, char(node.lineno, node.col_offset), end, char(end, node.end_col_offset or 0)] if has_pos else None
    out = {}
    for (f, _, constant), (_, t, is_list) in zip(fields, SCHEMA[name][1]):
        v = getattr(node, f, None)
        if constant:
            out[f] = bridge._constant(v)
        elif isinstance(v, list):
            out[f] = [x if isinstance(x, str) else canonical(x, cols) for x in v] if v else None
        elif isinstance(v, ast.AST):
            out[f] = canonical(v, cols)
        else:
            out[f] = v
    return {"k": name, "p": pos, "f": out}


def kinds_in(tree):
    return {type(n).__name__ for n in ast.walk(tree)}


cases, failed = [], {}
for name in sorted(SCHEMA):
    if name in NOT_PRODUCED or not concrete(name):
        continue
    source = None
    for body in hosts(name, build(name)):
        try:
            text = ast.unparse(ast.fix_missing_locations(ast.Module(body, [])))
            tree = ast.parse(text)
        except Exception:
            continue
        if name in kinds_in(tree):
            source = text
            break
    if source is None:
        failed[name] = "no generated source parses to this kind"
        continue
    cases.append({"kind": name, "source": source + "\n", "tree": canonical(ast.parse(source + "\n"))})

# Values the grammar alone does not reach: nulls in lists, constants the bridge encodes specially,
# non-ASCII columns.
for source in ["{**a, 'k': 1}\n", "def f(*, a, b=2, **kw): pass\n", "x = 10 ** 20 + 123456789012345678901\n",
               "y = (1.5, 2.0, float('inf'), b'x', 1j, ..., True, None)\n", "s = 'é' + f'{x!r:>{w}}'\n",
               "f(*a, **{'k': 1}, z=3)\n", "class C[T](B, metaclass=M): pass\n" if sys.version_info >= (3, 12) else "class C(B, metaclass=M): pass\n",
               "match p:\n    case {'k': 1, **rest}: pass\n    case [1, *others]: pass\n    case C(a=1) | None: pass\n"]:
    tree = ast.parse(source)
    cases.append({"kind": "values", "source": source, "tree": canonical(tree, None if source.isascii() else bridge._Columns(source))})

print(json.dumps({"python": sys.version.split()[0], "cases": cases, "failed": failed, "not_produced": NOT_PRODUCED}))
