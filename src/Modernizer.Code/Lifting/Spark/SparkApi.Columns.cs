using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Emit;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>pyspark.sql.functions and Column: expressions with Spark's semantics, as plan expressions.</summary>
internal sealed partial class SparkApi
{
    /// <summary>Functions whose pyspark name is the Spark SQL function of the same name and arguments.</summary>
    private static readonly ImmutableHashSet<string> SameName = ImmutableHashSet.Create(StringComparer.Ordinal,
        "abs", "trim", "ltrim", "rtrim", "lower", "upper", "length", "concat", "concat_ws", "to_date", "to_timestamp", "date_sub", "date_add",
        "datediff", "year", "month", "dayofmonth", "dayofweek", "dayofyear", "hour", "minute", "second", "quarter", "weekofyear", "sha2", "md5",
        "sha1", "isnull", "isnan", "greatest", "least", "sqrt", "exp", "log", "log10", "pow", "floor", "ceil", "sum", "max", "min", "avg", "mean",
        "count", "first", "last", "collect_list", "collect_set", "row_number", "rank", "dense_rank", "percent_rank", "ntile", "lag", "lead",
        "regexp_replace", "regexp_extract", "substring", "split", "initcap", "lpad", "rpad", "reverse", "repeat", "translate", "unix_timestamp",
        "from_unixtime", "date_format", "date_trunc", "trunc", "add_months", "last_day", "months_between", "nanvl", "signum", "bround", "round",
        "array", "array_contains", "size", "sort_array", "element_at", "stddev", "variance", "corr", "covar_samp", "approx_count_distinct",
        "monotonically_increasing_id", "input_file_name", "hash", "xxhash64", "crc32", "base64", "unbase64", "hex", "current_date", "current_timestamp",
        "max_by", "min_by", "any_value", "bool_and", "bool_or", "every", "some", "count_if", "nvl", "ifnull", "nullif", "coalesce", "expm1", "log1p",
        "cume_dist", "to_utc_timestamp", "from_utc_timestamp", "date_diff", "dateadd", "startswith", "endswith", "contains");

    private PyObject? _functions;

    public PyObject Functions => _functions ??= new PyObject("module pyspark.sql.functions", FunctionAttribute);

    private PyValue? FunctionAttribute(string name)
    {
        PyBuiltin Fn(Func<CallArguments, PyValue> body) => new("F." + name, body);
        switch (name)
        {
            case "col" or "column":
                return Fn(a => ColumnOf(a.Arg(0)!, a.Site));
            case "lit":
                return Fn(a => Lit(a.Arg(0)!, a.Site));
            case "expr":
                return Fn(a => a.Arg(0) is PyStr text
                    ? new ColumnValue(Parse(text.Value, a.Site)) { Name = text.Value }
                    : throw interpreter.Refuse("F.expr of text known only at run time", a.Site));
            case "when":
                return Fn(a => new ColumnValue(new Case(null, [new WhenClause(Cond(a.Arg(0)!, a.Site), Operand(a.Arg(1)!, a.Site))], null)));
            case "countDistinct" or "count_distinct":
                return Fn(a => new ColumnValue(new FunctionCall("count", [.. a.Positional.Select(p => Operand(p, a.Site))]) { Distinct = true }));
            case "sumDistinct" or "sum_distinct":
                return Fn(a => new ColumnValue(new FunctionCall("sum", [Operand(a.Arg(0)!, a.Site)]) { Distinct = true }));
            case "desc" or "asc" or "desc_nulls_first" or "desc_nulls_last" or "asc_nulls_first" or "asc_nulls_last":
                return Fn(a => Ordered(ColumnOf(a.Arg(0)!, a.Site), name));
            case "udf":
                return Fn(a => Udf(a));
            case "broadcast":
                return Fn(a => a.Arg(0)!);
            case "struct" or "create_map" or "explode" or "explode_outer" or "posexplode" or "from_json" or "to_json" or "window" or "pandas_udf" or "rand" or "randn" or "uuid":
                return Fn(a => throw interpreter.Refuse($"F.{name}", a.Site));
            case "isnotnull":
                return Fn(a => new ColumnValue(new IsNull(Operand(a.Arg(0)!, a.Site), true)));
            case "isnull":
                return Fn(a => new ColumnValue(new IsNull(Operand(a.Arg(0)!, a.Site), false)));
            case "not":
                return Fn(a => new ColumnValue(new Unary(UnaryOp.Not, Cond(a.Arg(0)!, a.Site))));
            case "format_number" or "format_string" or "printf":
                return Fn(a => throw interpreter.Refuse($"F.{name} (number formatting)", a.Site));
            default:
                if (SameName.Contains(name))
                {
                    return Fn(a => new ColumnValue(new FunctionCall(name == "mean" ? "avg" : name, [.. FunctionArguments(name, a)])));
                }

                return null;
        }
    }

    /// <summary>Arguments of F.name(...): a string names a column, except where Spark takes a literal there.</summary>
    private IEnumerable<Expr> FunctionArguments(string name, CallArguments a)
    {
        for (var i = 0; i < a.Positional.Length; i++)
        {
            var value = a.Positional[i];
            var literalSlot = (name, i) switch
            {
                ("date_sub" or "date_add" or "add_months" or "round" or "bround" or "sha2" or "lag" or "lead" or "ntile" or "repeat", >= 1) => true,
                ("concat_ws" or "date_format" or "to_date" or "to_timestamp" or "date_trunc" or "trunc" or "regexp_replace" or "regexp_extract" or "split" or "lpad" or "rpad" or "translate" or "from_unixtime" or "unix_timestamp" or "substring" or "element_at" or "from_utc_timestamp" or "to_utc_timestamp", _)
                    when !(name == "concat_ws" && i > 0) && !(name is "date_format" or "to_date" or "to_timestamp" or "from_unixtime" or "unix_timestamp" or "from_utc_timestamp" or "to_utc_timestamp" or "split" && i == 0)
                        && !(name is "regexp_replace" or "regexp_extract" or "lpad" or "rpad" or "translate" or "substring" or "element_at" && i == 0)
                        && !(name is "date_trunc" && i == 1) && !(name is "trunc" && i == 0) => true,
                _ => false,
            };
            yield return literalSlot && value is PyStr or PyInt or PyFloat or PyBool ? Literal(value, a.Site) : Operand(value, a.Site);
        }
    }

    private static ColumnValue Ordered(ColumnValue column, string how) => column with
    {
        Direction = how.StartsWith("desc", StringComparison.Ordinal) ? SortDirection.Descending : SortDirection.Ascending,
        Nulls = how.EndsWith("nulls_first", StringComparison.Ordinal) ? NullOrdering.First : how.EndsWith("nulls_last", StringComparison.Ordinal) ? NullOrdering.Last : NullOrdering.Unspecified,
    };

    /// <summary>A column named by a string (col("x"), "x" where a column is expected) or given as a Column.</summary>
    public ColumnValue ColumnOf(PyValue value, PyNode site) => value switch
    {
        ColumnValue column => column,
        PyStr { Value: "*" } => new ColumnValue(Star.All) { Name = "*" },
        PyStr name => new ColumnValue(ColumnRefs.ByName(name.Value)) { Name = name.Value.Split('.')[^1] },
        PyText or SqlScalar => throw interpreter.Refuse("a column named by text known only at run time", site),
        _ => throw interpreter.Refuse($"a {value.TypeName} where a column is expected", site),
    };

    /// <summary>An operand of a Column operator or function: a Column, or a Python value as a literal.</summary>
    public Expr Operand(PyValue value, PyNode site) => value switch
    {
        ColumnValue column => column.Expr,
        PyStr name => ColumnRefs.ByName(name.Value),
        _ => Literal(value, site),
    };

    /// <summary>Like <see cref="Operand"/>, but a string is a literal (comparisons, when values, isin).</summary>
    public Expr Value(PyValue value, PyNode site) => value is ColumnValue column ? column.Expr : Literal(value, site);

    private Expr Cond(PyValue value, PyNode site) => value is ColumnValue column ? column.Expr : throw interpreter.Refuse("a condition that is not a Column", site);

    /// <summary>F.lit: Python values become Spark literals of Spark's types (an int is INT when it fits, else BIGINT).</summary>
    public ColumnValue Lit(PyValue value, PyNode site) => value is ColumnValue column ? column : new ColumnValue(Literal(value, site)) { Name = PySemantics.ConcreteText(value) };

    public Expr Literal(PyValue value, PyNode site) => value switch
    {
        PyStr s => Sql.Syntax.Literal.Of(s.Value),
        SqlScalar scalar => scalar.Sql,
        PyText text => text.AsScalar(site, interpreter).Sql,
        PyUnknown unknown => throw interpreter.Refuse(unknown.Reason + " reaches the output", site),
        PyDateTime moment => new Sql.Syntax.Literal(moment.Zone is null ? LiteralKind.TimestampNtz : LiteralKind.Timestamp, moment.Value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        _ => PySemantics.Sql(value, site, interpreter),
    };

    private Expr Parse(string sql, PyNode site)
    {
        try
        {
            var expr = SparkSqlParser.ParseExpression(sql);
            return ExprTree.TransformUp(expr, e => e is ColumnRef { Binding: null } reference ? ColumnRefs.ByName(string.Join(".", reference.Parts.Select(p => p.Text))) : null).Value;
        }
        catch (SqlSyntaxException error)
        {
            throw interpreter.Refuse("an expression string Spark SQL cannot parse: " + error.Message, site);
        }
    }

    /// <summary>Operators on Columns (Spark semantics: == is SQL equality, & and | are AND/OR, ~ is NOT).</summary>
    public PyValue ColumnOperator(string op, PyValue left, PyValue right, PyNode site)
    {
        var l = Value(left, site);
        var r = Value(right, site);
        Expr expr = op switch
        {
            "Add" => new Binary(BinaryOp.Add, l, r),
            "Sub" => new Binary(BinaryOp.Subtract, l, r),
            "Mult" => new Binary(BinaryOp.Multiply, l, r),
            "Div" => new Binary(BinaryOp.Divide, l, r),
            "Mod" => new Binary(BinaryOp.Modulo, l, r),
            "BitAnd" => new Binary(BinaryOp.And, l, r),
            "BitOr" => new Binary(BinaryOp.Or, l, r),
            "Eq" => new Binary(BinaryOp.Eq, l, r),
            "NotEq" => new Binary(BinaryOp.NotEq, l, r),
            "Lt" => new Binary(BinaryOp.Lt, l, r),
            "LtE" => new Binary(BinaryOp.LtEq, l, r),
            "Gt" => new Binary(BinaryOp.Gt, l, r),
            "GtE" => new Binary(BinaryOp.GtEq, l, r),
            "Pow" => new FunctionCall("power", [l, r]),
            _ => throw interpreter.Refuse($"the operator {op} on Columns", site),
        };
        return new ColumnValue(expr);
    }

    /// <summary>Methods of a Column.</summary>
    private PyValue? ColumnAttribute(ColumnValue column, string name, PyNode site)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new("Column." + name, body);
        var expr = column.Expr;
        return name switch
        {
            "alias" or "name" or "as_" => Method(a => column with { Name = a.Arg(0) is PyStr s ? s.Value : throw interpreter.Refuse("an alias known only at run time", a.Site) }),
            "cast" or "astype" => Method(a => new ColumnValue(new Cast(expr, TypeOf(a.Arg(0)!, a.Site)))),
            "isNull" => Method(_ => new ColumnValue(new IsNull(expr, false))),
            "isNotNull" => Method(_ => new ColumnValue(new IsNull(expr, true))),
            "isin" => Method(a =>
            {
                var items = a.Positional.Length == 1 && Iteration.TryConcrete(a.Positional[0], interpreter, a.Site) is { } list && a.Positional[0] is not PyStr ? list : [.. a.Positional];
                return new ColumnValue(new InList(expr, [.. items.Select(i => Value(i, a.Site))], false));
            }),
            "between" => Method(a => new ColumnValue(new Between(expr, Value(a.Arg(0)!, a.Site), Value(a.Arg(1)!, a.Site), false))),
            "like" => Method(a => new ColumnValue(new Like(LikeKind.Like, expr, Value(a.Arg(0)!, a.Site), false))),
            "rlike" => Method(a => new ColumnValue(new Like(LikeKind.RLike, expr, Value(a.Arg(0)!, a.Site), false))),
            "startswith" or "endswith" or "contains" => Method(a => new ColumnValue(new FunctionCall(name, [expr, Value(a.Arg(0)!, a.Site)]))),
            "substr" => Method(a => new ColumnValue(new FunctionCall("substring", [expr, Value(a.Arg(0)!, a.Site), Value(a.Arg(1)!, a.Site)]))),
            "desc" or "asc" or "desc_nulls_first" or "desc_nulls_last" or "asc_nulls_first" or "asc_nulls_last" => Method(_ => Ordered(column, name)),
            "over" => Method(a => Over(column, a.Arg(0), a.Site)),
            "when" when expr is Case @case => Method(a => new ColumnValue(@case with { Whens = @case.Whens.Add(new WhenClause(Cond(a.Arg(0)!, a.Site), Value(a.Arg(1)!, a.Site))) })),
            "otherwise" when expr is Case @case => Method(a => new ColumnValue(@case with { Else = Value(a.Arg(0)!, a.Site) })),
            "eqNullSafe" => Method(a => new ColumnValue(new Binary(BinaryOp.NullSafeEq, expr, Value(a.Arg(0)!, a.Site)))),
            "getItem" or "getField" => Method(a => throw interpreter.Refuse($"Column.{name}", a.Site)),
            _ => null,
        };
    }

    private ColumnValue Over(ColumnValue column, PyValue? window, PyNode site)
    {
        if (column.Expr is not FunctionCall call)
        {
            throw interpreter.Refuse("over() of an expression that is not a function call", site);
        }

        var spec = window is SparkObject { Kind: "WindowSpec" } w ? w : SparkObject.Of("WindowSpec");
        var partition = spec.Get<ImmutableArray<Expr>>("partitionBy");
        var order = spec.Get<ImmutableArray<SortItem>>("orderBy");
        var frame = spec.Get<WindowFrame>("frame");
        return new ColumnValue(call with { Over = new WindowSpec(null, partition.IsDefault ? [] : partition.ToEquatableArray(), order.IsDefault ? [] : order.ToEquatableArray(), frame) });
    }

    /// <summary>A sort key of orderBy / Window.orderBy: a name, a Column, with its direction.</summary>
    public SortItem SortKey(PyValue value, bool descending, PyNode site)
    {
        var column = ColumnOf(value, site);
        var direction = column.Direction != SortDirection.Unspecified ? column.Direction : descending ? SortDirection.Descending : SortDirection.Ascending;
        return new SortItem(column.Expr, direction, column.Nulls);
    }

    /// <summary>Resolves a column expression against a frame: by-name references to the frame's column
    /// keys (case-insensitive, ambiguity refused as Spark refuses it), identity references to the
    /// column with that origin.</summary>
    public Expr Resolve(Expr expr, Frame frame, PyNode site) => ExprTree.TransformUp(expr, e =>
    {
        if (e is FunctionCall call && call.Name.StartsWith(UdfPrefix, StringComparison.Ordinal))
        {
            return LiftUdf(int.Parse(call.Name[UdfPrefix.Length..], CultureInfo.InvariantCulture), call.Args, site);
        }

        if (e is not ColumnRef { Binding: null } reference)
        {
            return null;
        }

        if (ColumnRefs.Origin(reference) is { } origin)
        {
            var column = frame.FindOrigin(origin) ?? throw interpreter.Refuse($"the column {reference.Parts[1].Text} of another DataFrame (not an input of this one)", site);
            return column.Reference;
        }

        var parts = reference.Parts.Select(p => p.Text).ToList();
        var name = parts[^1];
        var qualifier = parts.Count > 1 ? parts[^2] : null;
        var candidates = frame.Columns.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)
            && (qualifier is null || string.Equals(c.Qualifier, qualifier, StringComparison.OrdinalIgnoreCase))).ToList();
        if (candidates.Count == 0 && qualifier is not null && parts.Count == 2 && frame.Columns.Any(c => string.Equals(c.Name, qualifier, StringComparison.OrdinalIgnoreCase)))
        {
            throw interpreter.Refuse($"the struct field {qualifier}.{name}", site);
        }

        return candidates.Count switch
        {
            1 => candidates[0].Reference,
            0 => throw interpreter.Refuse($"the column '{string.Join(".", parts)}' (not among {string.Join(", ", frame.Columns.Select(c => c.Name))})", site),
            _ => throw interpreter.Refuse($"the reference '{name}' is ambiguous (AnalysisException in Spark)", site),
        };
    }).Value;

    /// <summary>The name Spark gives an unaliased expression in a select or an aggregation.</summary>
    public static string AutoName(ColumnValue column, Expr resolved) => column.Name ?? resolved switch
    {
        ColumnRef { Binding: { } binding } => binding.Column,
        _ => SqlPrinter.Print(ExprTree.TransformUp(column.Expr, e => e is ColumnRef reference && ColumnRefs.Origin(reference) is not null ? new ColumnRef([reference.Parts[1]]) : null).Value, Dialect.Spark),
    };

    /// <summary>A UDF: a Python function whose body the interpreter runs symbolically on the columns
    /// it is called with, so it becomes one SQL expression (P2: no per-row Python).</summary>
    private PyValue Udf(CallArguments a)
    {
        if (a.Arg(0) is not PyFunction function)
        {
            // @udf(returnType=...) used as a decorator factory.
            var type = a.Arg(0, "returnType") is { } given ? TypeOf(given, a.Site) : SparkType.String;
            return new PyBuiltin("udf", b => b.Arg(0) is PyFunction f ? UdfValue(f, type, b.Site) : throw interpreter.Refuse("udf() of a non-function", b.Site));
        }

        var returnType = a.Arg(1, "returnType") is { } declared ? TypeOf(declared, a.Site) : SparkType.String;
        return UdfValue(function, returnType, a.Site);
    }

    private readonly List<(PyFunction Function, SparkType ReturnType)> _udfs = [];

    private const string UdfPrefix = "__mz_udf_";

    /// <summary>A UDF call is a placeholder function in the column expression until it is resolved
    /// against a frame: only then are the argument types (and so their Python types) known.</summary>
    private PyValue UdfValue(PyFunction function, SparkType returnType, PyNode site)
    {
        _udfs.Add((function, returnType));
        var id = _udfs.Count - 1;
        return new PyBuiltin("udf " + function.Name, call => new ColumnValue(new FunctionCall(UdfPrefix + id.ToString(CultureInfo.InvariantCulture),
            [.. call.Positional.Select(argument => Operand(argument, call.Site))]))
        {
            Name = $"{function.Name}({string.Join(", ", call.Positional.Select(p => p is PyStr s ? s.Value : p is ColumnValue c ? c.Name ?? "col" : "lit"))})",
        });
    }

    /// <summary>Runs the UDF's Python body on its (resolved) argument columns and converts the result as
    /// PySpark converts a UDF's return value to the declared type.</summary>
    private Expr LiftUdf(int id, EquatableArray<Expr> arguments, PyNode site)
    {
        var (function, returnType) = _udfs[id];
        var values = arguments.Select(argument =>
        {
            var typed = TypeInference.Infer(argument);
            var kind = PySemantics.KindOfSpark(typed.Type);
            return kind == PyKind.None
                ? throw interpreter.Refuse($"a UDF argument of type {typed.Type}", site)
                : (PyValue)new SqlScalar(argument, kind, typed.Nullable);
        });
        interpreter.Translation.Lifted(new LiftedPattern("UDF01", interpreter.File, interpreter.LineOf(function.Node), function.Node.Span.EndLine + interpreter.LineOffset, $"the Python UDF {function.Name} as one SQL expression"));
        var result = interpreter.CallFunction(function, new CallArguments([.. values], ImmutableDictionary<string, PyValue>.Empty, site));
        return Udfs.Convert(result, returnType, site, interpreter);
    }

    public SparkType TypeOf(PyValue value, PyNode site) => value switch
    {
        TypeValue type => type.Type,
        PyStr text => SparkTypeText(text.Value, site),
        _ => throw interpreter.Refuse($"a data type given as a {value.TypeName}", site),
    };

    private SparkType SparkTypeText(string text, PyNode site)
    {
        try
        {
            return Sql.Types.SparkTypeText.Parse(text);
        }
        catch (Exception error) when (error is SqlSyntaxException or ArgumentException)
        {
            throw interpreter.Refuse($"the type '{text}'", site);
        }
    }
}

