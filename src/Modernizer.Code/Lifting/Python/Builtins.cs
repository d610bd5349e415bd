using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>A value the translator does not compute (a clock reading, a JSON dump for a log line, the
/// result of a loop it could not lift). Passing it to logging is fine; any use that could reach the
/// output refuses with <see cref="Reason"/>, so it never becomes a guess.</summary>
internal sealed record PyUnknown(string Reason, int Line) : PyValue
{
    public override string TypeName => "value";
}

/// <summary>Python's builtins, with Python's semantics on concrete values and the symbolic forms where
/// the rewrite needs them (len of collected rows, round of a float column...).</summary>
internal static class Builtins
{
    public static void Install(DriverInterpreter interpreter, PyScope scope)
    {
        void Add(string name, Func<CallArguments, PyValue> body) => scope.Set(name, new PyBuiltin(name, body));

        Add("len", a => Len(interpreter, a.Arg(0)!, a.Site));
        Add("range", a =>
        {
            var numbers = a.Positional.Select(v => v is PyInt i ? i.Value : throw interpreter.Refuse("range() over values known only at run time", a.Site)).ToList();
            return numbers.Count switch
            {
                1 => new PyRange(0, numbers[0], 1),
                2 => new PyRange(numbers[0], numbers[1], 1),
                _ => new PyRange(numbers[0], numbers[1], numbers[2]),
            };
        });
        Add("enumerate", a =>
        {
            var start = a.Arg(1, "start") is PyInt s ? s.Value : 0;
            if (Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) is { } items)
            {
                return new PyList(items.Select((item, i) => (PyValue)new PyTuple([new PyInt(start + i), item])));
            }

            return interpreter.Row is null ? new Enumerated(a.Arg(0)!, start) : throw interpreter.Refuse("enumerate() inside a lifted loop", a.Site);
        });
        Add("zip", a =>
        {
            var lists = a.Positional.Select(v => Iteration.TryConcrete(v, interpreter, a.Site) ?? throw interpreter.Refuse("zip() of data known only at run time", a.Site)).ToList();
            var count = lists.Count == 0 ? 0 : lists.Min(l => l.Count);
            return new PyList(Enumerable.Range(0, count).Select(i => (PyValue)new PyTuple([.. lists.Select(l => l[i])])));
        });
        Add("list", a => a.Arg(0) is null ? new PyList([]) : Collections.ListOf(interpreter, a.Arg(0)!, a.Site));
        Add("tuple", a => a.Arg(0) is null ? new PyTuple([]) : new PyTuple([.. Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("tuple() of data known only at run time", a.Site)]));
        Add("set", a => a.Arg(0) is null ? new PySet([]) : new PySet(Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("set() of data known only at run time", a.Site)));
        Add("dict", a =>
        {
            if (a.Arg(0) is Rows.KeyedValue keyed && a.Keywords.Count == 0)
            {
                // A copy of a dict a loop built is the same relation; dict(counter) drops the default.
                return keyed with { Missing = null, MissingInserts = false };
            }

            var dict = new PyDict();
            if (a.Arg(0) is PyDict source)
            {
                foreach (var entry in source.Entries)
                {
                    dict.Set(entry.Key, entry.Value);
                }
            }
            else if (a.Arg(0) is { } pairs)
            {
                foreach (var pair in Iteration.TryConcrete(pairs, interpreter, a.Site) ?? throw interpreter.Refuse("dict() of data known only at run time", a.Site))
                {
                    var kv = Iteration.Unpack(pair, 2, interpreter, a.Site);
                    dict.Set(kv[0], kv[1]);
                }
            }

            foreach (var (key, value) in a.Keywords)
            {
                dict.Set(new PyStr(key), value);
            }

            return dict;
        });
        Add("sorted", a => Collections.Sorted(interpreter, a));
        Add("reversed", a => new PyList(Enumerable.Reverse(Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("reversed() of data known only at run time", a.Site))));
        Add("min", a => Collections.Extreme(interpreter, a, "Lt"));
        Add("max", a => Collections.Extreme(interpreter, a, "Gt"));
        Add("sum", a => Collections.Sum(interpreter, a));
        Add("any", a => PyBool.Of((Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("any() of data known only at run time", a.Site)).Any(v => Truth.TryConcrete(v) ?? throw interpreter.Refuse("any() of values known only at run time", a.Site))));
        Add("all", a => PyBool.Of((Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("all() of data known only at run time", a.Site)).All(v => Truth.TryConcrete(v) ?? throw interpreter.Refuse("all() of values known only at run time", a.Site))));
        Add("abs", a => a.Arg(0) switch
        {
            PyInt i => new PyInt(BigInteger.Abs(i.Value)),
            PyFloat f => new PyFloat(Math.Abs(f.Value)),
            PyDecimal d => new PyDecimal(Math.Abs(d.Value)),
            SqlScalar s when s.Kind is PyKind.Int or PyKind.Float or PyKind.Decimal => s with { Sql = new FunctionCall("abs", [s.Sql]) },
            ColumnValue c => c.Derive(new FunctionCall("abs", [c.Expr])),
            var other => throw interpreter.Refuse($"abs() of a {other?.TypeName}", a.Site),
        });
        Add("round", a => Round(interpreter, a));
        Add("int", a => Conversions.Int(interpreter, a));
        Add("float", a => Conversions.Float(interpreter, a));
        Add("str", a => a.Arg(0) is null ? new PyStr(string.Empty) : Texts.Str(a.Arg(0)!, a.Site, interpreter));
        Add("repr", a => Texts.Repr(a.Arg(0)!, a.Site, interpreter));
        Add("bool", a => a.Arg(0) is null ? PyBool.False : Truth.TryConcrete(a.Arg(0)!) is { } known ? PyBool.Of(known) : new SqlScalar(Truth.Of(a.Arg(0)!, a.Site, interpreter), PyKind.Bool, false));
        Add("print", _ => PyNone.Instance);
        Add("isinstance", a => Conversions.IsInstance(interpreter, a));
        Add("hasattr", a => PyBool.Of(a.Arg(0) is PyInstance instance && a.Arg(1) is PyStr name && instance.Attributes.ContainsKey(name.Value)));
        Add("getattr", a =>
        {
            var name = a.Arg(1) is PyStr s ? s.Value : throw interpreter.Refuse("getattr() with a computed name", a.Site);
            return a.Arg(0) switch
            {
                PyInstance instance when instance.Attributes.TryGetValue(name, out var value) => value,
                PyObject obj when obj.Attribute(name) is { } value => value,
                _ when a.Arg(2) is { } fallback => fallback,
                _ => throw interpreter.Refuse($"getattr(..., '{name}')", a.Site),
            };
        });
        Add("globals", _ => Modules.Globals(interpreter));
        Add("iter", a => a.Arg(0)!);
        Add("next", a => Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) is { Count: > 0 } items ? items[0] : a.Arg(1) ?? throw interpreter.Refuse("next() of data known only at run time", a.Site));
        Add("map", a => new PyList((Iteration.TryConcrete(a.Arg(1)!, interpreter, a.Site) ?? throw interpreter.Refuse("map() over data known only at run time", a.Site))
            .Select(item => interpreter.Invoke(a.Arg(0)!, new CallArguments([item], ImmutableDictionary<string, PyValue>.Empty, a.Site)))));
        Add("filter", a => new PyList((Iteration.TryConcrete(a.Arg(1)!, interpreter, a.Site) ?? throw interpreter.Refuse("filter() over data known only at run time", a.Site))
            .Where(item => Truth.TryConcrete(a.Arg(0) is PyNone ? item : interpreter.Invoke(a.Arg(0)!, new CallArguments([item], ImmutableDictionary<string, PyValue>.Empty, a.Site))) ?? throw interpreter.Refuse("filter() by a condition known only at run time", a.Site))));
        Add("open", a => throw interpreter.Refuse("open(): the job reads or writes files outside the lake", a.Site));
        Add("type", a => throw interpreter.Refuse("type()", a.Site));
        Add("super", a => throw interpreter.Refuse("super()", a.Site));
        foreach (var exception in new[] { "Exception", "ValueError", "KeyError", "RuntimeError", "TypeError", "AssertionError", "IndexError", "ZeroDivisionError", "NotImplementedError", "IOError", "OSError", "StopIteration", "SystemExit" })
        {
            Add(exception, a => new PyObject(exception, _ => null));
        }
    }

    private static PyValue Len(DriverInterpreter interpreter, PyValue value, PyNode site) => value switch
    {
        PyUnknown => value,
        PyHeapValue { Uncertain: { } reason } => new PyUnknown(reason, site.Line),
        PyStr s => DriverInterpreter.Int(s.Value.Length),
        PyList l => DriverInterpreter.Int(l.Items.Count),
        PyTuple t => DriverInterpreter.Int(t.Items.Length),
        PyDict d => DriverInterpreter.Int(d.Entries.Count),
        PySet s => DriverInterpreter.Int(s.Items.Count),
        SqlScalar { Kind: PyKind.Str } s => new SqlScalar(new FunctionCall("length", [s.Sql]), PyKind.Int, s.Nullable),
        Rows.GuardedList list => list.Length,
        _ => interpreter.Spark.Length(value, site),
    };

    private static PyValue Round(DriverInterpreter interpreter, CallArguments a)
    {
        var value = a.Arg(0, "number")!;
        if (value is PyUnknown)
        {
            return value;
        }

        var digits = a.Arg(1, "ndigits");
        if (digits is not (null or PyNone or PyInt))
        {
            throw interpreter.Refuse("round() to a number of digits known only at run time", a.Site);
        }

        var n = digits is PyInt d ? (int?)d.Value : null;
        switch (value)
        {
            case PyFloat f:
                return n is null ? new PyInt(new BigInteger(Numbers.Round(f.Value, 0))) : new PyFloat(Numbers.Round(f.Value, n.Value));
            case PyInt:
                return value;
            case PyDecimal dec:
                return n is null
                    ? new PyInt(new BigInteger(Math.Round(dec.Value, 0, MidpointRounding.ToEven)))
                    : new PyDecimal(Math.Round(dec.Value, n.Value, MidpointRounding.ToEven));
            case SqlScalar { Kind: PyKind.Float } scalar:
                if (n is < 0 or > Semantics.SemanticLibrary.MaxRoundDigits)
                {
                    throw interpreter.Refuse($"round() of a float to {n} digits (exact for 0..{Semantics.SemanticLibrary.MaxRoundDigits})", a.Site);
                }

                return n is null
                    ? new SqlScalar(new FunctionCall("py_round_int", [scalar.Sql]), PyKind.Int, scalar.Nullable)
                    : new SqlScalar(new FunctionCall("py_round", [scalar.Sql, Literal.Of(n.Value)]), PyKind.Float, scalar.Nullable);
            case SqlScalar { Kind: PyKind.Int }:
                return value;
            case SqlScalar { Kind: PyKind.Decimal }:
                throw interpreter.Refuse("round() of a Decimal known only at run time (half-even quantize)", a.Site);
            case ColumnValue:
                throw interpreter.Refuse("Python's round() applied to a Spark column", a.Site);
            default:
                throw interpreter.Refuse($"round() of a {value.TypeName}", a.Site);
        }
    }
}

/// <summary>An enumerate() over rows, unpacked by the row lifter.</summary>
internal sealed record Enumerated(PyValue Source, BigInteger Start) : PyValue
{
    public override string TypeName => "enumerate";
}

internal static class Conversions
{
    public static PyValue Int(DriverInterpreter interpreter, CallArguments a)
    {
        var value = a.Arg(0);
        switch (value)
        {
            case null:
                return DriverInterpreter.Int(0);
            case PyInt:
                return value;
            case PyBool b:
                return DriverInterpreter.Int(b.Value ? 1 : 0);
            case PyFloat f:
                return double.IsFinite(f.Value) ? new PyInt(new BigInteger(Math.Truncate(f.Value))) : throw interpreter.Refuse("int() of NaN or infinity", a.Site);
            case PyDecimal d:
                return new PyInt(new BigInteger(decimal.Truncate(d.Value)));
            case PyStr s:
                return BigInteger.TryParse(s.Value.Trim().Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                    ? new PyInt(parsed)
                    : throw interpreter.Refuse($"int('{s.Value}') raises ValueError with the default parameters", a.Site);
            case SqlScalar { Kind: PyKind.Int } scalar:
                return scalar;
            case SqlScalar { Kind: PyKind.Float or PyKind.Decimal } scalar:
                // Python truncates toward zero, as Spark's cast does; the DuckDB rendering truncates explicitly.
                var operand = scalar.Nullable ? PySemantics.RaiseWhen(new IsNull(scalar.Sql, false), scalar.NanForNull ? "ValueError: cannot convert float NaN to integer" : "TypeError: int() argument must be a number, not 'NoneType'", scalar.Sql) : scalar.Sql;
                return new SqlScalar(new Cast(operand, SparkType.Long), PyKind.Int, false);
            case SqlScalar { Kind: PyKind.Str } scalar:
                var known = scalar.Known is PyStr text && BigInteger.TryParse(text.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var k) ? new PyInt(k) : null;
                return new SqlScalar(new Cast(scalar.Sql, SparkType.Long), PyKind.Int, scalar.Nullable) { Known = known };
            default:
                throw interpreter.Refuse($"int() of a {value.TypeName}", a.Site);
        }
    }

    public static PyValue Float(DriverInterpreter interpreter, CallArguments a)
    {
        var value = a.Arg(0);
        switch (value)
        {
            case null:
                return new PyFloat(0);
            case PyFloat:
                return value;
            case PyInt i:
                return new PyFloat((double)i.Value);
            case PyDecimal d:
                return new PyFloat(double.Parse(d.Text, CultureInfo.InvariantCulture));
            case PyStr s:
                return s.Value.Trim().ToLowerInvariant() switch
                {
                    "nan" => new PyFloat(double.NaN),
                    "inf" or "infinity" => new PyFloat(double.PositiveInfinity),
                    "-inf" or "-infinity" => new PyFloat(double.NegativeInfinity),
                    var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                        ? new PyFloat(parsed)
                        : throw interpreter.Refuse($"float('{s.Value}') raises ValueError with the default parameters", a.Site),
                };
            case SqlScalar { Kind: PyKind.Float } scalar:
                return scalar;
            case SqlScalar { NanForNull: true } scalar:
                return scalar with { Sql = new Cast(scalar.Sql, SparkType.Double), Kind = PyKind.Float };
            case SqlScalar { Kind: PyKind.Int or PyKind.Decimal or PyKind.Bool } scalar:
                var sql = scalar.Nullable ? PySemantics.RaiseWhen(new IsNull(scalar.Sql, false), "TypeError: float() argument must be a string or a number, not 'NoneType'", scalar.Sql) : scalar.Sql;
                return new SqlScalar(new Cast(sql, SparkType.Double), PyKind.Float, false);
            case SqlScalar { Kind: PyKind.Str } scalar:
                var known = scalar.Known is PyStr knownText && double.TryParse(knownText.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var k) ? new PyFloat(k) : null;
                return new SqlScalar(new Cast(scalar.Sql, SparkType.Double), PyKind.Float, scalar.Nullable) { Known = known };
            default:
                throw interpreter.Refuse($"float() of a {value.TypeName}", a.Site);
        }
    }

    public static PyValue IsInstance(DriverInterpreter interpreter, CallArguments a)
    {
        var value = a.Arg(0)!;
        var kinds = a.Arg(1) is PyTuple tuple ? tuple.Items : [a.Arg(1)!];
        var names = kinds.Select(k => k is PyBuiltin b ? b.Name : k is PyClass c ? c.Name : k is PyObject o ? o.Kind : "?").ToList();
        var actual = value switch
        {
            SqlScalar s => s.Kind switch { PyKind.Int => "int", PyKind.Float => "float", PyKind.Str => "str", PyKind.Decimal => "Decimal", PyKind.Bool => "bool", PyKind.Date => "date", _ => "?" },
            _ => value.TypeName,
        };
        if (value is SqlScalar { Nullable: true })
        {
            throw interpreter.Refuse("isinstance() of a value that may be None at run time", a.Site);
        }

        return PyBool.Of(names.Contains(actual) || (actual == "bool" && names.Contains("int")) || (value is DataFrameValue && names.Contains("DataFrame")));
    }
}

internal static class Collections
{
    public static PyValue ListOf(DriverInterpreter interpreter, PyValue source, PyNode site) =>
        Iteration.TryConcrete(source, interpreter, site) is { } items ? new PyList(items) : interpreter.Spark.ListOf(source, site);

    public static PyValue Sorted(DriverInterpreter interpreter, CallArguments a)
    {
        var source = a.Arg(0)!;
        if (Iteration.TryConcrete(source, interpreter, a.Site) is not { } items)
        {
            return interpreter.Spark.Sorted(source, a);
        }

        var key = a.Arg(1, "key");
        var reverse = a.Keywords.TryGetValue("reverse", out var r) && Truth.TryConcrete(r) == true;
        var keyed = items.Select(item => (Item: item, Key: key is null or PyNone ? item : interpreter.Invoke(key, new CallArguments([item], ImmutableDictionary<string, PyValue>.Empty, a.Site)))).ToList();
        var ordered = keyed.Order(Comparer<(PyValue Item, PyValue Key)>.Create((x, y) =>
            Numbers.Equal(x.Key, y.Key) ? 0 : Numbers.Order("Lt", x.Key, y.Key, a.Site, interpreter) ? -1 : 1)).Select(k => k.Item).ToList();
        if (reverse)
        {
            ordered.Reverse();
        }

        return new PyList(ordered);
    }

    public static PyValue Extreme(DriverInterpreter interpreter, CallArguments a, string op)
    {
        var items = a.Positional.Length == 1
            ? Iteration.TryConcrete(a.Positional[0], interpreter, a.Site) ?? throw interpreter.Refuse("min()/max() over data known only at run time", a.Site)
            : [.. a.Positional];
        if (items.Count == 0)
        {
            return a.Keywords.TryGetValue("default", out var fallback) ? fallback : throw interpreter.Refuse("min()/max() of an empty sequence", a.Site);
        }

        if (items.Any(i => i is SqlScalar))
        {
            var scalars = items.Select(i => (SqlScalar)ValueOps.Scalar(i, a.Site, interpreter)).ToList();
            if (scalars.Any(s => s.Nullable))
            {
                throw interpreter.Refuse("min()/max() of values that may be None", a.Site);
            }

            // Python returns the first of equal extremes; for numbers and strings the value is the same.
            return new SqlScalar(new FunctionCall(op == "Lt" ? "least" : "greatest", scalars.Select(s => s.Sql).ToEquatableArray()), scalars[0].Kind, false);
        }

        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            if (Numbers.Order(op, item, best, a.Site, interpreter))
            {
                best = item;
            }
        }

        return best;
    }

    public static PyValue Sum(DriverInterpreter interpreter, CallArguments a)
    {
        var source = a.Arg(0)!;
        PyValue total = a.Arg(1, "start") ?? DriverInterpreter.Int(0);
        if (Iteration.TryConcrete(source, interpreter, a.Site) is { } items)
        {
            foreach (var item in items)
            {
                total = interpreter.BinaryOperation("Add", total, item, a.Site, inPlace: false);
            }

            return total;
        }

        return interpreter.Spark.Sum(source, total, a.Site);
    }
}
