using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

/// <summary>What a Spark SQL text does, as far as lineage and rules need it.</summary>
internal sealed record SqlSummary(
    ImmutableArray<string> Reads,
    ImmutableArray<SqlWrite> Writes,
    ImmutableArray<string> TempViews,
    ImmutableArray<SqlFinding> Findings,
    ImmutableArray<SqlOutputColumn> OutputColumns,
    string? Error)
{
    public static SqlSummary Empty { get; } = new([], [], [], [], [], null);

    /// <summary>True when the output has a <c>*</c> that could not be expanded.</summary>
    public bool OpenOutput { get; init; }

    /// <summary>The database (or catalog.database) of the text's last <c>USE</c>, if any.</summary>
    public string? Use { get; init; }

    /// <summary>Time-travel reads: table → <c>VERSION AS OF</c> / <c>TIMESTAMP AS OF</c> value.</summary>
    public ImmutableDictionary<string, string> Versions { get; init; } = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);
}

/// <summary>An output column of the statement's main query and the table columns it reads
/// (<c>schema.table.column</c>); <paramref name="Direct"/> is false for computed expressions.</summary>
internal sealed record SqlOutputColumn(string Name, ImmutableArray<ColumnRef> Sources, bool Aggregated, bool Computed);

internal sealed record SqlWrite(string Table, string Kind, bool HasPartitionFilter, int RelativeLine)
{
    /// <summary>Output columns of the query feeding the write, when there is one.</summary>
    public ImmutableArray<SqlOutputColumn> Columns { get; init; } = [];
}

/// <summary>A finding inside SQL text: <paramref name="Kind"/> is select_star, cross_join,
/// window_without_partition, integer_division, round, float_equality; line is relative to the text.</summary>
internal sealed record SqlFinding(string Kind, int RelativeLine, string Detail);

/// <summary>Reads Spark SQL text into a <see cref="SqlSummary"/>.</summary>
internal interface ISqlReader
{
    SqlSummary Read(string sql);
}
