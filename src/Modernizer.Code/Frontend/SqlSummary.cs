using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

/// <summary>What a Spark SQL text does, as far as lineage and rules need it.</summary>
internal sealed record SqlSummary(
    ImmutableArray<string> Reads,
    ImmutableArray<SqlWrite> Writes,
    ImmutableArray<string> TempViews,
    ImmutableArray<SqlFinding> Findings,
    ImmutableArray<string> OutputColumns,
    string? Error)
{
    public static SqlSummary Empty { get; } = new([], [], [], [], [], null);
}

internal sealed record SqlWrite(string Table, string Kind, bool HasPartitionFilter);

/// <summary>A finding inside SQL text: <paramref name="Kind"/> is select_star, cross_join,
/// window_without_partition, integer_division, round, float_equality; line is relative to the text.</summary>
internal sealed record SqlFinding(string Kind, int RelativeLine, string Detail);

/// <summary>Reads Spark SQL text into a <see cref="SqlSummary"/>.</summary>
internal interface ISqlReader
{
    SqlSummary Read(string sql);
}
