using System.Collections.Immutable;

namespace Modernizer.Lake.Curation;

public enum JoinKind
{
    Inner,
    Left,
}

/// <summary>How the job builds a target column (from the code reviewer's lineage).</summary>
public enum MappingKind
{
    /// <summary>Copied as is (possibly renamed).</summary>
    Direct,

    /// <summary>An explicit CAST in the job.</summary>
    Cast,

    /// <summary>Computed by an expression over one or more source columns.</summary>
    Expression,

    /// <summary>An aggregate (sum, count, ...).</summary>
    Aggregate,
}

public sealed record SourceColumn(string Table, string Column);

public sealed record ColumnMapping(string TargetColumn, MappingKind Kind, ImmutableArray<SourceColumn> Sources, string? Expression = null);

/// <summary>One join of the job: <c>Left JOIN Right ON LeftKeys = RightKeys</c>.</summary>
public sealed record JoinEdge(string LeftTable, string RightTable, ImmutableArray<string> LeftKeys, ImmutableArray<string> RightKeys, JoinKind Kind = JoinKind.Inner);

/// <summary>The small typed lineage the raw-vs-curated check needs (issue item 6): the job's source
/// tables (the first is the driving table), its target, the joins, and how target columns are made.
/// The code reviewer produces it; tests build it by hand.</summary>
public sealed record JobLineageInput(
    ImmutableArray<string> SourceTables,
    string TargetTable,
    ImmutableArray<JoinEdge> Joins,
    ImmutableArray<ColumnMapping> Columns,
    bool Aggregates = false,
    bool Filters = false);
