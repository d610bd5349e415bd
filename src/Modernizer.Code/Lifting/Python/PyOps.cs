using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>A string with holes whose values are known only at run time (an f-string or .format over
/// row fields or parameters). Kept apart from a plain symbolic string because spark.sql() of it is SQL
/// text with values spliced in: the holes become expressions of the plan, not text.</summary>
internal sealed record PyText(ImmutableArray<object> Parts) : PyValue
{
    public override string TypeName => "str";

    /// <summary>The symbolic string value (concat of the parts).</summary>
    public SqlScalar AsScalar(PyNode site, DriverInterpreter interpreter)
    {
        var pieces = Parts.Select(p => p switch
        {
            string s => (Expr)Literal.Of(s),
            PyValue v => v is SqlScalar scalar ? PySemantics.Text(scalar, site, interpreter) : Literal.Of(Texts.ConcreteStr(v, site, interpreter)),
            _ => throw new InvalidOperationException("A text part is a string or a value."),
        }).ToList();
        return new SqlScalar(pieces.Count == 1 ? pieces[0] : new FunctionCall("concat", pieces.ToEquatableArray()), PyKind.Str, false);
    }
}

/// <summary>Python truth values: concrete when known, else a SQL condition.</summary>
internal static class Truth
{
    public static bool? TryConcrete(PyValue value) => value switch
    {
        PyHeapValue { Uncertain: not null } => null,
        PyNone => false,
        PyBool b => b.Value,
        PyInt i => !i.Value.IsZero,
        PyFloat f => f.Value != 0,
        PyStr s => s.Value.Length > 0,
        PyDecimal d => d.Value != 0,
        PyList l => l.Items.Count > 0,
        PyTuple t => t.Items.Length > 0,
        PyDict d => d.Entries.Count > 0,
        PySet s => s.Items.Count > 0,
        PyText t => t.Parts.OfType<string>().Any(p => p.Length > 0) ? true : null,
        SqlScalar => null,
        PyDate or PyDateTime or PyTimeDelta => true,
        Spark.ColumnValue => null,
        Rows.RowSetValue or Rows.KeyedValue or Rows.KeyedView or Spark.CollectedRows or Rows.GuardedList => null,
        PyUnknown => null,
        _ => true,
    };

    /// <summary>The truth value as a SQL condition (never NULL).</summary>
    public static Expr Of(PyValue value, PyNode site, DriverInterpreter interpreter) => value switch
    {
        SqlScalar scalar => PySemantics.Truthy(scalar, site, interpreter),
        PyText text => PySemantics.Truthy(text.AsScalar(site, interpreter), site, interpreter),
        Rows.RowSetValue set => new Plan.PlanSubquery(Plan.SubqueryKind.Exists, set.Frame.Plan),
        Rows.GuardedList list => list.NonEmpty,
        Rows.KeyedValue keyed => new Plan.PlanSubquery(Plan.SubqueryKind.Exists, keyed.Frame.Plan),
        Spark.CollectedRows rows => new Plan.PlanSubquery(Plan.SubqueryKind.Exists, rows.Frame.Plan),
        PyUnknown unknown => throw interpreter.Refuse(unknown.Reason + " decides a condition", site),
        PyHeapValue { Uncertain: { } reason } => throw interpreter.Refuse(reason + ", and it decides a condition", site),
        _ when TryConcrete(value) is { } known => Literal.Of(known),
        _ => throw interpreter.Refuse($"the truth value of a {value.TypeName}", site),
    };
}

internal static class Iteration
{
    /// <summary>The items of a value whose items are known without data; null otherwise.</summary>
    public static List<PyValue>? TryConcrete(PyValue value, DriverInterpreter interpreter, PyNode site) => value switch
    {
        // Reached without going through an expression (an item of another container): still unknown.
        PyHeapValue { Uncertain: { } reason } => throw interpreter.Refuse(reason + ", and its items are used", site),
        DictView { Dict.Uncertain: { } reason } => throw interpreter.Refuse(reason + ", and its items are used", site),
        PyList list => [.. list.Items],
        PyTuple tuple => [.. tuple.Items],
        PySet set => [.. set.Items],
        PyDict dict => [.. dict.Entries.Select(e => e.Key)],
        PyStr s => [.. s.Value.Select(c => (PyValue)new PyStr(c.ToString()))],
        DictView view => view.Items(),
        PyRange range => range.Items(),
        _ => null,
    };

    public static IReadOnlyList<PyValue> Unpack(PyValue value, int count, DriverInterpreter interpreter, PyNode site)
    {
        List<PyValue>? fromRow = interpreter.Row?.Unpack(value, count, site) is { } row ? [.. row] : null;
        var items = TryConcrete(value, interpreter, site) ?? fromRow ?? throw interpreter.Refuse($"unpacking a {value.TypeName}", site);
        return items.Count == count ? items : throw interpreter.Refuse($"unpacking {items.Count} values into {count} names", site);
    }
}

/// <summary>dict.items()/keys()/values() over a concrete dict.</summary>
internal sealed record DictView(PyDict Dict, string Kind) : PyValue
{
    public override string TypeName => "dict_" + Kind;

    public List<PyValue> Items() => Kind switch
    {
        "items" => [.. Dict.Entries.Select(e => (PyValue)new PyTuple([e.Key, e.Value]))],
        "values" => [.. Dict.Entries.Select(e => e.Value)],
        _ => [.. Dict.Entries.Select(e => e.Key)],
    };
}

internal sealed record PyRange(BigInteger Start, BigInteger Stop, BigInteger Step) : PyValue
{
    public override string TypeName => "range";

    public List<PyValue> Items()
    {
        var items = new List<PyValue>();
        for (var i = Start; Step > 0 ? i < Stop : i > Stop; i += Step)
        {
            items.Add(new PyInt(i));
            if (items.Count > 100_000)
            {
                break;
            }
        }

        return items;
    }
}

/// <summary>Operators, comparisons and merges of values.</summary>
internal static class ValueOps
{
    public static PyValue Binary(string op, PyValue left, PyValue right, PyNode site, DriverInterpreter interpreter, bool inPlace)
    {
        if (left is PyUnknown || right is PyUnknown)
        {
            return left as PyUnknown ?? (PyUnknown)right;
        }

        if (left is SqlScalar || right is SqlScalar || left is PyText || right is PyText)
        {
            if (op == "Add" && (left is PyText or PyStr || right is PyText))
            {
                return Texts.Concat([left, right], site, interpreter);
            }

            if (op == "Mod" && left is PyStr template)
            {
                return Texts.Percent(template.Value, right, site, interpreter);
            }

            return PySemantics.Arithmetic(op, Scalar(left, site, interpreter), right is PyTimeDelta ? right : Scalar(right, site, interpreter), site, interpreter);
        }

        switch (op, left, right)
        {
            case ("Add", PyList a, PyList b):
                if (inPlace)
                {
                    interpreter.Mutating(a, site);
                    a.Items.AddRange(b.Items);
                    return a;
                }

                return new PyList(a.Items.Concat(b.Items));
            case ("Add", PyTuple a, PyTuple b):
                return new PyTuple(a.Items.AddRange(b.Items));
            case ("Add", PyStr a, PyStr b):
                return new PyStr(a.Value + b.Value);
            case ("Mult", PyStr a, PyInt n):
                return new PyStr(string.Concat(Enumerable.Repeat(a.Value, (int)BigInteger.Max(0, n.Value))));
            case ("Mult", PyList a, PyInt n):
                return new PyList(Enumerable.Repeat(a.Items, (int)BigInteger.Max(0, n.Value)).SelectMany(x => x));
            case ("Mod", PyStr template, _):
                return Texts.Percent(template.Value, right, site, interpreter);
            case (_, PyDate date, PyTimeDelta delta) when op is "Add" or "Sub":
                return new PyDate(DateOnly.FromDateTime(date.Value.ToDateTime(TimeOnly.MinValue) + (op == "Add" ? delta.Value : -delta.Value)));
            case ("Add", PyTimeDelta delta, PyDate date):
                return new PyDate(DateOnly.FromDateTime(date.Value.ToDateTime(TimeOnly.MinValue) + delta.Value));
            case ("Sub", PyDate a, PyDate b):
                return new PyTimeDelta(a.Value.ToDateTime(TimeOnly.MinValue) - b.Value.ToDateTime(TimeOnly.MinValue));
            case (_, PyDateTime moment, PyTimeDelta delta) when op is "Add" or "Sub":
                return moment with { Value = moment.Value + (op == "Add" ? delta.Value : -delta.Value) };
            case ("Sub", PyDateTime a, PyDateTime b):
                return new PyTimeDelta(a.Value - b.Value);
            case (_, PyTimeDelta a, PyTimeDelta b) when op is "Add" or "Sub":
                return new PyTimeDelta(op == "Add" ? a.Value + b.Value : a.Value - b.Value);
        }

        return Numbers.Binary(op, left, right, site, interpreter);
    }

    /// <summary>A concrete value next to a symbolic one, as a symbolic value.</summary>
    public static PyValue Scalar(PyValue value, PyNode site, DriverInterpreter interpreter) => value switch
    {
        SqlScalar => value,
        PyText text => text.AsScalar(site, interpreter),
        _ => new SqlScalar(PySemantics.Sql(value, site, interpreter), PySemantics.KindOf(value), value is PyNone) { Known = value },
    };

    public static PyValue Compare(string op, PyValue left, PyValue right, PyNode site, DriverInterpreter interpreter)
    {
        if (left is PyUnknown || right is PyUnknown)
        {
            return left as PyUnknown ?? (PyUnknown)right;
        }

        if (left is ColumnValue || right is ColumnValue)
        {
            return interpreter.Spark.ColumnOperator(op, left, right, site);
        }

        if (op is "In" or "NotIn")
        {
            var contained = Contains(right, left, site, interpreter);
            return op == "In" ? contained : Not(contained, site, interpreter);
        }

        if (interpreter.Row?.TryCompare(op, left, right, site) is { } lifted)
        {
            return lifted;
        }

        if (op is "Is" or "IsNot" && (left is PyNone || right is PyNone) && (left as SqlScalar ?? right as SqlScalar) is { } nullable)
        {
            // x is None: known when x cannot be None; NaN (pandas) is not None.
            if (!nullable.Nullable || nullable.NanForNull)
            {
                return PyBool.Of(op == "IsNot");
            }

            return new SqlScalar(new IsNull(nullable.Sql, op == "IsNot"), PyKind.Bool, false);
        }

        if (left is PyTuple lt && right is PyTuple rt && (lt.Items.Any(i => i is SqlScalar) || rt.Items.Any(i => i is SqlScalar)))
        {
            return TupleCompare(op, lt.Items, rt.Items, site, interpreter);
        }

        if (left is SqlScalar || right is SqlScalar || left is PyText || right is PyText)
        {
            if (op is "Is" or "IsNot" && left is not PyNone && right is not PyNone)
            {
                throw interpreter.Refuse("an identity comparison of values known only at run time", site);
            }

            return PySemantics.Compare(op, Scalar(left, site, interpreter), Scalar(right, site, interpreter), site, interpreter);
        }

        return op switch
        {
            "Is" => PyBool.Of(ReferenceEquals(left, right) || (left is PyNone && right is PyNone) || (left is PyBool a && right is PyBool b && a.Value == b.Value)),
            "IsNot" => PyBool.Of(!(ReferenceEquals(left, right) || (left is PyNone && right is PyNone) || (left is PyBool c && right is PyBool d && c.Value == d.Value))),
            "Eq" => PyBool.Of(Numbers.Equal(left, right)),
            "NotEq" => PyBool.Of(!Numbers.Equal(left, right)),
            _ => PyBool.Of(Numbers.Order(op, left, right, site, interpreter)),
        };
    }

    /// <summary>Tuples compare item by item: the first unequal pair decides; a prefix is smaller.</summary>
    private static PyValue TupleCompare(string op, ImmutableArray<PyValue> left, ImmutableArray<PyValue> right, PyNode site, DriverInterpreter interpreter)
    {
        if (op is "Eq" or "NotEq")
        {
            var equal = left.Length == right.Length
                ? left.Zip(right).Select(p => Compare("Eq", p.First, p.Second, site, interpreter)).Aggregate((PyValue)PyBool.True, (a, b) => And(a, b, site, interpreter))
                : PyBool.False;
            return op == "Eq" ? equal : Not(equal, site, interpreter);
        }

        // (a1, a2) < (b1, b2)  ⇔  a1 < b1 or (a1 == b1 and (a2, ...) < (b2, ...)).
        var strict = op is "Lt" or "Gt" ? op : op == "LtE" ? "Lt" : "Gt";
        PyValue Build(int i)
        {
            if (i == left.Length || i == right.Length)
            {
                var lengths = op switch
                {
                    "Lt" => left.Length < right.Length,
                    "LtE" => left.Length <= right.Length,
                    "Gt" => left.Length > right.Length,
                    _ => left.Length >= right.Length,
                };
                return PyBool.Of(lengths);
            }

            var first = Compare(strict, left[i], right[i], site, interpreter);
            var tie = And(Compare("Eq", left[i], right[i], site, interpreter), Build(i + 1), site, interpreter);
            return Truth.TryConcrete(first) == true ? PyBool.True
                : Truth.TryConcrete(first) == false ? tie
                : Truth.TryConcrete(tie) == false ? first
                : new SqlScalar(new Binary(BinaryOp.Or, Truth.Of(first, site, interpreter), Truth.Of(tie, site, interpreter)), PyKind.Bool, false);
        }

        return Build(0);
    }

    private static PyValue Contains(PyValue container, PyValue item, PyNode site, DriverInterpreter interpreter)
    {
        if (interpreter.Row?.TryContains(container, item, site) is { } lifted)
        {
            return lifted;
        }

        if (item is SqlScalar scalar && Iteration.TryConcrete(container, interpreter, site) is { } items)
        {
            var equal = items.Select(i => Truth.Of(PySemantics.Compare("Eq", scalar, Scalar(i, site, interpreter), site, interpreter), site, interpreter)).ToList();
            return new SqlScalar(equal.Count == 0 ? Literal.Of(false) : equal.Aggregate((a, b) => new Binary(BinaryOp.Or, a, b)), PyKind.Bool, false);
        }

        return container switch
        {
            PyUnknown unknown => unknown,
            Rows.KeyedValue keyed => Rows.KeyedOps.Contains(interpreter, keyed, item, site),
            PyStr s when item is PyStr sub => PyBool.Of(s.Value.Contains(sub.Value, StringComparison.Ordinal)),
            PyDict d => PyBool.Of(d.TryGet(item, out _)),
            _ when Iteration.TryConcrete(container, interpreter, site) is { } values => PyBool.Of(values.Any(v => Numbers.Equal(v, item))),
            _ => throw interpreter.Refuse($"'in' on a {container.TypeName}", site),
        };
    }

    private static PyValue Not(PyValue value, PyNode site, DriverInterpreter interpreter) =>
        Truth.TryConcrete(value) is { } known ? PyBool.Of(!known) : new SqlScalar(new Unary(UnaryOp.Not, Truth.Of(value, site, interpreter)), PyKind.Bool, false);

    public static PyValue And(PyValue a, PyValue b, PyNode site, DriverInterpreter interpreter)
    {
        var ka = Truth.TryConcrete(a);
        var kb = Truth.TryConcrete(b);
        if (ka == false || kb == false)
        {
            return PyBool.False;
        }

        if (ka == true)
        {
            return b;
        }

        if (kb == true)
        {
            return a;
        }

        return new SqlScalar(new Binary(BinaryOp.And, Truth.Of(a, site, interpreter), Truth.Of(b, site, interpreter)), PyKind.Bool, false);
    }

    /// <summary>The value of a variable after a branch known only at run time: the then-value where
    /// <paramref name="condition"/> holds, the else-value otherwise.</summary>
    public static PyValue Phi(Expr condition, PyValue then, PyValue otherwise, PyNode site, DriverInterpreter interpreter)
    {
        if (ReferenceEquals(then, otherwise) || (then is not (PyList or PyDict or PySet or PyInstance) && then.Equals(otherwise)))
        {
            return then;
        }

        if (then is DataFrameValue a && otherwise is DataFrameValue b)
        {
            return interpreter.Spark.Choose(condition, a, b, site);
        }

        if (then is ColumnValue || otherwise is ColumnValue)
        {
            throw interpreter.Refuse("a column expression chosen at run time", site);
        }

        if (then is PyUnknown || otherwise is PyUnknown)
        {
            // Unknown on one path is unknown after the merge; it refuses where it is used.
            return then as PyUnknown ?? otherwise;
        }

        if (IsContainer(then) || IsContainer(otherwise))
        {
            // Two different lists (return [] on one path, the list built on the other): no SQL value
            // holds either, but a merge nobody reads (or only logs) must not block the job; any use of
            // its content refuses with this reason.
            return new PyUnknown($"a {then.TypeName} or a {otherwise.TypeName} chosen at run time (line {interpreter.LineOf(site)})", site.Line);
        }

        var left = Scalar(then, site, interpreter) as SqlScalar;
        var right = Scalar(otherwise, site, interpreter) as SqlScalar;
        if (left is null || right is null)
        {
            throw interpreter.Refuse($"a {then.TypeName} or {otherwise.TypeName} chosen at run time", site);
        }

        var kind = left.Kind == right.Kind ? left.Kind
            : left.Kind == PyKind.None ? right.Kind
            : right.Kind == PyKind.None ? left.Kind
            : left.Kind is PyKind.Int && right.Kind is PyKind.Float || left.Kind is PyKind.Float && right.Kind is PyKind.Int ? throw interpreter.Refuse("an int or a float chosen at run time (the SQL column would have one type)", site)
            : throw interpreter.Refuse($"a {left.Kind} or a {right.Kind} chosen at run time", site);
        return new SqlScalar(new Case(null, [new WhenClause(condition, left.Sql)], right.Sql), kind, left.Nullable || right.Nullable);
    }

    private static bool IsContainer(PyValue value) =>
        value is PyHeapValue or PyTuple or DictView or Rows.GuardedList;

    public static PyValue Item(PyValue container, PyValue key, PyNode site, DriverInterpreter interpreter)
    {
        switch (container, key)
        {
            case (PyUnknown unknown, _):
                // An item of a value the translator does not know is not known either.
                return unknown;
            case (PyDict dict, _):
                if (dict.TryGet(key, out var value))
                {
                    return value;
                }

                var missing = dict.Missing ?? throw interpreter.Refuse($"KeyError: {Texts.ConcreteRepr(key)} with the default parameters", site);
                if (dict.MissingInserts)
                {
                    interpreter.Mutating(dict, site);
                    dict.Set(key, missing);
                }

                return missing;
            case (PyList list, PyInt index):
                return list.Items[Index(index, list.Items.Count, site, interpreter)];
            case (PyTuple tuple, PyInt index):
                return tuple.Items[Index(index, tuple.Items.Length, site, interpreter)];
            case (PyStr s, PyInt index):
                return new PyStr(s.Value[Index(index, s.Value.Length, site, interpreter)].ToString());
            case (Rows.KeyedValue { Missing: { } missingValue } keyed, _) when key is not SqlScalar:
                // A Counter built in a loop: a missing key reads as 0 and stays missing; a defaultdict
                // would insert it into a dict that is a relation by now.
                return keyed.MissingInserts
                    ? throw interpreter.Refuse("a defaultdict built in a loop indexed after it (a missing key would be inserted)", site)
                    : Rows.KeyedOps.Get(interpreter, keyed, key, missingValue, site);
            case (Rows.KeyedValue keyed, _) when key is not SqlScalar:
                // d[k] after the loop: the value, or KeyError when the key is absent.
                var present = ((SqlScalar)Rows.KeyedOps.Contains(interpreter, keyed, key, site)).Sql;
                var found = (SqlScalar)Rows.KeyedOps.Get(interpreter, keyed, key, PyNone.Instance, site);
                return found with { Sql = PySemantics.RaiseWhen(new Unary(UnaryOp.Not, present), "KeyError: a key missing from a dict the legacy job built", found.Sql) };
            case (DataFrameValue or ColumnValue or CollectedRows or RowValue or SparkObject, _):
                return interpreter.Spark.Item(container, key, site);
            default:
                throw interpreter.Refuse($"indexing a {container.TypeName} with a {key.TypeName}", site);
        }
    }

    private static int Index(PyInt index, int count, PyNode site, DriverInterpreter interpreter)
    {
        var i = (int)index.Value;
        var resolved = i < 0 ? count + i : i;
        return resolved >= 0 && resolved < count ? resolved : throw interpreter.Refuse("IndexError with the default parameters", site);
    }

    public static PyValue Slice(PyValue container, PyValue lower, PyValue upper, PyNode site, DriverInterpreter interpreter)
    {
        int Bound(PyValue bound, int count, int fallback) => bound switch
        {
            PyNone => fallback,
            PyInt i => (int)BigInteger.Clamp(i.Value < 0 ? count + i.Value : i.Value, 0, count),
            _ => throw interpreter.Refuse("a slice bound known only at run time", site),
        };

        switch (container)
        {
            case PyList list:
                var l = Bound(lower, list.Items.Count, 0);
                var u = Bound(upper, list.Items.Count, list.Items.Count);
                return new PyList(list.Items.Skip(l).Take(Math.Max(0, u - l)));
            case PyTuple tuple:
                var tl = Bound(lower, tuple.Items.Length, 0);
                var tu = Bound(upper, tuple.Items.Length, tuple.Items.Length);
                return new PyTuple([.. tuple.Items.Skip(tl).Take(Math.Max(0, tu - tl))]);
            case PyStr s:
                var sl = Bound(lower, s.Value.Length, 0);
                var su = Bound(upper, s.Value.Length, s.Value.Length);
                return new PyStr(su > sl ? s.Value[sl..su] : string.Empty);
            default:
                throw interpreter.Refuse($"slicing a {container.TypeName}", site);
        }
    }
}

/// <summary>Concrete numeric operators with Python's semantics.</summary>
internal static class Numbers
{
    public static PyValue Binary(string op, PyValue left, PyValue right, PyNode site, DriverInterpreter interpreter)
    {
        if (left is PyBool lb)
        {
            left = DriverInterpreter.Int(lb.Value ? 1 : 0);
        }

        if (right is PyBool rb)
        {
            right = DriverInterpreter.Int(rb.Value ? 1 : 0);
        }

        switch (left, right)
        {
            case (PyInt a, PyInt b):
                return op switch
                {
                    "Add" => new PyInt(a.Value + b.Value),
                    "Sub" => new PyInt(a.Value - b.Value),
                    "Mult" => new PyInt(a.Value * b.Value),
                    "Div" => b.Value.IsZero ? throw interpreter.Refuse("ZeroDivisionError with the default parameters", site) : new PyFloat(TrueDivide(a.Value, b.Value)),
                    "FloorDiv" => b.Value.IsZero ? throw interpreter.Refuse("ZeroDivisionError with the default parameters", site) : new PyInt(FloorDivide(a.Value, b.Value)),
                    "Mod" => b.Value.IsZero ? throw interpreter.Refuse("ZeroDivisionError with the default parameters", site) : new PyInt(a.Value - (b.Value * FloorDivide(a.Value, b.Value))),
                    "Pow" when b.Value >= 0 => new PyInt(BigInteger.Pow(a.Value, (int)b.Value)),
                    "Pow" => new PyFloat(Math.Pow((double)a.Value, (double)b.Value)),
                    _ => throw interpreter.Refuse($"the operator {op} on ints", site),
                };
            case (PyInt or PyFloat, PyInt or PyFloat):
                var x = left is PyInt li ? (double)li.Value : ((PyFloat)left).Value;
                var y = right is PyInt ri ? (double)ri.Value : ((PyFloat)right).Value;
                return op switch
                {
                    "Add" => new PyFloat(x + y),
                    "Sub" => new PyFloat(x - y),
                    "Mult" => new PyFloat(x * y),
                    "Div" => y == 0 ? throw interpreter.Refuse("ZeroDivisionError with the default parameters", site) : new PyFloat(x / y),
                    "FloorDiv" => y == 0 ? throw interpreter.Refuse("ZeroDivisionError with the default parameters", site) : new PyFloat(FloatFloorDivide(x, y)),
                    "Mod" => y == 0 ? throw interpreter.Refuse("ZeroDivisionError with the default parameters", site) : new PyFloat(FloatModulo(x, y)),
                    "Pow" => new PyFloat(Math.Pow(x, y)),
                    _ => throw interpreter.Refuse($"the operator {op} on floats", site),
                };
            case (PyDecimal or PyInt, PyDecimal or PyInt):
                var m = left is PyDecimal ld ? ld.Value : (decimal)((PyInt)left).Value;
                var n = right is PyDecimal rd ? rd.Value : (decimal)((PyInt)right).Value;
                return op switch
                {
                    "Add" => new PyDecimal(m + n),
                    "Sub" => new PyDecimal(m - n),
                    "Mult" => new PyDecimal(m * n),
                    "Div" => n == 0 ? throw interpreter.Refuse("decimal division by zero with the default parameters", site) : new PyDecimal(m / n),
                    _ => throw interpreter.Refuse($"the operator {op} on Decimals", site),
                };
            default:
                throw interpreter.Refuse($"the operator {op} between {left.TypeName} and {right.TypeName}", site);
        }
    }

    /// <summary>int / int: the correctly rounded quotient (exact for operands below 2^53).</summary>
    private static double TrueDivide(BigInteger a, BigInteger b) =>
        BigInteger.Abs(a) < (BigInteger.One << 53) && BigInteger.Abs(b) < (BigInteger.One << 53) ? (double)a / (double)b : (double)a / (double)b;

    public static BigInteger FloorDivide(BigInteger a, BigInteger b)
    {
        var quotient = BigInteger.DivRem(a, b, out var remainder);
        return !remainder.IsZero && (remainder.Sign < 0) != (b.Sign < 0) ? quotient - 1 : quotient;
    }

    /// <summary>CPython's float_divmod: floor of the quotient, computed from fmod.</summary>
    public static double FloatFloorDivide(double x, double y)
    {
        var mod = x % y;
        var div = (x - mod) / y;
        if (mod != 0 && (y < 0) != (mod < 0))
        {
            div -= 1.0;
        }

        if (div == 0)
        {
            return Math.CopySign(0.0, x / y);
        }

        var floor = Math.Floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    public static double FloatModulo(double x, double y)
    {
        var mod = x % y;
        if (mod != 0)
        {
            if ((y < 0) != (mod < 0))
            {
                mod += y;
            }
        }
        else
        {
            mod = Math.CopySign(0.0, y);
        }

        return mod;
    }

    public static bool Equal(PyValue a, PyValue b) => (a, b) switch
    {
        (PyInt x, PyFloat y) => (double)x.Value == y.Value,
        (PyFloat x, PyInt y) => x.Value == (double)y.Value,
        (PyDecimal x, PyInt y) => x.Value == (decimal)y.Value,
        (PyInt x, PyDecimal y) => (decimal)x.Value == y.Value,
        (PyBool x, PyInt y) => (x.Value ? 1 : 0) == y.Value,
        (PyInt x, PyBool y) => (y.Value ? 1 : 0) == x.Value,
        (PyList x, PyList y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => Equal(p.First, p.Second)),
        (PyTuple x, PyTuple y) => x.Items.Length == y.Items.Length && x.Items.Zip(y.Items).All(p => Equal(p.First, p.Second)),
        _ => a.Equals(b),
    };

    public static bool Order(string op, PyValue a, PyValue b, PyNode site, DriverInterpreter interpreter)
    {
        int c = (a, b) switch
        {
            (PyInt x, PyInt y) => x.Value.CompareTo(y.Value),
            (PyInt or PyFloat, PyInt or PyFloat) => AsDouble(a).CompareTo(AsDouble(b)),
            (PyDecimal or PyInt, PyDecimal or PyInt) => AsDecimal(a).CompareTo(AsDecimal(b)),
            (PyStr x, PyStr y) => string.CompareOrdinal(x.Value, y.Value),
            (PyDate x, PyDate y) => x.Value.CompareTo(y.Value),
            (PyDateTime x, PyDateTime y) => x.Value.CompareTo(y.Value),
            (PyTimeDelta x, PyTimeDelta y) => x.Value.CompareTo(y.Value),
            (PyTuple x, PyTuple y) => CompareSequences(x.Items, y.Items, site, interpreter),
            _ => throw interpreter.Refuse($"ordering a {a.TypeName} against a {b.TypeName}", site),
        };
        return op switch
        {
            "Lt" => c < 0,
            "LtE" => c <= 0,
            "Gt" => c > 0,
            "GtE" => c >= 0,
            _ => throw interpreter.Refuse($"the comparison {op}", site),
        };
    }

    private static int CompareSequences(ImmutableArray<PyValue> x, ImmutableArray<PyValue> y, PyNode site, DriverInterpreter interpreter)
    {
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (!Equal(x[i], y[i]))
            {
                return Order("Lt", x[i], y[i], site, interpreter) ? -1 : 1;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    public static double AsDouble(PyValue value) => value switch
    {
        PyInt i => (double)i.Value,
        PyFloat f => f.Value,
        PyBool b => b.Value ? 1 : 0,
        PyDecimal d => (double)d.Value,
        _ => double.NaN,
    };

    private static decimal AsDecimal(PyValue value) => value switch
    {
        PyInt i => (decimal)i.Value,
        PyDecimal d => d.Value,
        _ => 0,
    };

    /// <summary>Python's round(x, n) of a concrete float: half-even on the exact binary value.</summary>
    public static double Round(double x, int digits)
    {
        if (!double.IsFinite(x) || digits > 300)
        {
            return x;
        }

        // Exact rational value of x: mantissa * 2^exponent.
        var bits = BitConverter.DoubleToInt64Bits(x);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        var numerator = new BigInteger(mantissa) * BigInteger.Pow(10, Math.Max(0, digits));
        var denominator = BigInteger.One;
        if (exponent >= 0)
        {
            numerator <<= exponent;
        }
        else
        {
            denominator <<= -exponent;
        }

        if (digits < 0)
        {
            denominator *= BigInteger.Pow(10, -digits);
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var text = digits >= 0
            ? (quotient.ToString(CultureInfo.InvariantCulture) + "e-" + digits.ToString(CultureInfo.InvariantCulture))
            : (quotient.ToString(CultureInfo.InvariantCulture) + "e" + (-digits).ToString(CultureInfo.InvariantCulture));
        var result = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return negative ? -result : result;
    }
}

/// <summary>str(), repr(), f-strings, % and .format with Python's rules.</summary>
internal static class Texts
{
    public static string ConcreteStr(PyValue value, PyNode site, DriverInterpreter interpreter) =>
        PySemantics.ConcreteText(value) ?? value switch
        {
            PyList list => "[" + string.Join(", ", list.Items.Select(ConcreteRepr)) + "]",
            PyTuple tuple => "(" + string.Join(", ", tuple.Items.Select(ConcreteRepr)) + (tuple.Items.Length == 1 ? ",)" : ")"),
            PyDict dict => "{" + string.Join(", ", dict.Entries.Select(e => ConcreteRepr(e.Key) + ": " + ConcreteRepr(e.Value))) + "}",
            PyTimeDelta delta => delta.Value.Days != 0 ? $"{delta.Value.Days} day{(Math.Abs(delta.Value.Days) == 1 ? string.Empty : "s")}, {delta.Value:hh\\:mm\\:ss}" : delta.Value.ToString("h\\:mm\\:ss", CultureInfo.InvariantCulture),
            _ => throw interpreter.Refuse($"str() of a {value.TypeName}", site),
        };

    public static string ConcreteRepr(PyValue value) => value switch
    {
        PyStr s => "'" + s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        PyDecimal d => $"Decimal('{d.Text}')",
        PyDate d => $"datetime.date({d.Value.Year}, {d.Value.Month}, {d.Value.Day})",
        _ => PySemantics.ConcreteText(value) ?? value.TypeName,
    };

    public static PyValue Str(PyValue value, PyNode site, DriverInterpreter interpreter) => value switch
    {
        PyUnknown => value,
        PyText => value,
        SqlScalar scalar => new PyText([scalar]),
        _ => new PyStr(ConcreteStr(value, site, interpreter)),
    };

    public static PyValue Repr(PyValue value, PyNode site, DriverInterpreter interpreter) => value switch
    {
        PyUnknown => value,
        SqlScalar or PyText => throw interpreter.Refuse("repr() of a value known only at run time", site),
        _ => new PyStr(ConcreteRepr(value)),
    };

    /// <summary>Concatenation: a plain string when every part is known, else a text with holes.</summary>
    public static PyValue Concat(IEnumerable<PyValue> parts, PyNode site, DriverInterpreter interpreter)
    {
        var pieces = new List<object>();
        foreach (var part in parts)
        {
            if (part is PyUnknown unknown)
            {
                return unknown;
            }

            switch (part)
            {
                case PyText text:
                    pieces.AddRange(text.Parts);
                    break;
                case SqlScalar scalar:
                    pieces.Add(scalar);
                    break;
                case PyStr s:
                    pieces.Add(s.Value);
                    break;
                default:
                    pieces.Add(ConcreteStr(part, site, interpreter));
                    break;
            }
        }

        var merged = new List<object>();
        foreach (var piece in pieces)
        {
            if (piece is string s && merged.Count > 0 && merged[^1] is string previous)
            {
                merged[^1] = previous + s;
            }
            else
            {
                merged.Add(piece);
            }
        }

        return merged.All(p => p is string) ? new PyStr(string.Concat(merged.Cast<string>())) : new PyText([.. merged]);
    }

    /// <summary>"%s %d" % args.</summary>
    public static PyValue Percent(string template, PyValue arguments, PyNode site, DriverInterpreter interpreter)
    {
        var values = arguments is PyTuple tuple ? [.. tuple.Items] : new List<PyValue> { arguments };
        var parts = new List<PyValue>();
        var text = new StringBuilder();
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '%')
            {
                text.Append(template[i]);
                continue;
            }

            var end = i + 1;
            while (end < template.Length && "-+ #0123456789.".Contains(template[end], StringComparison.Ordinal))
            {
                end++;
            }

            if (end >= template.Length)
            {
                throw interpreter.Refuse("a % format ending in %", site);
            }

            var conversion = template[end];
            if (conversion == '%')
            {
                text.Append('%');
                i = end;
                continue;
            }

            if (next >= values.Count)
            {
                throw interpreter.Refuse("not enough arguments for a % format", site);
            }

            parts.Add(new PyStr(text.ToString()));
            text.Clear();
            var spec = template[(i + 1)..end];
            var value = values[next++];
            parts.Add(conversion switch
            {
                's' when spec.Length == 0 => Str(value, site, interpreter),
                'r' when spec.Length == 0 => Repr(value, site, interpreter),
                'd' or 'i' when spec.Length == 0 && value is PyInt => Str(value, site, interpreter),
                _ => FormatSpec(value, spec + (conversion == 'i' ? 'd' : conversion), site, interpreter),
            });
            i = end;
        }

        parts.Add(new PyStr(text.ToString()));
        return Concat(parts, site, interpreter);
    }

    /// <summary>"{}".format(...) and "{name}".format(name=...).</summary>
    public static PyValue Format(string template, CallArguments arguments, DriverInterpreter interpreter)
    {
        var parts = new List<PyValue>();
        var text = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                text.Append('{');
                i++;
                continue;
            }

            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                text.Append('}');
                i++;
                continue;
            }

            if (c != '{')
            {
                text.Append(c);
                continue;
            }

            var close = template.IndexOf('}', i);
            if (close < 0)
            {
                throw interpreter.Refuse("a format string with an unclosed '{'", arguments.Site);
            }

            var field = template[(i + 1)..close];
            var colon = field.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? field : field[..colon];
            var spec = colon < 0 ? null : field[(colon + 1)..];
            var value = name.Length == 0
                ? arguments.Arg(auto++) ?? throw interpreter.Refuse("too few arguments for .format", arguments.Site)
                : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? arguments.Arg(index) ?? throw interpreter.Refuse("too few arguments for .format", arguments.Site)
                    : arguments.Keywords.TryGetValue(name, out var named) ? named : throw interpreter.Refuse($"KeyError '{name}' in .format", arguments.Site);
            parts.Add(new PyStr(text.ToString()));
            text.Clear();
            parts.Add(spec is null || spec.Length == 0 ? Str(value, arguments.Site, interpreter) : FormatSpec(value, spec, arguments.Site, interpreter));
            i = close;
        }

        parts.Add(new PyStr(text.ToString()));
        return Concat(parts, arguments.Site, interpreter);
    }

    /// <summary>format(value, spec) for the common numeric specs (.2f, d, 6d, %, ,).</summary>
    public static PyValue FormatSpec(PyValue value, string spec, PyNode site, DriverInterpreter interpreter)
    {
        if (value is PyUnknown)
        {
            return value;
        }

        if (value is SqlScalar or PyText)
        {
            throw interpreter.Refuse($"formatting a value known only at run time with '{spec}'", site);
        }

        var number = Numbers.AsDouble(value);
        var precision = spec.Contains('.', StringComparison.Ordinal) && int.TryParse(new string(spec[(spec.IndexOf('.', StringComparison.Ordinal) + 1)..].TakeWhile(char.IsDigit).ToArray()), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 6;
        var kind = spec.Length > 0 ? spec[^1] : 's';
        string text = kind switch
        {
            'f' => Numbers.Round(number, precision).ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            '%' => Numbers.Round(number * 100, precision).ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%",
            'd' => value is PyInt i ? i.Value.ToString(CultureInfo.InvariantCulture) : throw interpreter.Refuse("'d' format of a non-integer", site),
            's' => ConcreteStr(value, site, interpreter),
            _ => ConcreteStr(value, site, interpreter),
        };
        var width = new string(spec.TakeWhile(c => char.IsDigit(c) || c == '-' || c == '<' || c == '>').Where(char.IsDigit).ToArray());
        if (width.Length > 0 && int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out var w))
        {
            text = spec.StartsWith('-') || spec.StartsWith('<') ? text.PadRight(w) : text.PadLeft(w);
        }

        return new PyStr(text);
    }
}
