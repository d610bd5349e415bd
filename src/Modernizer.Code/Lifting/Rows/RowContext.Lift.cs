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

/// <summary>The lifting rules: from the recorded row program to relations.</summary>
internal sealed partial class RowContext
{
    private readonly Dictionary<string, (PyValue Initial, SqlScalar Marker, DictProgram Program)> _carried = new(StringComparer.Ordinal);
    private readonly Dictionary<PyValue, PyValue> _lifted = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, PyValue> _carriedResults = new(StringComparer.Ordinal);

    /// <summary>Outer lists and dicts the loop built, as relations.</summary>
    public IReadOnlyDictionary<PyValue, PyValue> Lifted => _lifted;

    /// <summary>Outer scalars the loop rebinds, as their folds.</summary>
    public IReadOnlyDictionary<string, PyValue> CarriedResults => _carriedResults;

    /// <summary>The comprehension's result list counts as an outer list.</summary>
    public void MarkResult(PyList list) => _outer.Add(list);

    public void AppendForComprehension(PyList list, PyValue value, PyNode site) => AppendTo(list, value, site);

    /// <summary>An outer variable the body rebinds (a counter): within the row, its value before the row.</summary>
    public SqlScalar CarriedMarker(string name, PyValue initial, PyNode site)
    {
        var program = new DictProgram(this, _interpreter, 1000 + _carried.Count);
        var init = (SqlScalar)ValueOps.Scalar(initial, site, _interpreter);
        var marker = (SqlScalar)program.Read(DriverInterpreter.Int(0), null, initial, site, raiseIfMissing: false);
        _carried[name] = (initial, marker, program);
        return init.Kind == marker.Kind ? marker : throw _interpreter.Refuse($"the counter {name} changes type in the loop", site);
    }

    /// <summary>A row of a relation built by an earlier loop (appended tuples or Rows).</summary>
    public RowRef TupleOf(RowSetValue set)
    {
        var names = set.Names ?? [.. Enumerable.Range(0, set.Kinds.Length).Select(i => "_" + (i + 1).ToString(CultureInfo.InvariantCulture))];
        var fields = set.Frame.Columns.Take(set.Kinds.Length).Select((c, i) => new SqlScalar(ColumnOf(c.Key), set.Kinds[i], c.Nullable)
        {
            NanForNull = !set.NanForNull.IsDefaultOrEmpty && set.NanForNull[i],
        });
        return new RowRef(this, [.. names], [.. fields], Pandas: false);
    }

    /// <summary>An item of a dict built by an earlier loop: its key (a tuple for several parts) and value.</summary>
    public PyValue ItemOf(KeyedValue keyed, string kind)
    {
        var columns = keyed.Frame.Columns;
        var keyParts = Enumerable.Range(0, keyed.KeyCount).Select(i => (PyValue)new SqlScalar(ColumnOf(columns[i].Key), keyed.KeyKinds[i], columns[i].Nullable)).ToImmutableArray();
        PyValue key = keyParts.Length == 1 ? keyParts[0] : new PyTuple(keyParts);
        PyValue value = keyed.IsRecord
            ? new RecordRef(keyed.Fields.Select((f, i) => (f!, new SqlScalar(ColumnOf(columns[keyed.KeyCount + i].Key), keyed.FieldKinds[i], columns[keyed.KeyCount + i].Nullable))).ToImmutableDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal))
            : new SqlScalar(ColumnOf(columns[keyed.KeyCount].Key), keyed.FieldKinds[0], columns[keyed.KeyCount].Nullable);
        return kind switch
        {
            "items" => new PyTuple([key, value]),
            "values" => value,
            _ => key,
        };
    }

    /// <summary>enumerate(): the row's position from <paramref name="start"/>.</summary>
    public PyValue Position(System.Numerics.BigInteger start) => new PyUnknown("an enumerate() index (set when the rows are numbered)", _loop.Line);

    private ColumnRef ColumnOf(string key)
    {
        var column = Source.Columns.First(c => c.Key == key);
        return column.Reference;
    }

    /// <summary>Builds every relation the loop produced. Returns outer container → its relation.</summary>
    public IReadOnlyDictionary<PyValue, PyValue> Lift(IReadOnlyDictionary<string, PyValue> carriedFinal)
    {
        if (_statements.Count > 0)
        {
            PerRowStatements.Lift(this, _interpreter, _statements, _loop);
        }

        // 1. Number the rows in the loop's order.
        var positioned = RowSets.Number(_interpreter, Source, Order);
        var position = positioned.Columns.First(c => c.Key == RowOrders.Position).Reference;

        // 2. Classify every dict's per-row update.
        var folds = new Dictionary<DictProgram, Dictionary<string, FieldFold>>();
        foreach (var program in _dicts.Values.Concat(_constantKeyed.Values.SelectMany(slots => slots.Select(s => s.Program))))
        {
            if (program.HasUncoveredInsertingRead)
            {
                throw _interpreter.Refuse("a defaultdict read that inserts its key on rows that do not write it", _loop);
            }

            folds[program] = program.Fields.ToDictionary(f => f, f => FieldFold.Classify(program, f, _interpreter, _loop), StringComparer.Ordinal);
        }

        foreach (var (name, (_, _, program)) in _carried)
        {
            var final = carriedFinal[name];
            var scalar = (SqlScalar)ValueOps.Scalar(final, _loop, _interpreter);
            program.Write(DriverInterpreter.Int(0), null, scalar, null, _loop);
            folds[program] = new Dictionary<string, FieldFold>(StringComparer.Ordinal) { [DictProgram.Whole] = FieldFold.Classify(program, DictProgram.Whole, _interpreter, _loop) };
        }

        // 3. Values read before the row updates them (running totals) become window columns.
        var running = RowSets.RunningColumns(_interpreter, positioned, position, folds, _loop, out var markers);
        Expr Resolve(Expr expr) => BoolSimplifier.Simplify(ExprTree.TransformUp(expr, e =>
            e is ColumnRef reference && DictProgram.IsMarker(reference, out _, out _) && markers.TryGetValue(reference.Parts[0].Text, out var replacement) ? replacement : null).Value);

        // 4. break: only the rows before the first break take effect.
        var live = RowSets.Live(_interpreter, running, position, _breaks.Select(b => Resolve(b.When)).ToList(), out var liveCondition);

        // 5. Dicts → one row per key.
        foreach (var (dict, program) in _dicts)
        {
            _lifted[dict] = RowSets.Keyed(_interpreter, live, position, program, folds[program], liveCondition, _loop) with { Missing = dict.Missing, MissingInserts = dict.MissingInserts };
        }

        // 5b. Dicts with constant keys → one row per key some row wrote, each key a fold over all rows.
        foreach (var (dict, slots) in _constantKeyed)
        {
            _lifted[dict] = RowSets.ConstantKeyed(_interpreter, live, position, slots, folds, WriteCount, liveCondition, Resolve, _loop) with { Missing = dict.Missing, MissingInserts = dict.MissingInserts };
        }

        // 6. Appended rows → relations in append order.
        foreach (var (list, appends) in _appends)
        {
            _lifted[list] = RowSets.Appended(_interpreter, live, position, [.. appends.Select(a => (a.Guard is null ? null : Resolve(a.Guard), a.Value, a.Line))], Resolve, liveCondition, _loop);
        }

        // 7. Carried scalars → their fold over every row.
        foreach (var (name, (_, _, program)) in _carried)
        {
            _carriedResults[name] = RowSets.GlobalFold(_interpreter, live, position, folds[program][DictProgram.Whole], liveCondition, _loop);
        }

        // 8. A raise reached by any row fails the job: a check on the writes that follow.
        foreach (var (when, message, line) in _raises)
        {
            var failing = new Filter(live.Plan, new Binary(BinaryOp.And, liveCondition, Resolve(when)));
            _interpreter.PendingChecks.Add(new PendingCheck(new PlanSubquery(SubqueryKind.Exists, failing), message, line));
        }

        return _lifted;
    }
}

/// <summary>How one field of a dict (or a carried scalar) changes per row, in a form the lifting
/// rules turn into an aggregate: a sum from an initial value, the last or first value set, or the
/// initial value kept.</summary>
internal sealed record FieldFold(FieldFold.Kinds Kind, Expr? Init, Expr Value, Expr Guard, PyKind PyKind, SparkType Type)
{
    public enum Kinds
    {
        Sum,
        FloatSum,
        Last,
        First,
        Keep,
    }

    public static FieldFold Classify(DictProgram program, string field, DriverInterpreter interpreter, PyNode site)
    {
        var after = program.After(field);
        var t = BoolSimplifier.Simplify(after.Sql);
        var before = program.Before.TryGetValue(field, out var b) ? b.Sql : null;
        var has = program.HasBefore.Sql;
        bool Marked(Expr e) => ExprTree.Descendants(e).Prepend(e).OfType<ColumnRef>().Any(r => DictProgram.IsMarker(r, out var id, out _) && id == program.Id);

        // Base: the value before the row, with the initial value a first row (absent key) starts from.
        // A None check around it (TypeError on None) does not change the shape.
        (bool Ok, Expr? Init) Base(Expr e)
        {
            e = UnwrapRaise(e);

            if (before is not null && e.Equals(before))
            {
                return (true, null);
            }

            if (e is Case { Operand: null, Whens.Count: 1 } c && c.Else is not null)
            {
                if (c.Whens[0].Condition is Unary { Op: UnaryOp.Not, Operand: var h } && h.Equals(has) && before is not null && c.Else.Equals(before) && Constant(c.Whens[0].Result))
                {
                    return (true, c.Whens[0].Result);
                }

                if (c.Whens[0].Condition.Equals(has) && before is not null && c.Whens[0].Result.Equals(before) && Constant(c.Else))
                {
                    return (true, c.Else);
                }
            }

            return (false, null);
        }

        FieldFold Sum(Expr? init, Expr value, Expr guard)
        {
            var type = TypeInference.TypeOf(after.Sql);
            return new FieldFold(after.Kind == PyKind.Float ? Kinds.FloatSum : Kinds.Sum, init, value, guard, after.Kind, type);
        }

        var resultType = TypeInference.TypeOf(after.Sql);
        if (!Marked(t))
        {
            return new FieldFold(Kinds.Last, null, t, Literal.Of(true), after.Kind, resultType);
        }

        if (Base(t) is { Ok: true } kept)
        {
            return new FieldFold(Kinds.Keep, kept.Init, kept.Init ?? Literal.Null, Literal.Of(true), after.Kind, resultType);
        }

        if (t is Binary { Op: BinaryOp.Add } add && Base(add.Left) is { Ok: true } left && !Marked(add.Right))
        {
            return Sum(left.Init, add.Right, Literal.Of(true));
        }

        if (t is Case { Operand: null, Whens.Count: 1 } conditional && conditional.Else is not null && Base(conditional.Else) is { Ok: true } rest)
        {
            var guard = conditional.Whens[0].Condition;
            var result = conditional.Whens[0].Result;
            if (!Marked(guard))
            {
                if (!Marked(result))
                {
                    return new FieldFold(Kinds.Last, rest.Init, result, guard, after.Kind, resultType);
                }

                if (result is Binary { Op: BinaryOp.Add } guardedAdd && UnwrapRaise(guardedAdd.Left).Equals(UnwrapRaise(conditional.Else)) && !Marked(guardedAdd.Right))
                {
                    return Sum(rest.Init, guardedAdd.Right, guard);
                }

                // if cond: d[k] = d.get(k, init) + x — a row that fails the guard leaves the key as it was
                // (absent stays absent), so the guard filters the fold's rows and the inner default starts it.
                if (result is Binary { Op: BinaryOp.Add } guardedGet && !Marked(guardedGet.Right) && Base(guardedGet.Left) is { Ok: true } inner
                    && (rest.Init is null || inner.Init is null || inner.Init.Equals(rest.Init)))
                {
                    return Sum(inner.Init ?? rest.Init, guardedGet.Right, guard);
                }
            }
            else if (rest.Init is null && !Marked(result) && FirstSetGuard(guard, has) is { } firstGuard)
            {
                // if key not in d [and ...]: d[key] = value — the first row that sets it wins.
                return new FieldFold(Kinds.First, null, result, firstGuard, after.Kind, resultType);
            }
        }

        throw interpreter.Refuse($"a dict update the rewriter cannot lift as a set-based rule: {SqlPrinter.Print(t)}", site);
    }

    /// <summary>A value whose None check raises (TypeError) is the value, for the shape of an update.</summary>
    private static Expr UnwrapRaise(Expr e) =>
        e is Case { Operand: null, Whens.Count: 1 } check && check.Whens[0].Condition is IsNull { Negated: false } test
            && check.Whens[0].Result is FunctionCall { Name: "raise_error" } && check.Else is not null && test.Operand.Equals(check.Else)
            ? check.Else
            : e;

    /// <summary>An initial value: no column of the row in it.</summary>
    private static bool Constant(Expr e) => !ExprTree.Descendants(e).Prepend(e).OfType<ColumnRef>().Any();

    /// <summary>NOT has [AND c] → c (TRUE when alone).</summary>
    private static Expr? FirstSetGuard(Expr guard, Expr has)
    {
        if (guard is Unary { Op: UnaryOp.Not, Operand: var h } && h.Equals(has))
        {
            return Literal.Of(true);
        }

        if (guard is Binary { Op: BinaryOp.And } and)
        {
            if (FirstSetGuard(and.Left, has) is { } left && !Contains(and.Right, has))
            {
                return left is Literal { Value: "true" } ? and.Right : new Binary(BinaryOp.And, left, and.Right);
            }

            if (FirstSetGuard(and.Right, has) is { } right && !Contains(and.Left, has))
            {
                return right is Literal { Value: "true" } ? and.Left : new Binary(BinaryOp.And, and.Left, right);
            }
        }

        return null;
    }

    private static bool Contains(Expr expr, Expr part) => ExprTree.Descendants(expr).Prepend(expr).Any(e => e.Equals(part));
}
