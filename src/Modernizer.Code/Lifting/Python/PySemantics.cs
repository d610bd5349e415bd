using System.Globalization;
using System.Numerics;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>Python's operators on values known only as SQL (<see cref="SqlScalar"/>), written so the
/// SQL computes what CPython would (SEMANTICS): true division of ints is a float, // and % floor,
/// == is None-safe, an ordering comparison or arithmetic with None raises (TypeError), truthiness
/// follows the type (0, 0.0, '', None are false; NaN is true).</summary>
internal static class PySemantics
{
    public static Expr Sql(PyValue value, PyNode site, DriverInterpreter interpreter) => value switch
    {
        SqlScalar scalar => scalar.Sql,
        PyNone => Literal.Null,
        PyBool b => Literal.Of(b.Value),
        PyInt i => IntLiteral(i.Value, site, interpreter),
        PyFloat f => FloatLiteral(f.Value, site, interpreter),
        PyStr s => Literal.Of(s.Value),
        PyDecimal d => new Literal(LiteralKind.Decimal, d.Text),
        PyDate d => new Literal(LiteralKind.Date, d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        _ => throw interpreter.Refuse($"a {value.TypeName} value inside a SQL expression", site),
    };

    public static PyKind KindOf(PyValue value) => value switch
    {
        SqlScalar s => s.Kind,
        PyNone => PyKind.None,
        PyBool => PyKind.Bool,
        PyInt => PyKind.Int,
        PyFloat => PyKind.Float,
        PyStr => PyKind.Str,
        PyDecimal => PyKind.Decimal,
        PyDate => PyKind.Date,
        PyDateTime => PyKind.DateTime,
        PyTimeDelta => PyKind.TimeDelta,
        _ => PyKind.None,
    };

    public static bool MayBeNone(PyValue value) => value switch
    {
        SqlScalar s => s.Nullable,
        PyNone => true,
        _ => false,
    };

    /// <summary>The Python type a collected Spark value has on the driver (Row fields, toLocalIterator).</summary>
    public static PyKind KindOfSpark(SparkType type) => type switch
    {
        BooleanType => PyKind.Bool,
        IntegralType => PyKind.Int,
        FractionalType => PyKind.Float,
        DecimalType => PyKind.Decimal,
        StringType or CharType => PyKind.Str,
        DateType => PyKind.Date,
        TimestampType or TimestampNtzType => PyKind.DateTime,
        _ => PyKind.None,
    };

    public static Expr IntLiteral(BigInteger value, PyNode site, DriverInterpreter interpreter) =>
        value >= long.MinValue && value <= long.MaxValue
            ? (value >= int.MinValue && value <= int.MaxValue
                ? Literal.Of((long)value)
                : new Literal(LiteralKind.BigInt, value.ToString(CultureInfo.InvariantCulture)))
            : throw interpreter.Refuse("an integer beyond 64 bits (Python ints are unbounded, SQL's are not)", site);

    public static Expr FloatLiteral(double value, PyNode site, DriverInterpreter interpreter)
    {
        if (!double.IsFinite(value))
        {
            return new Cast(Literal.Of(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity"), SparkType.Double);
        }

        // The shortest text that reads back as the same double, in exponent form so both dialects read a DOUBLE.
        var text = value.ToString("E16", CultureInfo.InvariantCulture);
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var mantissa = double.Parse(shortest, CultureInfo.InvariantCulture) == value ? shortest : text;
        return new Literal(LiteralKind.Double, mantissa.Contains('E', StringComparison.OrdinalIgnoreCase) ? mantissa.Replace("E", "e", StringComparison.Ordinal) : mantissa + "e0");
    }

    /// <summary>SQL that raises <paramref name="message"/> where the condition holds, the value otherwise.</summary>
    public static Expr RaiseWhen(Expr condition, string message, Expr value) =>
        new Case(null, [new WhenClause(condition, new FunctionCall("raise_error", [Literal.Of(message)]))], value);

    /// <summary>An operand of arithmetic: None raises TypeError, as in Python.</summary>
    private static Expr NotNone(PyValue value, Expr sql, string operation) =>
        MayBeNone(value) && value is SqlScalar { NanForNull: false } ? RaiseWhen(new IsNull(sql, false), $"TypeError: unsupported operand type(s) for {operation}: 'NoneType'", sql) : sql;

    public static PyValue Arithmetic(string op, PyValue left, PyValue right, PyNode site, DriverInterpreter interpreter)
    {
        var lk = KindOf(left);
        var rk = KindOf(right);
        if (lk == PyKind.None || rk == PyKind.None)
        {
            throw interpreter.Refuse($"{op} with None (TypeError in Python)", site);
        }

        var symbol = op switch
        {
            "Add" => "+",
            "Sub" => "-",
            "Mult" => "*",
            "Div" => "/",
            "FloorDiv" => "//",
            "Mod" => "%",
            _ => op,
        };
        var l = NotNone(left, Sql(left, site, interpreter), symbol);
        if (lk is PyKind.Date && right is PyTimeDelta delta && op is "Add" or "Sub")
        {
            if (delta.Value.Ticks % TimeSpan.TicksPerDay != 0)
            {
                throw interpreter.Refuse("a date plus a timedelta that is not whole days", site);
            }

            var days = (long)delta.Value.TotalDays * (op == "Add" ? 1 : -1);
            return new SqlScalar(new FunctionCall("date_add", [l, Literal.Of(days)]), PyKind.Date, false);
        }

        if (lk is PyKind.Date && rk is PyKind.Date && op == "Sub")
        {
            // date - date is a timedelta of whole days.
            return new SqlScalar(new FunctionCall("datediff", [l, NotNone(right, Sql(right, site, interpreter), symbol)]), PyKind.TimeDelta, false);
        }

        if (lk is PyKind.Date || rk is PyKind.Date || lk is PyKind.TimeDelta || rk is PyKind.TimeDelta)
        {
            throw interpreter.Refuse("date arithmetic on values known only at run time", site);
        }

        var r = NotNone(right, Sql(right, site, interpreter), symbol);
        var nullable = false;

        if (lk is PyKind.Str && rk is PyKind.Str && op == "Add")
        {
            return new SqlScalar(new FunctionCall("concat", [l, r]), PyKind.Str, nullable);
        }

        var numeric = new[] { PyKind.Bool, PyKind.Int, PyKind.Float, PyKind.Decimal };
        if (!numeric.Contains(lk) || !numeric.Contains(rk))
        {
            throw interpreter.Refuse($"{symbol} between {lk} and {rk}", site);
        }

        if ((lk == PyKind.Decimal && rk == PyKind.Float) || (lk == PyKind.Float && rk == PyKind.Decimal))
        {
            throw interpreter.Refuse($"Decimal {symbol} float (TypeError in Python)", site);
        }

        var kind = lk == PyKind.Decimal || rk == PyKind.Decimal ? PyKind.Decimal
            : lk == PyKind.Float || rk == PyKind.Float ? PyKind.Float
            : PyKind.Int;
        if (kind == PyKind.Float)
        {
            l = AsDouble(l, lk);
            r = AsDouble(r, rk);
        }
        else if (kind == PyKind.Int)
        {
            l = AsLong(l, lk);
            r = AsLong(r, rk);
        }

        switch (op)
        {
            case "Add":
                return new SqlScalar(new Binary(BinaryOp.Add, l, r), kind, nullable);
            case "Sub":
                return new SqlScalar(new Binary(BinaryOp.Subtract, l, r), kind, nullable);
            case "Mult":
                return new SqlScalar(new Binary(BinaryOp.Multiply, l, r), kind, nullable);
            case "Div":
                if (kind == PyKind.Decimal)
                {
                    throw interpreter.Refuse("Decimal division on values known only at run time (the 28-digit context)", site);
                }

                var divisor = AsDouble(r, rk == PyKind.Float ? PyKind.Float : PyKind.Int);
                var quotient = new Binary(BinaryOp.Divide, AsDouble(l, lk == PyKind.Float ? PyKind.Float : PyKind.Int), divisor);
                return new SqlScalar(RaiseWhen(new Binary(BinaryOp.Eq, divisor, FloatLiteral(0, site, interpreter)), "ZeroDivisionError: division by zero", quotient), PyKind.Float, nullable);
            case "FloorDiv" when kind == PyKind.Int:
                return new SqlScalar(new FunctionCall("py_floordiv", [l, r]), PyKind.Int, nullable);
            case "Mod" when kind == PyKind.Int:
                return new SqlScalar(new FunctionCall("py_mod", [l, r]), PyKind.Int, nullable);
            default:
                throw interpreter.Refuse($"{symbol} on {kind} values known only at run time", site);
        }
    }

    private static Expr AsDouble(Expr sql, PyKind kind) =>
        kind == PyKind.Float && TypeInference.TypeOf(sql) is FractionalType { Rank: 6 } ? sql : new Cast(sql, SparkType.Double);

    private static Expr AsLong(Expr sql, PyKind kind) =>
        kind == PyKind.Bool ? new Case(null, [new WhenClause(sql, Literal.Of(1L))], Literal.Of(0L)) : TypeInference.TypeOf(sql) is IntegralType ? sql : new Cast(sql, SparkType.Long);

    /// <summary>A comparison. == and != never raise and treat None == None as true; the ordering
    /// operators raise on None.</summary>
    public static PyValue Compare(string op, PyValue left, PyValue right, PyNode site, DriverInterpreter interpreter)
    {
        var l = Sql(left, site, interpreter);
        var r = Sql(right, site, interpreter);
        var lk = KindOf(left);
        var rk = KindOf(right);
        if (lk == PyKind.Float && rk is PyKind.Int or PyKind.Bool)
        {
            r = AsDouble(r, rk);
        }
        else if (rk == PyKind.Float && lk is PyKind.Int or PyKind.Bool)
        {
            l = AsDouble(l, lk);
        }

        var nan = left is SqlScalar { NanForNull: true, Nullable: true } || right is SqlScalar { NanForNull: true, Nullable: true };
        switch (op)
        {
            case "Eq" or "NotEq" when nan:
                // NaN equals nothing, itself included.
                return new SqlScalar(op == "Eq"
                    ? new FunctionCall("coalesce", [new Binary(BinaryOp.Eq, l, r), Literal.Of(false)])
                    : new FunctionCall("coalesce", [new Binary(BinaryOp.NotEq, l, r), Literal.Of(true)]), PyKind.Bool, false);
            case "Is" or "IsNot" when (left is PyNone && right is SqlScalar { NanForNull: true }) || (right is PyNone && left is SqlScalar { NanForNull: true }):
                // NaN is not None.
                return new SqlScalar(Literal.Of(op == "IsNot"), PyKind.Bool, false);
            case "Lt" or "LtE" or "Gt" or "GtE" when nan:
                var ordered = new Binary(op switch { "Lt" => BinaryOp.Lt, "LtE" => BinaryOp.LtEq, "Gt" => BinaryOp.Gt, _ => BinaryOp.GtEq }, l, r);
                return new SqlScalar(new FunctionCall("coalesce", [ordered, Literal.Of(false)]), PyKind.Bool, false);
            case "Eq" or "NotEq":
                Expr equal = MayBeNone(left) || MayBeNone(right) ? new Binary(BinaryOp.NullSafeEq, l, r) : new Binary(BinaryOp.Eq, l, r);
                if (lk != PyKind.None && rk != PyKind.None && !Comparable(lk, rk))
                {
                    // Different Python types are never equal (1 == '1' is False).
                    equal = Literal.Of(false);
                }

                return new SqlScalar(op == "Eq" ? equal : new Unary(UnaryOp.Not, equal), PyKind.Bool, false);
            case "Is" or "IsNot" when left is PyNone || right is PyNone:
                var operand = left is PyNone ? r : l;
                return new SqlScalar(new IsNull(operand, op == "IsNot"), PyKind.Bool, false);
            case "Lt" or "LtE" or "Gt" or "GtE":
                if (!Comparable(lk, rk))
                {
                    throw interpreter.Refuse($"ordering {lk} against {rk} (TypeError in Python)", site);
                }

                var binary = new Binary(op switch { "Lt" => BinaryOp.Lt, "LtE" => BinaryOp.LtEq, "Gt" => BinaryOp.Gt, _ => BinaryOp.GtEq }, l, r);
                Expr result = binary;
                if (MayBeNone(left) || MayBeNone(right))
                {
                    result = RaiseWhen(new Binary(BinaryOp.Or, new IsNull(l, false), new IsNull(r, false)), "TypeError: '<' not supported between instances of 'NoneType'", binary);
                }

                return new SqlScalar(result, PyKind.Bool, false);
            default:
                throw interpreter.Refuse($"the comparison {op} on values known only at run time", site);
        }
    }

    private static bool Comparable(PyKind a, PyKind b)
    {
        var numeric = new[] { PyKind.Bool, PyKind.Int, PyKind.Float, PyKind.Decimal };
        return a == b || (numeric.Contains(a) && numeric.Contains(b) && !(a == PyKind.Decimal && b == PyKind.Float) && !(a == PyKind.Float && b == PyKind.Decimal));
    }

    /// <summary>Python's truth value of a symbolic value, as a non-null SQL boolean.</summary>
    public static Expr Truthy(SqlScalar value, PyNode site, DriverInterpreter interpreter)
    {
        Expr test = value.Kind switch
        {
            PyKind.Bool => value.Sql,
            PyKind.Int or PyKind.Decimal => new Binary(BinaryOp.NotEq, value.Sql, Literal.Of(0)),
            PyKind.Float => new Binary(BinaryOp.NotEq, value.Sql, FloatLiteral(0, site, interpreter)),
            PyKind.Str => new Binary(BinaryOp.Gt, new FunctionCall("length", [value.Sql]), Literal.Of(0)),
            PyKind.Date or PyKind.DateTime => Literal.Of(true),
            _ => throw interpreter.Refuse($"the truth value of a {value.Kind} known only at run time", site),
        };
        return value.Nullable ? new FunctionCall("coalesce", [test, Literal.Of(value.NanForNull)]) : test;
    }

    /// <summary>str(x) / f-string formatting of a symbolic value.</summary>
    public static Expr Text(SqlScalar value, PyNode site, DriverInterpreter interpreter)
    {
        Expr text = value.Kind switch
        {
            PyKind.Str => value.Sql,
            PyKind.Int => new Cast(value.Sql, SparkType.String),
            PyKind.Date => new Cast(value.Sql, SparkType.String),
            PyKind.Bool => new Case(null, [new WhenClause(value.Sql, Literal.Of("True"))], Literal.Of("False")),
            PyKind.Decimal => new Cast(value.Sql, SparkType.String),
            _ => throw interpreter.Refuse($"str() of a {value.Kind} known only at run time (Python's text differs from SQL's)", site),
        };
        return value.Nullable ? new FunctionCall("coalesce", [text, Literal.Of("None")]) : text;
    }

    /// <summary>The SQL text of a concrete value, as str() prints it.</summary>
    public static string? ConcreteText(PyValue value) => value switch
    {
        PyStr s => s.Value,
        PyInt i => i.Value.ToString(CultureInfo.InvariantCulture),
        PyBool b => b.Value ? "True" : "False",
        PyNone => "None",
        PyFloat f => Repr.Float(f.Value),
        PyDecimal d => d.Text,
        PyDate d => d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PyDateTime dt => dt.Value.ToString(dt.Value.Millisecond == 0 && dt.Value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        _ => null,
    };
}

/// <summary>Python's repr of floats (shortest round-trip digits, Python's exponent rules).</summary>
internal static class Repr
{
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = r.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? r : r[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(r[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var negative = mantissa.StartsWith('-');
        var digits = mantissa.TrimStart('-').Replace(".", string.Empty, StringComparison.Ordinal);
        var point = mantissa.TrimStart('-').IndexOf('.', StringComparison.Ordinal);
        var integerDigits = (point < 0 ? mantissa.TrimStart('-').Length : point) + exponent;
        var trimmed = digits.TrimStart('0');
        integerDigits -= digits.Length - trimmed.Length;
        digits = trimmed.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        // Python: fixed notation when -4 <= exponent < 16, else scientific.
        var decimalExponent = integerDigits - 1;
        string text;
        if (decimalExponent is >= -4 and < 16)
        {
            if (integerDigits <= 0)
            {
                text = "0." + new string('0', -integerDigits) + digits;
            }
            else if (integerDigits >= digits.Length)
            {
                text = digits + new string('0', integerDigits - digits.Length) + ".0";
            }
            else
            {
                text = digits[..integerDigits] + "." + digits[integerDigits..];
            }
        }
        else
        {
            var body = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            text = body + "e" + (decimalExponent < 0 ? "-" : "+") + Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return negative ? "-" + text : text;
    }
}
