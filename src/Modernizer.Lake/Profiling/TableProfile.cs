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
    Histogram? Histogram);

/// <summary>A frequent value with its exact count.</summary>
public sealed record TopValue(JsonNode? Value, long Count);

/// <summary>String length (characters) or collection size.</summary>
public sealed record LengthStats(long? Min, double? Avg, long? Max);

/// <summary>Equal-width bins: bin i counts values in (Bounds[i], Bounds[i+1]], the first bin
/// including Bounds[0].</summary>
public sealed record Histogram(ImmutableArray<double> Bounds, ImmutableArray<long> Counts);

/// <summary>Profiling knobs. A table with at most <see cref="SmallTableRows"/> rows gets exact
/// distinct counts everywhere; otherwise a column whose approximate distinct count reaches
/// <see cref="KeyLikeRatio"/> of its values is recounted exactly.</summary>
public sealed record ProfileOptions
{
    public int TopK { get; init; } = 5;

    public int HistogramBins { get; init; } = 10;

    public long SmallTableRows { get; init; } = 1_000_000;

    public double KeyLikeRatio { get; init; } = 0.9;

    public static ProfileOptions Default { get; } = new();
}
