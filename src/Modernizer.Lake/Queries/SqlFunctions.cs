using System.Collections.Immutable;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Queries;

/// <summary>The canonical function vocabulary of generated queries and its spelling per dialect.
/// A function a dialect lacks is refused when rendering, never guessed.</summary>
public static class SqlFunctions
{
    public const string Count = "count";
    public const string CountIf = "count_if";
    public const string Sum = "sum";
    public const string Min = "min";
    public const string Max = "max";
    public const string Avg = "avg";
    public const string StddevSamp = "stddev_samp";
    public const string ApproxCountDistinct = "approx_count_distinct";
    public const string ApproxQuantile = "approx_quantile";
    public const string ApproxTopK = "approx_top_k";
    public const string Length = "length";
    /// <summary>The number of elements of an array.</summary>
    public const string Cardinality = "cardinality";

    /// <summary>The number of entries of a map (DuckDB's <c>len</c> takes lists only).</summary>
    public const string MapCardinality = "map_cardinality";
    public const string ToJsonText = "to_json_text";
    public const string Histogram = "histogram";

    private static readonly ImmutableDictionary<string, string> DuckDb = new Dictionary<string, string>
    {
        [Count] = "count",
        [CountIf] = "count_if",
        [Sum] = "sum",
        [Min] = "min",
        [Max] = "max",
        [Avg] = "avg",
        [StddevSamp] = "stddev_samp",
        [ApproxCountDistinct] = "approx_count_distinct",
        [ApproxQuantile] = "approx_quantile",
        [ApproxTopK] = "approx_top_k",
        [Length] = "length",
        [Cardinality] = "len",
        [MapCardinality] = "cardinality",
        [ToJsonText] = "to_json",
        [Histogram] = "histogram",
    }.ToImmutableDictionary();

    private static readonly ImmutableDictionary<string, string> Spark = new Dictionary<string, string>
    {
        [Count] = "count",
        [CountIf] = "count_if",
        [Sum] = "sum",
        [Min] = "min",
        [Max] = "max",
        [Avg] = "avg",
        [StddevSamp] = "stddev_samp",
        [ApproxCountDistinct] = "approx_count_distinct",
        [ApproxQuantile] = "percentile_approx",
        [Length] = "length",
        [Cardinality] = "size",
        [MapCardinality] = "size",
        [ToJsonText] = "to_json",
    }.ToImmutableDictionary();

    public static string Spell(string function, SqlDialect dialect)
    {
        var table = dialect == SqlDialect.DuckDb ? DuckDb : Spark;
        return table.TryGetValue(function, out var name)
            ? name
            : throw new UnsupportedSqlException($"function '{function}' is not available in {dialect}");
    }
}

/// <summary>A construct the target dialect cannot express; raised instead of emitting wrong SQL.</summary>
public sealed class UnsupportedSqlException : Exception
{
    public UnsupportedSqlException()
    {
    }

    public UnsupportedSqlException(string message)
        : base(message)
    {
    }

    public UnsupportedSqlException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
