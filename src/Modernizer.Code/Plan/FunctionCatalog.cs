using System.Collections.Frozen;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

public enum FunctionKind
{
    Scalar,
    Aggregate,
    /// <summary>Ranking/offset functions that only run with OVER.</summary>
    Window,
    /// <summary>Produces rows: explode, posexplode, inline, stack, json_tuple.</summary>
    Generator,
    /// <summary>Non-deterministic (rand, uuid, current_timestamp...).</summary>
    NonDeterministic,
}

/// <summary>A known function: its kind and the rule giving its result type from argument types.
/// <see cref="NullOnNullInput"/> is true when any null argument makes the result null.</summary>
public sealed record FunctionInfo(string Name, FunctionKind Kind, Func<IReadOnlyList<SparkType>, SparkType> ReturnType, bool NullOnNullInput = true);

/// <summary>The common Spark function library, looked up case-insensitively, with return-type
/// rules (Spark 3.x semantics, non-ANSI).</summary>
public static class FunctionCatalog
{
    private static readonly FrozenDictionary<string, FunctionInfo> Functions = Build().ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public static FunctionInfo? Find(string name) =>
        Functions.TryGetValue(name, out var info) ? info
        : Lifting.Semantics.SemanticLibrary.Find(name) is { } library ? new FunctionInfo(name, FunctionKind.Scalar, Fixed(Sql.Types.SparkTypeText.Parse(library.SparkReturnType)), false)
        : null;

    public static bool IsAggregate(string name) => Find(name)?.Kind == FunctionKind.Aggregate;

    public static bool IsGenerator(string name) => Find(name)?.Kind == FunctionKind.Generator;

    public static IEnumerable<string> Names => Functions.Keys;

    private static SparkType Arg(IReadOnlyList<SparkType> args, int index) => index < args.Count ? args[index] : SparkType.Unknown;

    private static Func<IReadOnlyList<SparkType>, SparkType> Fixed(SparkType type) => _ => type;

    private static SparkType First(IReadOnlyList<SparkType> args) => Arg(args, 0);

    private static SparkType WidestOfAll(IReadOnlyList<SparkType> args) => TypeCoercion.WiderAll(args);

    private static SparkType Sum(IReadOnlyList<SparkType> args) => Arg(args, 0) switch
    {
        IntegralType => SparkType.Long,
        DecimalType d => DecimalType.Bounded(d.Precision + 10, d.Scale),
        UnknownType => SparkType.Unknown,
        _ => SparkType.Double,
    };

    private static SparkType Average(IReadOnlyList<SparkType> args) => Arg(args, 0) switch
    {
        DecimalType d => DecimalType.Bounded(d.Precision + 4, d.Scale + 4),
        UnknownType => SparkType.Unknown,
        _ => SparkType.Double,
    };

    private static SparkType FloorCeil(IReadOnlyList<SparkType> args) => Arg(args, 0) switch
    {
        DecimalType d when args.Count == 1 => DecimalType.Bounded(d.Precision - d.Scale + 1, 0),
        DecimalType d => d,
        UnknownType => SparkType.Unknown,
        _ => SparkType.Long,
    };

    private static SparkType Element(IReadOnlyList<SparkType> args) => Arg(args, 0) switch
    {
        ArrayType array => array.Element,
        MapType map => map.Value,
        _ => SparkType.Unknown,
    };

    private static IEnumerable<FunctionInfo> Build()
    {
        FunctionInfo Scalar(string name, Func<IReadOnlyList<SparkType>, SparkType> type, bool nullOnNull = true) => new(name, FunctionKind.Scalar, type, nullOnNull);
        FunctionInfo Aggregate(string name, Func<IReadOnlyList<SparkType>, SparkType> type) => new(name, FunctionKind.Aggregate, type, false);

        foreach (var name in new[] { "upper", "lower", "ucase", "lcase", "trim", "ltrim", "rtrim", "btrim", "substring", "substr", "lpad", "rpad", "regexp_replace", "regexp_extract", "replace", "initcap", "reverse", "repeat", "translate", "md5", "sha1", "sha2", "sha", "date_format", "from_unixtime", "get_json_object", "format_number", "format_string", "printf", "left", "right", "base64", "unbase64", "hex", "unhex", "soundex", "to_json", "split_part", "overlay", "chr", "char", "string", "encode", "decode", "to_char", "concat_ws", "current_user", "current_database", "current_catalog", "current_schema", "input_file_name", "typeof", "mask", "trim_both", "crc32_hex" })
        {
            yield return Scalar(name, Fixed(SparkType.String), name != "concat_ws");
        }

        yield return Scalar("concat", args => args.Count > 0 && args.All(a => a is ArrayType) ? args[0] : SparkType.String);
        foreach (var name in new[] { "length", "char_length", "character_length", "instr", "locate", "position", "ascii", "year", "month", "day", "dayofmonth", "hour", "minute", "second", "quarter", "dayofweek", "dayofyear", "weekofyear", "weekday", "datediff", "date_diff", "size", "array_size", "cardinality", "hash", "bit_length", "octet_length", "levenshtein", "sign", "signum", "crc32" })
        {
            yield return Scalar(name, Fixed(name is "crc32" or "sign" or "signum" ? (name == "crc32" ? SparkType.Long : SparkType.Double) : SparkType.Int), name is not ("size" or "array_size"));
        }

        foreach (var name in new[] { "current_date", "to_date", "date_add", "date_sub", "add_months", "last_day", "next_day", "trunc", "make_date", "date", "dateadd", "date_from_unix_date" })
        {
            yield return new FunctionInfo(name, name == "current_date" ? FunctionKind.NonDeterministic : FunctionKind.Scalar, Fixed(SparkType.Date));
        }

        foreach (var name in new[] { "current_timestamp", "now", "to_timestamp", "date_trunc", "from_utc_timestamp", "to_utc_timestamp", "timestamp", "make_timestamp", "timestamp_seconds", "timestamp_millis", "localtimestamp" })
        {
            yield return new FunctionInfo(name, name is "current_timestamp" or "now" or "localtimestamp" ? FunctionKind.NonDeterministic : FunctionKind.Scalar, Fixed(SparkType.Timestamp));
        }

        foreach (var name in new[] { "sqrt", "exp", "ln", "log", "log10", "log2", "pow", "power", "cbrt", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "degrees", "radians", "months_between", "double", "pi", "e" })
        {
            yield return Scalar(name, Fixed(SparkType.Double));
        }

        foreach (var name in new[] { "unix_timestamp", "to_unix_timestamp", "xxhash64", "bigint", "unix_date", "unix_seconds", "unix_millis" })
        {
            yield return Scalar(name, Fixed(name == "unix_date" ? SparkType.Int : SparkType.Long));
        }

        foreach (var name in new[] { "isnull", "isnotnull", "isnan", "array_contains", "exists", "forall", "startswith", "endswith", "contains", "rlike", "like", "ilike", "regexp_like", "boolean", "equal_null", "array_overlaps" })
        {
            yield return Scalar(name, Fixed(SparkType.Boolean), name is not ("isnull" or "isnotnull" or "equal_null"));
        }

        yield return Scalar("abs", First);
        yield return Scalar("negative", First);
        yield return Scalar("positive", First);
        yield return Scalar("round", First);
        yield return Scalar("bround", First);
        yield return Scalar("floor", FloorCeil);
        yield return Scalar("ceil", FloorCeil);
        yield return Scalar("ceiling", FloorCeil);
        yield return Scalar("mod", args => TypeCoercion.Remainder(Arg(args, 0), Arg(args, 1)));
        yield return Scalar("pmod", args => TypeCoercion.Remainder(Arg(args, 0), Arg(args, 1)));
        yield return Scalar("coalesce", WidestOfAll, false);
        yield return Scalar("nvl", WidestOfAll, false);
        yield return Scalar("ifnull", WidestOfAll, false);
        yield return Scalar("greatest", WidestOfAll, false);
        yield return Scalar("least", WidestOfAll, false);
        yield return Scalar("nullif", First, false);
        yield return Scalar("nvl2", args => TypeCoercion.WiderAll(args.Skip(1)), false);
        yield return Scalar("if", args => TypeCoercion.WiderAll(args.Skip(1)), false);
        yield return Scalar("iff", args => TypeCoercion.WiderAll(args.Skip(1)), false);
        yield return Scalar("element_at", Element);
        yield return Scalar("try_element_at", Element);
        yield return Scalar("get", Element);
        yield return Scalar("array", args => SparkType.Array(TypeCoercion.WiderAll(args)), false);
        yield return Scalar("split", Fixed(SparkType.Array(SparkType.String)));
        yield return Scalar("sequence", args => SparkType.Array(Arg(args, 0)));
        yield return Scalar("sort_array", First);
        yield return Scalar("array_sort", First);
        yield return Scalar("array_distinct", First);
        yield return Scalar("array_union", First);
        yield return Scalar("array_intersect", First);
        yield return Scalar("array_except", First);
        yield return Scalar("array_remove", First);
        yield return Scalar("filter", First);
        yield return Scalar("slice", First);
        yield return Scalar("flatten", args => Arg(args, 0) is ArrayType { Element: ArrayType inner } ? inner : SparkType.Unknown);
        yield return Scalar("array_join", Fixed(SparkType.String));
        yield return Scalar("map_keys", args => Arg(args, 0) is MapType map ? SparkType.Array(map.Key) : SparkType.Unknown);
        yield return Scalar("map_values", args => Arg(args, 0) is MapType map ? SparkType.Array(map.Value) : SparkType.Unknown);
        yield return Scalar("map", args => args.Count >= 2 ? SparkType.Map(Arg(args, 0), Arg(args, 1)) : SparkType.Unknown, false);
        yield return Scalar("transform", _ => SparkType.Unknown);
        yield return Scalar("aggregate", _ => SparkType.Unknown);
        yield return Scalar("from_json", _ => SparkType.Unknown);
        yield return Scalar("struct", _ => SparkType.Unknown, false);
        yield return Scalar("named_struct", _ => SparkType.Unknown, false);
        yield return Scalar("int", Fixed(SparkType.Int));
        yield return new FunctionInfo("rand", FunctionKind.NonDeterministic, Fixed(SparkType.Double), false);
        yield return new FunctionInfo("random", FunctionKind.NonDeterministic, Fixed(SparkType.Double), false);
        yield return new FunctionInfo("randn", FunctionKind.NonDeterministic, Fixed(SparkType.Double), false);
        yield return new FunctionInfo("uuid", FunctionKind.NonDeterministic, Fixed(SparkType.String), false);
        yield return new FunctionInfo("monotonically_increasing_id", FunctionKind.NonDeterministic, Fixed(SparkType.Long), false);
        yield return new FunctionInfo("spark_partition_id", FunctionKind.NonDeterministic, Fixed(SparkType.Int), false);

        // Functions the rewriter writes into plans (Python semantics, parameters, exact forms).
        yield return Scalar("py_round", Fixed(SparkType.Double));
        yield return Scalar("py_round_int", Fixed(SparkType.Long));
        yield return Scalar("py_floordiv", WidestOfAll);
        yield return Scalar("py_mod", WidestOfAll);
        yield return Scalar("py_strip", Fixed(SparkType.String));
        yield return Scalar("getvariable", Fixed(SparkType.String), false);
        yield return Scalar("try_divide", args => TypeCoercion.Divide(Arg(args, 0), Arg(args, 1)), false);
        yield return Scalar("timezone", Fixed(SparkType.TimestampNtz));
        yield return Scalar("epoch_us", Fixed(SparkType.Long));
        yield return Scalar("raise_error", Fixed(SparkType.Null), false);
        yield return Scalar("py_strptime", Fixed(SparkType.TimestampNtz));
        yield return Scalar("py_aware", Fixed(SparkType.Timestamp));
        yield return Scalar("py_local_datetime", Fixed(SparkType.TimestampNtz));
        yield return Scalar("py_epoch_seconds", Fixed(SparkType.Double));
        yield return Scalar("py_epoch_instant", Fixed(SparkType.Timestamp));
        yield return Scalar("py_fold_sum_list", Fixed(SparkType.Double), false);
        yield return new FunctionInfo("mz_scan_position", FunctionKind.NonDeterministic, Fixed(SparkType.Long), false);
        yield return Aggregate("py_last_by", First);
        yield return Aggregate("py_first_by", First);
        yield return Aggregate("py_fold_sum", Fixed(SparkType.Double));
        yield return Aggregate("py_window_list", args => SparkType.Array(Arg(args, 0)));

        yield return Aggregate("count", Fixed(SparkType.Long));
        yield return Aggregate("count_if", Fixed(SparkType.Long));
        yield return Aggregate("approx_count_distinct", Fixed(SparkType.Long));
        yield return Aggregate("sum", Sum);
        yield return Aggregate("avg", Average);
        yield return Aggregate("mean", Average);
        foreach (var name in new[] { "min", "max", "first", "last", "any_value", "first_value", "last_value", "max_by", "min_by", "mode", "median", "percentile_approx", "approx_percentile", "percentile" })
        {
            yield return Aggregate(name, name is "median" or "percentile" ? Fixed(SparkType.Double) : First);
        }

        foreach (var name in new[] { "stddev", "stddev_samp", "stddev_pop", "std", "variance", "var_samp", "var_pop", "corr", "covar_pop", "covar_samp", "skewness", "kurtosis" })
        {
            yield return Aggregate(name, Fixed(SparkType.Double));
        }

        foreach (var name in new[] { "collect_list", "collect_set", "array_agg" })
        {
            yield return Aggregate(name, args => SparkType.Array(Arg(args, 0), false));
        }

        foreach (var name in new[] { "bool_and", "bool_or", "every", "any", "some" })
        {
            yield return Aggregate(name, Fixed(SparkType.Boolean));
        }

        yield return Aggregate("grouping", Fixed(SparkType.Byte));
        yield return Aggregate("grouping_id", Fixed(SparkType.Long));

        foreach (var name in new[] { "row_number", "rank", "dense_rank", "ntile" })
        {
            yield return new FunctionInfo(name, FunctionKind.Window, Fixed(SparkType.Int), false);
        }

        yield return new FunctionInfo("percent_rank", FunctionKind.Window, Fixed(SparkType.Double), false);
        yield return new FunctionInfo("cume_dist", FunctionKind.Window, Fixed(SparkType.Double), false);
        foreach (var name in new[] { "lag", "lead", "nth_value" })
        {
            yield return new FunctionInfo(name, FunctionKind.Window, First, false);
        }

        foreach (var name in new[] { "explode", "explode_outer", "posexplode", "posexplode_outer", "inline", "inline_outer", "stack", "json_tuple" })
        {
            yield return new FunctionInfo(name, FunctionKind.Generator, Element, false);
        }
    }
}
