using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Emit;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Semantics;

/// <summary>What lowering needs to know besides the dialect.</summary>
/// <param name="SessionTimeZone">The legacy Spark session time zone (timestamp → date, hour(), ...).</param>
/// <param name="ParameterTypes">Declared types of the job's parameters (a placeholder becomes a typed variable).</param>
public sealed record LoweringOptions(string SessionTimeZone, IReadOnlyDictionary<string, SparkType> ParameterTypes)
{
    public static LoweringOptions Default { get; } = new("UTC", new Dictionary<string, SparkType>(StringComparer.Ordinal));
}

/// <summary>Rewrites a bound plan so that the target dialect computes exactly what the legacy Spark
/// job computed (SEMANTICS): Spark built-ins whose DuckDB namesake differs get an exact formulation
/// (round on doubles, division by zero, truncating casts, NULL ordering, result types of sums), and
/// Python semantic functions (<c>py_round(x, 2)</c>) become calls of the rewrite's library
/// (<see cref="SemanticLibrary"/>). The Spark rendering is made independent of ANSI mode, since
/// Databricks runtimes differ in that default (<c>try_divide</c>, <c>try_cast</c>). What cannot be
/// expressed exactly raises <see cref="UnsupportedConstructException"/>: a rewrite is exact or it is
/// not delivered.</summary>
public sealed class ExactLowering
{
    private readonly Dialect _dialect;
    private readonly LoweringOptions _options;
    private readonly SortedSet<string> _library = new(StringComparer.Ordinal);

    public ExactLowering(Dialect dialect, LoweringOptions? options = null)
    {
        _dialect = dialect;
        _options = options ?? LoweringOptions.Default;
    }

    private bool Duck => _dialect == Dialect.DuckDb;

    /// <summary>Library functions the lowered plans call (their definitions go before the statements).</summary>
    public IReadOnlyCollection<string> LibraryFunctions => _library;

    public PlanNode Lower(PlanNode plan) => PlanTree.TransformUp(plan, node => LowerNode(node)).Value;

    public Expr Lower(Expr expr) => ExprTree.TransformUp(expr, LowerExpr).Value;

    /// <summary>An expression outside any operator (a write's check): its subquery plans are lowered too,
    /// as <see cref="PlanExpressionMap"/> does for the expressions of an operator.</summary>
    public Expr LowerStandalone(Expr expr) =>
        Lower(ExprTree.TransformUp(expr, e => e is PlanSubquery subquery ? subquery with { Plan = Lower(subquery.Plan) } : null).Value);

    private PlanNode? LowerNode(PlanNode node)
    {
        var mapped = PlanExpressionMap.Map(node, Lower);
        return mapped switch
        {
            Sort sort => sort with { Order = [.. sort.Order.Select(ExplicitNulls)] },
            _ => mapped,
        };
    }

    private SortItem ExplicitNulls(SortItem item) => item with
    {
        Direction = item.Direction == SortDirection.Unspecified ? SortDirection.Ascending : item.Direction,
        Nulls = item.EffectiveNullsFirst ? NullOrdering.First : NullOrdering.Last,
    };

    private Expr? LowerExpr(Expr expr) => expr switch
    {
        FunctionCall { Over: { } over } call => LowerCall(call with { Over = over with { OrderBy = [.. over.OrderBy.Select(ExplicitNulls)] } }) ?? call with { Over = over with { OrderBy = [.. over.OrderBy.Select(ExplicitNulls)] } },
        FunctionCall call => LowerCall(call),
        Binary binary => LowerBinary(binary),
        Cast cast => LowerCast(cast),
        Placeholder placeholder when Duck => Variable(placeholder.Name),
        _ => null,
    };

    private Expr Variable(string name)
    {
        var value = Call("getvariable", Literal.Of(name));
        return _options.ParameterTypes.TryGetValue(name, out var type) && type is not StringType ? new Cast(value, type) : value;
    }

    private Expr? LowerCall(FunctionCall call)
    {
        if (RewriterFunction(call) is { } rewritten)
        {
            return rewritten;
        }

        switch (call.Key)
        {
            case "py_round":
                return Library("py_round_" + Digits(call, 1), call.Args[0]);
            case "py_round_int" or "py_floordiv" or "py_mod" or "py_strip":
                _library.Add(call.Key);
                return null;
            case "round" or "bround":
                return Round(call, halfEven: call.Key == "bround");
        }

        if (!Duck)
        {
            return null;
        }

        return call.Key switch
        {
            "sum" when call.Over is null => Sum(call),
            "avg" or "mean" => Average(call),
            "pmod" => Pmod(call.Args[0], call.Args[1]),
            "unix_timestamp" or "to_unix_timestamp" when call.Args.Count == 1 && TypeOf(call.Args[0]) is TimestampType => UnixSeconds(call.Args[0]),
            "to_date" when call.Args.Count == 1 => ToDate(call.Args[0]),
            "hour" or "minute" or "second" or "year" or "month" or "day" or "dayofmonth" or "dayofweek" or "dayofyear" or "quarter" or "weekofyear"
                when call.Args.Count == 1 && TypeOf(call.Args[0]) is TimestampType => call with { Args = [InSessionZone(call.Args[0])] },
            _ => null,
        };
    }

    /// <summary>Functions the rewriter writes into plans, rendered per dialect.</summary>
    private Expr? RewriterFunction(FunctionCall call)
    {
        var a = call.Args;
        switch (call.Key)
        {
            case "raise_error" when Duck:
                return call with { Name = "error" };
            case "mz_scan_position":
                // The order a scan returns rows: DuckDB's row order of the input table; Spark's read order.
                return Duck ? new ColumnRef([new NamePart("rowid")]) : Call("monotonically_increasing_id");
            case "py_last_by" or "py_first_by":
                var last = call.Key == "py_last_by";
                return call with { Name = Duck ? (last ? "arg_max_null" : "arg_min_null") : (last ? "max_by" : "min_by") };
            case "py_fold_sum":
                // A sum of doubles in the loop's order: sequential, as Python's += was.
                var (value, position, init) = (a[0], a[1], a[2]);
                if (Duck)
                {
                    var pairs = Call("list", Call("struct_pack", new Alias(position, "p"), new Alias(value, "v"))) with { Filter = call.Filter };
                    var ordered = Call("list_transform", Call("list_sort", pairs), new Lambda(["s"], new FieldAccess(new ColumnRef([new NamePart("s")]), "v")));
                    return Call("list_reduce", ordered, new Lambda(["acc", "x"], new Binary(BinaryOp.Add, Var("acc"), Var("x"))), init);
                }
                else
                {
                    var pairs = Call("collect_list", Call("named_struct", Literal.Of("p"), position, Literal.Of("v"), value)) with { Filter = call.Filter };
                    var ordered = Call("transform", Call("array_sort", pairs), new Lambda(["s"], new FieldAccess(Var("s"), "v")));
                    return Call("aggregate", ordered, init, new Lambda(["acc", "x"], new Binary(BinaryOp.Add, Var("acc"), Var("x"))));
                }

            case "py_window_list":
                return call with { Name = Duck ? "list" : "collect_list" };
            case "py_fold_sum_list":
                return Duck
                    ? Call("list_reduce", Call("list_filter", a[0], new Lambda(["x"], new IsNull(Var("x"), true))), new Lambda(["acc", "x"], new Binary(BinaryOp.Add, Var("acc"), Var("x"))), a[1])
                    : Call("aggregate", a[0], a[1], new Lambda(["acc", "x"], new Binary(BinaryOp.Add, Var("acc"), Var("x"))));
            case "py_strptime":
                return Duck
                    ? Call("strptime", a[0], a[1])
                    : Call("to_timestamp_ntz", a[0], Literal.Of(JavaPattern(((Literal)a[1]).Value)));
            case "py_aware":
                // A wall-clock time in a zone → the instant.
                return Duck ? Call("timezone", a[1], a[0]) : Call("to_utc_timestamp", new Cast(a[0], SparkType.Timestamp), a[1]);
            case "py_local_datetime":
                // An instant → the wall clock of a zone (naive).
                return Duck ? Call("timezone", a[1], a[0]) : new Cast(Call("from_utc_timestamp", a[0], a[1]), SparkType.TimestampNtz);
            case "py_epoch_seconds":
                var micros = Duck ? Call("epoch_us", a[0]) : Call("unix_micros", a[0]);
                return new Binary(BinaryOp.Divide, new Cast(micros, SparkType.Double), new Literal(LiteralKind.Double, "1.0e6"));
            case "py_epoch_instant":
                var us = new Cast(new Binary(BinaryOp.Multiply, a[0], new Literal(LiteralKind.Double, "1.0e6")), SparkType.Long);
                return Duck ? Call("timezone", Literal.Of("UTC"), Call("make_timestamp", us)) : Call("timestamp_micros", us);
            default:
                return null;
        }
    }

    private static ColumnRef Var(string name) => new([new NamePart(name)]);

    /// <summary>A Python strptime format as a Spark datetime pattern (literal text quoted).</summary>
    private static string JavaPattern(string python)
    {
        var pattern = new System.Text.StringBuilder();
        for (var i = 0; i < python.Length; i++)
        {
            if (python[i] == '%' && i + 1 < python.Length)
            {
                pattern.Append(python[++i] switch
                {
                    'Y' => "yyyy",
                    'm' => "MM",
                    'd' => "dd",
                    'H' => "HH",
                    'M' => "mm",
                    'S' => "ss",
                    'f' => "SSSSSS",
                    var other => throw new UnsupportedConstructException("Spark SQL", $"the strptime directive %{other}"),
                });
            }
            else if (char.IsLetter(python[i]))
            {
                pattern.Append('\'').Append(python[i]).Append('\'');
            }
            else
            {
                pattern.Append(python[i]);
            }
        }

        return pattern.ToString();
    }

    private Expr Library(string name, params Expr[] args)
    {
        if (SemanticLibrary.Find(name) is null)
        {
            throw _dialect.Unsupported($"the library function {name}");
        }

        _library.Add(name);
        return Call(name, args);
    }

    private string Digits(FunctionCall call, int index)
    {
        if (call.Args.Count <= index)
        {
            return "0";
        }

        if (call.Args[index] is Literal { Kind: LiteralKind.Integer } literal
            && int.TryParse(literal.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var digits)
            && digits is >= 0 and <= SemanticLibrary.MaxRoundDigits)
        {
            return literal.Value;
        }

        throw _dialect.Unsupported($"{call.Name} to {SqlPrinter.Print(call.Args[index])} digits (exact for 0..{SemanticLibrary.MaxRoundDigits} only)");
    }

    /// <summary>Spark's round/bround: integers unchanged, decimals HALF_UP/HALF_EVEN at Spark's result
    /// type, doubles on their decimal form (DuckDB rounds the binary value).</summary>
    private Expr? Round(FunctionCall call, bool halfEven)
    {
        var operand = call.Args[0];
        var digits = Digits(call, 1);
        switch (TypeOf(operand))
        {
            case IntegralType:
                return operand;
            case DecimalType decimalType:
                var scale = Math.Min(decimalType.Scale, int.Parse(digits, CultureInfo.InvariantCulture));
                var resultType = new DecimalType(decimalType.Precision, scale);
                if (!Duck)
                {
                    return null;
                }

                if (halfEven)
                {
                    throw _dialect.Unsupported("bround of a decimal");
                }

                // A DECIMAL cast rounds half away from zero in DuckDB, which is Spark's HALF_UP.
                return new Cast(operand, resultType);
            case FractionalType:
                return Duck ? Library((halfEven ? "spark_bround_" : "spark_round_") + digits, new Cast(operand, SparkType.Double)) : null;
            default:
                return Duck ? throw _dialect.Unsupported($"{call.Name} of {TypeOf(operand)}") : null;
        }
    }

    /// <summary>Spark sums integers into BIGINT (DuckDB into HUGEINT) and decimals into DECIMAL(p+10, s).
    /// A sum of doubles depends on the order of the rows; the rewriter lifts those to an ordered fold,
    /// so one left here cannot be reproduced.</summary>
    private Expr Sum(FunctionCall call) => TypeOf(call.Args[0]) switch
    {
        IntegralType => new Cast(call, SparkType.Long),
        DecimalType d => new Cast(call, DecimalType.Bounded(d.Precision + 10, d.Scale)),
        NullType => call,
        var other => throw _dialect.Unsupported($"sum of {other} without a defined row order (the result depends on the order of the additions)"),
    };

    private Expr Average(FunctionCall call) => TypeOf(call.Args[0]) switch
    {
        // DuckDB sums integers exactly and divides once; Spark sums them as doubles, which is exact
        // while the partial sums stay below 2^53.
        IntegralType => call with { Name = "avg" },
        var other => throw _dialect.Unsupported($"avg of {other} (Spark's result type and rounding differ from DuckDB's)"),
    };

    private Expr Pmod(Expr a, Expr b)
    {
        var divisor = Call("nullif", b, Literal.Of(0));
        return new Binary(BinaryOp.Modulo, new Binary(BinaryOp.Add, new Binary(BinaryOp.Modulo, a, divisor), b), divisor);
    }

    /// <summary>unix_timestamp(ts): whole seconds, floored (also before 1970).</summary>
    private static Expr UnixSeconds(Expr timestamp)
    {
        var micros = Call("epoch_us", timestamp);
        var million = Literal.Of(1_000_000);
        var remainder = new Binary(BinaryOp.Modulo, new Binary(BinaryOp.Add, new Binary(BinaryOp.Modulo, micros, million), million), million);
        return new Binary(BinaryOp.IntDivide, new Binary(BinaryOp.Subtract, micros, remainder), million);
    }

    private Expr ToDate(Expr operand) => TypeOf(operand) switch
    {
        TimestampType => new Cast(InSessionZone(operand), SparkType.Date),
        StringType => new Cast(new Cast(operand, SparkType.TimestampNtz, CastStyle.TryCast), SparkType.Date),
        _ => new Cast(operand, SparkType.Date),
    };

    /// <summary>The wall-clock time of a timestamp in the legacy session time zone.</summary>
    private Expr InSessionZone(Expr timestamp) => Call("timezone", Literal.Of(_options.SessionTimeZone), timestamp);

    private Expr? LowerBinary(Binary binary)
    {
        if (binary.Op is BinaryOp.Eq or BinaryOp.EqEq or BinaryOp.NotEq or BinaryOp.BangEq or BinaryOp.Lt or BinaryOp.LtEq or BinaryOp.Gt or BinaryOp.GtEq or BinaryOp.NullSafeEq
            && ImplicitCast(binary.Left, binary.Right) is { } coerced)
        {
            return binary with { Left = coerced.Left, Right = coerced.Right };
        }

        switch (binary.Op)
        {
            case BinaryOp.Divide:
                if (TypeOf(binary.Left) is DecimalType or IntegralType && TypeOf(binary.Right) is DecimalType or IntegralType
                    && (TypeOf(binary.Left) is DecimalType || TypeOf(binary.Right) is DecimalType))
                {
                    // Spark: NULL for a zero divisor with ANSI mode off; nullif makes it so with ANSI on too.
                    return Duck ? DecimalArithmetic.Lower(binary, TypeOf(binary) as DecimalType ?? throw _dialect.Unsupported("a decimal division whose Spark result type is unknown")) : binary with { Right = NonZero(binary.Right) };
                }

                return Duck
                    ? binary with { Right = NonZero(binary.Right) }
                    : Call("try_divide", binary.Left, binary.Right);
            case BinaryOp.Multiply when Duck && TypeOf(binary) is DecimalType product
                && TypeOf(binary.Left) is DecimalType or IntegralType && TypeOf(binary.Right) is DecimalType or IntegralType
                && product.Scale < ScaleOf(binary.Left) + ScaleOf(binary.Right):
                // Spark narrows the scale of a product wider than 38 digits, rounding; DuckDB keeps it.
                return DecimalArithmetic.LowerProduct(binary, product);
            case BinaryOp.IntDivide or BinaryOp.Modulo:
                if (IsNonZeroLiteral(binary.Right))
                {
                    return null;
                }

                // NULL for a zero divisor, as Spark gives with ANSI mode off, in both dialects and both modes.
                return binary with { Right = NonZero(binary.Right) };
            default:
                return null;
        }
    }

    /// <summary>Spark compares a string with a date or timestamp by casting the string to the other
    /// type (ANSI off: NULL when it does not parse); DuckDB wants the cast written.</summary>
    private Binary? ImplicitCast(Expr left, Expr right)
    {
        if (!Duck)
        {
            return null;
        }

        var l = TypeOf(left);
        var r = TypeOf(right);
        static bool Temporal(SparkType t) => t is DateType or TimestampType or TimestampNtzType;
        if (l is StringType && Temporal(r))
        {
            return new Binary(BinaryOp.Eq, new Cast(left, r, CastStyle.TryCast), right);
        }

        if (r is StringType && Temporal(l))
        {
            return new Binary(BinaryOp.Eq, left, new Cast(right, l, CastStyle.TryCast));
        }

        return null;
    }

    private static bool IsNonZeroLiteral(Expr expr) =>
        expr is Literal { Kind: LiteralKind.Integer or LiteralKind.BigInt or LiteralKind.Decimal or LiteralKind.Double } literal
        && decimal.TryParse(literal.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value != 0;

    private static Expr NonZero(Expr divisor) => IsNonZeroLiteral(divisor) ? divisor : Call("nullif", divisor, Literal.Of(0));

    private Expr? LowerCast(Cast cast)
    {
        if (cast.Style == CastStyle.DoubleColon)
        {
            cast = cast with { Style = CastStyle.Cast };
        }

        var source = TypeOf(cast.Operand);
        if (source.Equals(cast.Type))
        {
            return cast.Operand;
        }

        switch (source, cast.Type)
        {
            case (StringType, not StringType and not CharType):
                // Spark (ANSI off) gives NULL for text that does not parse; ANSI on raises.
                return cast with { Style = CastStyle.TryCast };
            case (FractionalType or DecimalType, IntegralType) when Duck:
                // Spark truncates toward zero; DuckDB rounds.
                return cast with { Operand = Call("trunc", cast.Operand) };
            case (FractionalType, StringType or CharType) when Duck:
                throw _dialect.Unsupported("a double as text (Spark writes 1.0E10, DuckDB 10000000000.0)");
            case (TimestampType, StringType or CharType) when Duck:
                throw _dialect.Unsupported("a timestamp as text in the session time zone");
            case (TimestampType, DateType) when Duck:
                return cast with { Operand = InSessionZone(cast.Operand) };
            default:
                return cast.Style == CastStyle.Cast ? null : cast;
        }
    }

    private static int ScaleOf(Expr expr) => TypeOf(expr) is DecimalType decimalType ? decimalType.Scale : 0;

    /// <summary>The Spark type of an expression already partly lowered: DuckDB's <c>error()</c> (the lowered
    /// <c>raise_error</c>) has no value, so it widens to the other branches' type as raise_error does.</summary>
    internal static SparkType TypeOf(Expr expr) => TypeInference.TypeOf(
        ExprTree.TransformUp(expr, e => e is FunctionCall { Name: "error" } call ? call with { Name = "raise_error" } : null).Value);

    private static FunctionCall Call(string name, params Expr[] args) => new(name, args.ToEquatableArray());
}
