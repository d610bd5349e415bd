using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Emit;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>The row program of one loop, built while the interpreter runs the loop body once on a
/// symbolic row (R4.1, P2). It records what the body does to the state that outlives an iteration:
/// appends to outer lists, updates of outer dicts (with the value each update computes from the
/// dict's previous value), rebinding of outer scalars, per-row SQL, raises, break and continue, each
/// under the condition (guard) it ran under. The lifting rules then turn that into plans.</summary>
internal sealed partial class RowContext
{
    private readonly DriverInterpreter _interpreter;
    private readonly PyNode _loop;
    private readonly HashSet<object> _outer = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PyDict, DictProgram> _dicts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PyDict, List<(PyValue Key, DictProgram Program)>> _constantKeyed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PyList, List<(Expr? Guard, PyValue Value, int Line)>> _appends = new(ReferenceEqualityComparer.Instance);
    private readonly List<(Expr When, string Message, int Line)> _raises = [];
    private readonly List<(Expr When, int Line)> _breaks = [];
    private readonly List<(PlanNode Statement, Expr? Guard, int Line)> _statements = [];
    private int _programs;
    private int _writes;

    public RowContext(DriverInterpreter interpreter, PyNode loop, Frame source, ImmutableArray<SortItem> order, IEnumerable<PyValue> reachable)
    {
        _interpreter = interpreter;
        LoopFrameDepth = interpreter.FrameDepth;
        _loop = loop;
        Source = source;
        Order = order;
        foreach (var value in reachable)
        {
            MarkOuter(value);
        }
    }

    /// <summary>How many function calls deep the loop itself runs (its ifs are the row lifter's; ifs of
    /// functions it calls are ordinary guarded branches).</summary>
    public int LoopFrameDepth { get; }

    /// <summary>The iterated relation, extended with the lookups the body makes (left joins).</summary>
    public Frame Source { get; private set; }

    /// <summary>The order the legacy loop visited the rows in, over <see cref="Source"/>'s columns.</summary>
    public ImmutableArray<SortItem> Order { get; }

    public IReadOnlyDictionary<PyDict, DictProgram> Dicts => _dicts;

    /// <summary>Dicts the body indexes only with constant keys: one program (a scalar fold) per key, in
    /// the order the body first names the keys.</summary>
    public IReadOnlyDictionary<PyDict, List<(PyValue Key, DictProgram Program)>> ConstantKeyed => _constantKeyed;

    /// <summary>Numbers the body's dict writes in the order it makes them.</summary>
    public int NextWrite() => _writes++;

    /// <summary>How many dict writes the body makes.</summary>
    public int WriteCount => _writes;

    public IReadOnlyDictionary<PyList, List<(Expr? Guard, PyValue Value, int Line)>> Appends => _appends;

    public IReadOnlyList<(Expr When, string Message, int Line)> Raises => _raises;

    public IReadOnlyList<(Expr When, int Line)> Breaks => _breaks;

    public IReadOnlyList<(PlanNode Statement, Expr? Guard, int Line)> Statements => _statements;

    public string File => _interpreter.File;

    private void MarkOuter(PyValue value)
    {
        if (value is PyList or PyDict or PySet or PyInstance && !_outer.Add(value))
        {
            return;
        }

        switch (value)
        {
            case PyList list:
                foreach (var item in list.Items)
                {
                    MarkOuter(item);
                }

                break;
            case PyDict dict:
                foreach (var entry in dict.Entries)
                {
                    MarkOuter(entry.Value);
                }

                break;
            case PyInstance instance:
                foreach (var attribute in instance.Attributes.Values)
                {
                    MarkOuter(attribute);
                }

                break;
        }
    }

    private bool IsOuter(PyValue value) => _outer.Contains(value);

    private Expr? Guard => _interpreter.Guard;

    private RewriteRefusedException Refuse(string reason, PyNode site) => _interpreter.Refuse(reason, site);

    /// <summary>A row of the iterated relation as the driver sees it.</summary>
    public RowRef RowOf(bool pandas)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        var fields = ImmutableArray.CreateBuilder<SqlScalar>();
        foreach (var column in Source.Columns)
        {
            names.Add(column.Name);
            var kind = PySemantics.KindOfSpark(column.Type);
            if (kind == PyKind.None)
            {
                throw new RewriteRefusedException($"a loop over rows with the {column.Type} column {column.Name}", File, _loop.Line);
            }

            // pandas holds a missing number as NaN (float64), other missing values as None.
            var nan = pandas && column.Nullable && kind is PyKind.Int or PyKind.Float;
            fields.Add(new SqlScalar(column.Reference, nan ? PyKind.Float : kind, column.Nullable) { NanForNull = nan });
        }

        return new RowRef(this, names.ToImmutable(), fields.ToImmutable(), pandas);
    }

    // ---- hooks the interpreter calls while it runs the body ----

    public PyValue? TryAttribute(PyValue owner, string name, PyNode site)
    {
        switch (owner)
        {
            case RowRef row:
                return row.Pandas ? null : row.Field(name) ?? (name is "asDict" ? throw Refuse("Row.asDict in a lifted loop", site) : throw Refuse($"the row has no field '{name}'", site));
            case PyDict dict when IsOuter(dict):
                return DictMethod(dict, name, site);
            case KeyedValue keyed:
                return KeyedMethod(keyed, name, site);
            case PyList list when IsOuter(list):
                return name switch
                {
                    "append" => new PyBuiltin("list.append", a =>
                    {
                        AppendTo(list, a.Arg(0)!, a.Site);
                        return PyNone.Instance;
                    }),
                    "extend" => new PyBuiltin("list.extend", a => throw Refuse("list.extend in a lifted loop", a.Site)),
                    _ => null,
                };
            case PySet set when IsOuter(set):
                return name == "add" ? new PyBuiltin("set.add", a => throw Refuse("set.add in a lifted loop (first-seen set)", a.Site)) : null;
            case RecordRef record:
                return name switch
                {
                    "get" => new PyBuiltin("dict.get", a => a.Arg(0) is PyStr key && record.Fields.TryGetValue(key.Value, out var value) ? value : a.Arg(1) ?? PyNone.Instance),
                    _ => null,
                };
            default:
                return null;
        }
    }

    public PyValue? TryGetItem(PyValue container, PyValue key, PyNode site)
    {
        switch (container)
        {
            case RowRef row:
                return key switch
                {
                    PyStr name => row.Field(name.Value) ?? throw Refuse($"the row has no field '{name.Value}'", site),
                    PyInt index when index.Value >= 0 && index.Value < row.Fields.Length => row.Fields[(int)index.Value],
                    _ => throw Refuse($"row[{key.TypeName}]", site),
                };
            case RecordRef record:
                return key is PyStr field && record.Fields.TryGetValue(field.Value, out var value) ? value : throw Refuse("a field of a dict value known only at run time", site);
            case PyDict dict when IsOuter(dict) && (_dicts.ContainsKey(dict) || _constantKeyed.ContainsKey(dict) || key is SqlScalar || key is PyTuple { Items: var items } && items.Any(i => i is SqlScalar) || !dict.TryGet(key, out _)):
                return Program(dict, key, site).Read(key, field: null, dflt: dict.Missing, site, raiseIfMissing: dict.Missing is null, inserting: dict.MissingInserts ? Guard ?? Literal.Of(true) : null);
            case KeyedValue { MissingInserts: true }:
                throw Refuse("a defaultdict built in an earlier loop indexed in this one (a missing key would be inserted)", site);
            case KeyedValue keyed:
                return Lookup(keyed, key, dflt: keyed.Missing, raiseIfMissing: keyed.Missing is null, site);
            case FieldView view:
                return view.Program.Read(view.Key, ((PyStr)key).Value, dflt: null, site, raiseIfMissing: true);
            default:
                return null;
        }
    }

    public bool TrySetItem(PyValue container, PyValue key, PyValue value, PyNode site)
    {
        switch (container)
        {
            case PyDict dict when IsOuter(dict):
                Program(dict, key, site).Write(key, field: null, value, Guard, site);
                return true;
            case FieldView view:
                view.Program.Write(view.Key, ((PyStr)key).Value, value, Guard, site);
                return true;
            case PyList list when IsOuter(list):
                throw Refuse("item assignment on an outer list in a lifted loop", site);
            default:
                return false;
        }
    }

    public PyValue? TryContains(PyValue container, PyValue item, PyNode site) => container switch
    {
        PyDict dict when IsOuter(dict) => Program(dict, item, site).Contains(item, site),
        KeyedValue keyed => Present(keyed, item, site),
        _ => null,
    };

    public PyValue? TryCompare(string op, PyValue left, PyValue right, PyNode site) => null;

    public PyValue? TryOperate(string op, PyValue left, PyValue right, PyNode site) => null;

    public void Rebind(string name, PyValue value, PyScope scope)
    {
    }

    public IReadOnlyList<PyValue>? Unpack(PyValue value, int count, PyNode site) => value switch
    {
        RowRef row when row.Fields.Length == count => [.. row.Fields],
        RowRef => throw Refuse($"unpacking a row of {((RowRef)value).Fields.Length} columns into {count} names", site),
        _ => null,
    };

    public PyValue? Length(PyValue value, PyNode site) => value is RowRef row ? DriverInterpreter.Int(row.Fields.Length) : null;

    public PyValue? ListOf(PyValue value, PyNode site) => null;

    public void Raise(string message, PyNode site) =>
        _raises.Add((Guard ?? Literal.Of(true), message, site.Line));

    /// <summary>A condition known only per row: both branches run under their guards; continue and break
    /// restrict the rest of the body (and, for break, the later rows).</summary>
    public DriverInterpreterFlow Branch(Expr condition, PyNode statement, PyScope scope)
    {
        var before = scope.Locals.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var thenFlow = _interpreter.RunGuardedBlock(condition, statement.Nodes("body"), scope);
        var afterThen = scope.Locals.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, value) in before)
        {
            scope.Set(name, value);
        }

        var negated = new Unary(UnaryOp.Not, condition);
        var elseFlow = _interpreter.RunGuardedBlock(negated, statement.Nodes("orelse"), scope);
        var afterElse = scope.Locals.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (thenFlow == DriverInterpreterFlow.Return || elseFlow == DriverInterpreterFlow.Return)
        {
            throw Refuse("return from inside a lifted loop", statement);
        }

        var stopsThen = thenFlow is DriverInterpreterFlow.Break or DriverInterpreterFlow.Continue;
        var stopsElse = elseFlow is DriverInterpreterFlow.Break or DriverInterpreterFlow.Continue;
        foreach (var name in afterThen.Keys.Union(afterElse.Keys))
        {
            var fromThen = afterThen.GetValueOrDefault(name) ?? before.GetValueOrDefault(name);
            var fromElse = afterElse.GetValueOrDefault(name) ?? before.GetValueOrDefault(name);
            if (stopsThen && fromElse is not null)
            {
                scope.Set(name, fromElse);
            }
            else if (stopsElse && fromThen is not null)
            {
                scope.Set(name, fromThen);
            }
            else if (fromThen is not null && fromElse is not null)
            {
                scope.Set(name, ValueOps.Phi(condition, fromThen, fromElse, statement, _interpreter));
            }
        }

        if (thenFlow == DriverInterpreterFlow.Break)
        {
            _breaks.Add((And(Guard, condition), statement.Line));
        }

        if (elseFlow == DriverInterpreterFlow.Break)
        {
            _breaks.Add((And(Guard, negated), statement.Line));
        }

        if (stopsThen && stopsElse)
        {
            return thenFlow;
        }

        if (stopsThen)
        {
            _interpreter.RestrictGuard(negated);
        }
        else if (stopsElse)
        {
            _interpreter.RestrictGuard(condition);
        }

        return DriverInterpreterFlow.Next;
    }

    private static Expr And(Expr? a, Expr b) => a is null ? b : new Binary(BinaryOp.And, a, b);

    /// <summary>spark.sql(...) inside the loop: a query per row becomes a correlated expression; DML
    /// statements are kept for the per-row write rules.</summary>
    public PlanNode? SqlStatement(PlanNode plan, PyNode site)
    {
        switch (plan)
        {
            case Write or DefineView or Opaque:
                _statements.Add((plan, Guard, site.Line));
                return null;
            default:
                return plan;
        }
    }

    private void AppendTo(PyList list, PyValue value, PyNode site)
    {
        if (!_appends.TryGetValue(list, out var appends))
        {
            _appends[list] = appends = [];
        }

        appends.Add((Guard, value, site.Line));
    }

    /// <summary>The program of the dict, or of one of its keys when the body uses it only with constant
    /// keys (d["email"] += 1): those keys are scalar accumulators over all rows, not groups.</summary>
    private DictProgram Program(PyDict dict, PyValue key, PyNode site)
    {
        if (dict.Entries.Count > 0)
        {
            throw new RewriteRefusedException("a dict filled before a lifted loop and updated in it", File, _loop.Line);
        }

        if (IsConstantKey(key))
        {
            if (_dicts.ContainsKey(dict))
            {
                throw Refuse("a dict used with constant keys and keys from the row in one loop", site);
            }

            if (!_constantKeyed.TryGetValue(dict, out var slots))
            {
                _constantKeyed[dict] = slots = [];
            }

            foreach (var (known, slot) in slots)
            {
                if (PyEquality.KeyEquals(known, key))
                {
                    return slot;
                }
            }

            var program = new DictProgram(this, _interpreter, _programs++);
            slots.Add((key, program));
            return program;
        }

        if (_constantKeyed.ContainsKey(dict))
        {
            throw Refuse("a dict used with constant keys and keys from the row in one loop", site);
        }

        if (!_dicts.TryGetValue(dict, out var keyed))
        {
            _dicts[dict] = keyed = new DictProgram(this, _interpreter, _programs++);
        }

        return keyed;
    }

    /// <summary>A key that is the same on every row: a str or int literal, or a tuple of them (bools
    /// and floats equal ints as keys, so they stay with the keyed rules).</summary>
    private static bool IsConstantKey(PyValue key) => key switch
    {
        PyStr or PyInt => true,
        PyTuple tuple => tuple.Items.Length > 0 && tuple.Items.All(IsConstantKey),
        _ => false,
    };

    private PyValue? DictMethod(PyDict dict, string name, PyNode site) => name switch
    {
        "get" => new PyBuiltin("dict.get", a => Program(dict, a.Arg(0)!, a.Site).Read(a.Arg(0)!, null, a.Arg(1) ?? PyNone.Instance, a.Site, raiseIfMissing: false)),
        "setdefault" => new PyBuiltin("dict.setdefault", a => Program(dict, a.Arg(0)!, a.Site).SetDefault(a.Arg(0)!, a.Arg(1) ?? PyNone.Instance, Guard, a.Site)),
        "items" or "keys" or "values" or "pop" or "update" => new PyBuiltin("dict." + name, a => throw Refuse($"dict.{name} of a dict the loop fills", a.Site)),
        _ => null,
    };

    private PyValue? KeyedMethod(KeyedValue keyed, string name, PyNode site) => name switch
    {
        "get" => new PyBuiltin("dict.get", a => Lookup(keyed, a.Arg(0)!, a.Arg(1) ?? PyNone.Instance, raiseIfMissing: false, a.Site)),
        "items" or "keys" or "values" => new PyBuiltin("dict." + name, _ => new KeyedView(keyed, name)),
        _ => null,
    };

    /// <summary>dict.get / dict[k] on a dict an earlier loop filled: a left join with it on the key
    /// (None matches None, as in Python), the value where the key is present, the default otherwise.</summary>
    public PyValue Lookup(KeyedValue keyed, PyValue key, PyValue? dflt, bool raiseIfMissing, PyNode site)
    {
        var (present, values) = Join(keyed, key, site);
        if (keyed.IsRecord)
        {
            if (raiseIfMissing)
            {
                return new RecordRef(keyed.Fields.Select((f, i) => (f!, Guarded(values[i], present, raiseIfMissing, site))).ToImmutableDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));
            }

            throw Refuse("dict.get of a dict whose values are dicts", site);
        }

        var value = Guarded(values[0], present, raiseIfMissing, site);
        if (dflt is null)
        {
            return value;
        }

        return ValueOps.Phi(present, value, dflt, site, _interpreter);
    }

    private SqlScalar Guarded(SqlScalar value, Expr present, bool raiseIfMissing, PyNode site) =>
        raiseIfMissing ? value with { Sql = PySemantics.RaiseWhen(new Unary(UnaryOp.Not, present), "KeyError: a key missing from a dict the legacy job built", value.Sql) } : value;

    private PyValue Present(KeyedValue keyed, PyValue key, PyNode site) => new SqlScalar(Join(keyed, key, site).Present, PyKind.Bool, false);

    private readonly Dictionary<(KeyedValue, string), (Expr Present, ImmutableArray<SqlScalar> Values)> _joins = [];

    private (Expr Present, ImmutableArray<SqlScalar> Values) Join(KeyedValue keyed, PyValue key, PyNode site)
    {
        var parts = KeyParts(key, keyed.KeyCount, site);
        var signature = string.Join("|", parts.Select(p => SqlPrinter.Print(p.Sql)));
        if (_joins.TryGetValue((keyed, signature), out var known))
        {
            return known;
        }

        var (frame, present, values) = RowSets.LeftJoinKeyed(_interpreter, Source, keyed, parts, site);
        Source = frame;
        _joins[(keyed, signature)] = (present, values);
        return (present, values);
    }

    public ImmutableArray<SqlScalar> KeyParts(PyValue key, int count, PyNode site)
    {
        var items = key is PyTuple tuple ? tuple.Items : [key];
        if (items.Length != count)
        {
            throw Refuse($"a key of {items.Length} parts for a dict keyed by {count}", site);
        }

        return [.. items.Select(i => (SqlScalar)ValueOps.Scalar(i, site, _interpreter))];
    }

    /// <summary>A dict read whose value is itself a dict the loop updates field by field.</summary>
    public FieldView View(DictProgram program, PyValue key) => new(program, key);
}

/// <summary>acc = totals[key] where totals holds dicts: reads and writes of acc["f"] go to the field.</summary>
internal sealed record FieldView(DictProgram Program, PyValue Key) : PyValue
{
    public override string TypeName => "dict";
}
