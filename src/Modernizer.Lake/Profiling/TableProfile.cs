using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Modernizer.Lake.Profiling;

/// <summary>profile.json (docs/workspace.md; R2.2). <c>count</c> is the number of non-null values;
/// every statistic that is estimated says so (<c>distinct_exact</c>, <c>quantiles_exact</c>,
/// <c>top_values_exact</c>).</summary>
public sealed record TableProfile(
    string Table,
    long? Version,
    string Format,
    long Rows,
    int Files,
    long Bytes,
    string Engine,
    string EngineVersion,
    ImmutableArray<ColumnProfile> Columns);

public sealed record ColumnProfile(
    string Name,
    string Type,
    long Count,
    long Nulls,
    double NullRate,
    long? Distinct,
    bool? DistinctExact,
    JsonNode? Min,
    JsonNode? Max,
    JsonNode? Mean,
    double? Stddev,
    ImmutableSortedDictionary<string, JsonNode?> Quantiles,
    bool QuantilesExact,
    ImmutableArray<TopValue> TopValues,
    bool TopValuesExact,
    LengthStats? Lengths,
    long? Zeros,
    long? Negatives,
    Histogram? Histogram)
{
    /// <summary>Metrics the engine could not compute for this column's type, each with the
    /// engine's reason; they are absent above rather than failing the table.</summary>
    public ImmutableArray<string> Omitted { get; init; } = [];
}

/// <summary>A frequent value with its exact count.</summary>
public sealed record TopValue(JsonNode? Value, long Count);

/// <summary>String length (characters), or the number of elements of an array or entries of a map.</summary>
public sealed record LengthStats(long? Min, double? Avg, long? Max);

/// <summary>Equal-width bins: bin i counts values in (Bounds[i], Bounds[i+1]], the first bin
/// including Bounds[0].</summary>
public sealed record Histogram(ImmutableArray<double> Bounds, ImmutableArray<long> Counts);

/// <summary>Profiling knobs. Distinct counts are exact on tables of at most
/// <see cref="ExactDistinctMaxRows"/> rows. Larger tables are estimated first (HyperLogLog), then
/// every column whose estimate is below <see cref="ExactDistinctBelow"/> or reaches
/// <see cref="KeyLikeRatio"/> of its values is recounted exactly; the others stay estimates, marked
/// so.</summary>
public sealed record ProfileOptions
{
    public int TopK { get; init; } = 5;

    public int HistogramBins { get; init; } = 10;

    public long ExactDistinctMaxRows { get; init; } = 25_000_000;

    public long ExactDistinctBelow { get; init; } = 1_000_000;

    public double KeyLikeRatio { get; init; } = 0.9;

    public static ProfileOptions Default { get; } = new();
}
