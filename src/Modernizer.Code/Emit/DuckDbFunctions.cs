using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Emit;

/// <summary>Spark function → DuckDB, one rule per name. Functions not listed here and not in
/// <see cref="Identical"/> are unsupported: printing them unchanged could change results.</summary>
internal static class DuckDbFunctions
{
    /// <summary>Functions whose DuckDB namesake has the same arguments and results for ETL use.</summary>
    private static readonly string[] Identical =
    [
        "abs", "avg", "ceil", "ceiling", "coalesce", "concat_ws", "count", "exp", "floor", "greatest", "least", "length",
        "ln", "log10", "lower", "lpad", "ltrim", "max", "md5", "min", "nullif", "power", "pow", "rpad", "rtrim", "sign",
        "sqrt", "stddev", "stddev_pop", "stddev_samp", "substr", "substring", "sum", "trim", "upper", "variance",
        "var_pop", "var_samp", "year", "month", "day", "dayofmonth", "hour", "minute", "second", "quarter", "dayofweek",
        "dayofyear", "weekofyear", "last_day", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
        "lag", "lead", "first_value", "last_value", "nth_value", "instr", "replace", "reverse", "repeat", "left", "right",
        "ascii", "initcap", "regexp_extract", "corr", "covar_pop", "covar_samp", "bool_and", "bool_or", "every",
        "any_value", "approx_count_distinct", "median", "mode", "uuid", "if", "date_trunc", "round", "first", "last",
        "translate", "bit_length", "octet_length", "cos", "sin", "tan", "acos", "asin", "atan", "atan2", "degrees", "radians",
        "pi", "mod", "hash", "array_distinct", "sha1", "datepart", "date_part", "make_date", "count_if", "try_cast",
    ];

    /// <summary>DuckDB functions the rules below produce; nested inside a rewrite they pass as they are.</summary>
    private static readonly string[] Produced =
    [
        "len", "list", "today", "strptime", "strftime", "regexp_split_to_array", "json_extract_string", "to_months",
        "list_contains", "list_value", "unnest", "round_even", "sha256", "regexp_matches",
        "struct_pack", "list_reduce", "list_transform", "list_sort", "list_filter", "arg_max_null", "arg_min_null", "getvariable",
        "error", "epoch_us", "timezone", "trunc", "to_timestamp", "make_timestamp", "isinf", "log2", "bool_or", "list_extract",
    ];

    public static IEnumerable<KeyValuePair<string, FunctionRule>> Rules
    {
        get
        {
            var rules = new Dictionary<string, FunctionRule>(StringComparer.Ordinal);
            foreach (var name in Identical.Concat(Produced))
            {
                rules[name] = (call, _) => call;
            }

            rules["nvl"] = Rename("coalesce");
            rules["ifnull"] = Rename("coalesce");
            rules["mean"] = Rename("avg");
            rules["bround"] = Rename("round_even");
            rules["rand"] = (call, dialect) => call.Args.IsEmpty ? Call("random") : throw dialect.Unsupported("rand(seed)");
            rules["random"] = rules["rand"];
            rules["array_contains"] = Rename("list_contains");
            rules["array"] = Rename("list_value");
            rules["explode"] = (call, dialect) => call.Args.Count == 1 ? Call("unnest", call.Args[0]) : throw dialect.Unsupported("explode with several arguments");
            rules["sha2"] = Sha2;
            rules["nvl2"] = (call, _) => new Case(null, [new WhenClause(new IsNull(call.Args[0], true), call.Args[1])], call.Args[2]);
            rules["isnull"] = (call, _) => new IsNull(call.Args[0], false);
            rules["isnotnull"] = (call, _) => new IsNull(call.Args[0], true);
            rules["date_add"] = (call, _) => new Binary(BinaryOp.Add, new Cast(call.Args[0], SparkType.Date), new Cast(call.Args[1], SparkType.Int));
            rules["date_sub"] = (call, _) => new Binary(BinaryOp.Subtract, new Cast(call.Args[0], SparkType.Date), new Cast(call.Args[1], SparkType.Int));
            rules["datediff"] = (call, _) => Call("datediff", Literal.Of("day"), new Cast(call.Args[1], SparkType.Date), new Cast(call.Args[0], SparkType.Date));
            rules["add_months"] = (call, _) => new Cast(new Binary(BinaryOp.Add, new Cast(call.Args[0], SparkType.Date), Call("to_months", new Cast(call.Args[1], SparkType.Int))), SparkType.Date);
            rules["collect_list"] = (call, _) => WithoutNulls(call with { Name = "list" });
            rules["collect_set"] = (call, _) => WithoutNulls(call with { Name = "list", Distinct = true });
            rules["array_agg"] = rules["collect_list"];
            rules["size"] = (call, _) => Call("coalesce", Call("len", call.Args[0]), Literal.Of(-1));
            rules["concat"] = Concat;
            rules["current_date"] = (call, _) => Call("today");
            rules["current_timestamp"] = (call, _) => Call("now");
            rules["now"] = (call, _) => Call("now");
            rules["to_date"] = (call, dialect) => call.Args.Count == 1
                ? new Cast(call.Args[0], SparkType.Date)
                : new Cast(Call("strptime", call.Args[0], Format(call.Args[1], dialect)), SparkType.Date);
            rules["to_timestamp"] = (call, dialect) => call.Args.Count == 1
                ? new Cast(call.Args[0], SparkType.Timestamp)
                : Call("strptime", call.Args[0], Format(call.Args[1], dialect));
            rules["date_format"] = (call, dialect) => Call("strftime", call.Args[0], Format(call.Args[1], dialect));
            rules["regexp_replace"] = RegexpReplace;
            rules["split"] = (call, dialect) => call.Args.Count == 2 ? Call("regexp_split_to_array", call.Args[0], call.Args[1]) : throw dialect.Unsupported("split with a limit");
            rules["get_json_object"] = Rename("json_extract_string");
            // trunc(x) with one argument is numeric truncation (the exact lowering's int()); Spark's trunc is the date one.
            rules["trunc"] = (call, dialect) => call.Args.Count == 1 ? call : new Cast(Call("date_trunc", TruncUnit(call.Args[1], dialect), call.Args[0]), SparkType.Date);
            return rules;
        }
    }

    private static FunctionRule Rename(string name) => (call, _) => call with { Name = name };

    private static FunctionCall Call(string name, params Expr[] args) => new(name, args.ToEquatableArray());

    /// <summary>Spark's collect_list/collect_set skip nulls; DuckDB's list keeps them.</summary>
    private static FunctionCall WithoutNulls(FunctionCall call)
    {
        var notNull = new IsNull(call.Args[0], true);
        return call with { Filter = call.Filter is null ? notNull : new Binary(BinaryOp.And, call.Filter, notNull) };
    }

    /// <summary>Spark concat is null if any argument is null, as DuckDB's || is (DuckDB's concat skips nulls).</summary>
    private static Expr Concat(FunctionCall call, Dialect dialect)
    {
        if (call.Args.IsEmpty)
        {
            return Literal.Of(string.Empty);
        }

        var result = call.Args[0];
        for (var i = 1; i < call.Args.Count; i++)
        {
            result = new Binary(BinaryOp.Concat, result, call.Args[i]);
        }

        return call.Args.Count == 1 ? new Cast(result, SparkType.String) : result;
    }

    private static Expr Sha2(FunctionCall call, Dialect dialect) =>
        call.Args.Count == 2 && call.Args[1] is Literal { Value: "256" }
            ? Call("sha256", call.Args[0])
            : throw dialect.Unsupported("sha2 with a bit length other than 256");

    /// <summary>Spark replaces every match and writes groups as $1; DuckDB needs the 'g' flag and \1.</summary>
    private static Expr RegexpReplace(FunctionCall call, Dialect dialect)
    {
        if (call.Args.Count != 3)
        {
            throw dialect.Unsupported("regexp_replace with a position argument");
        }

        var replacement = call.Args[2] switch
        {
            Literal { Kind: LiteralKind.String } literal => Literal.Of(System.Text.RegularExpressions.Regex.Replace(literal.Value, @"\$(\d)", @"\$1")),
            _ => throw dialect.Unsupported("regexp_replace with a non-literal replacement"),
        };
        return Call("regexp_replace", call.Args[0], call.Args[1], replacement, Literal.Of("g"));
    }

    private static Literal TruncUnit(Expr unit, Dialect dialect) => unit switch
    {
        Literal { Kind: LiteralKind.String } literal => literal.Value.ToUpperInvariant() switch
        {
            "YEAR" or "YYYY" or "YY" => Literal.Of("year"),
            "QUARTER" => Literal.Of("quarter"),
            "MONTH" or "MM" or "MON" => Literal.Of("month"),
            "WEEK" => Literal.Of("week"),
            _ => throw dialect.Unsupported($"trunc to '{literal.Value}'"),
        },
        _ => throw dialect.Unsupported("trunc with a non-literal unit"),
    };

    /// <summary>A Java DateTimeFormatter pattern (Spark) as a strftime pattern (DuckDB).</summary>
    private static Literal Format(Expr pattern, Dialect dialect)
    {
        if (pattern is not Literal { Kind: LiteralKind.String } literal)
        {
            throw dialect.Unsupported("a date format that is not a literal");
        }

        return Literal.Of(JavaToStrftime(literal.Value) ?? throw dialect.Unsupported($"the date format '{literal.Value}'"));
    }

    private static readonly FrozenDictionary<string, string> DateFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["yyyy"] = "%Y",
        ["yy"] = "%y",
        ["MMMM"] = "%B",
        ["MMM"] = "%b",
        ["MM"] = "%m",
        ["dd"] = "%d",
        ["d"] = "%-d",
        ["HH"] = "%H",
        ["hh"] = "%I",
        ["mm"] = "%M",
        ["ss"] = "%S",
        ["SSS"] = "%g",
        ["SSSSSS"] = "%f",
        ["EEEE"] = "%A",
        ["EEE"] = "%a",
        ["a"] = "%p",
        ["M"] = "%-m",
        ["H"] = "%-H",
        ["DDD"] = "%j",
    }.ToFrozenDictionary();

    internal static string? JavaToStrftime(string pattern)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var close = pattern.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    return null;
                }

                result.Append(pattern, i + 1, close - i - 1);
                i = close + 1;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                result.Append(c == '%' ? "%%" : c.ToString(CultureInfo.InvariantCulture));
                i++;
                continue;
            }

            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c)
            {
                run++;
            }

            if (!DateFields.TryGetValue(new string(c, run), out var field))
            {
                return null;
            }

            result.Append(field);
            i += run;
        }

        return result.ToString();
    }
}
