using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

internal enum LoopKind
{
    /// <summary>Over rows brought to the driver (collect, toLocalIterator, iterrows...).</summary>
    Rows,

    /// <summary>Over a list written in the code (unrolled for constant propagation).</summary>
    Literal,

    While,
    Other,
}

internal sealed record LoopContext(LoopKind Kind, int Line, int EndLine, string Origin)
{
    /// <summary>The file the loop is written in (a helper in another file may run inside it).</summary>
    public string File { get; init; } = string.Empty;
}

/// <summary>Something the frontend observed while walking the job, with where it happened
/// (file, line, enclosing loops and function). Rules, defects and lineage read facts, not syntax.</summary>
internal abstract record Fact
{
    public required string File { get; init; }

    public required int Line { get; init; }

    public ImmutableArray<LoopContext> Loops { get; init; } = [];

    public string? Function { get; init; }

    public bool InExceptHandler { get; init; }

    public bool InLoop => !Loops.IsEmpty;

    public LoopContext? RowLoop => Loops.LastOrDefault(l => l.Kind == LoopKind.Rows);

    public LoopContext? InnermostLoop => Loops.IsEmpty ? null : Loops[^1];
}

internal sealed record ReadFact(string Table, string Via, double Confidence, string? Path) : Fact
{
    /// <summary>A time-travel read: <c>version 3</c> or <c>timestamp '2024-01-01'</c>; the table is the same table.</summary>
    public string? Version { get; init; }
}

internal sealed record WriteFact(string Table, string Method, string? Mode, string? Format, ImmutableArray<string> PartitionBy, bool HasPartitionFilter, DataFrameValue? Frame, double Confidence) : Fact
{
    public bool IsOverwrite => string.Equals(Mode, "overwrite", StringComparison.OrdinalIgnoreCase);
}

internal sealed record ActionFact(string Action, DataFrameValue Frame, bool Bounded) : Fact;

internal sealed record LoopFact(LoopKind Kind, string Origin, DataFrameValue? Source, int EndLine) : Fact
{
    /// <summary>The iterated expression as written (<c>schema_df.collect()</c>).</summary>
    public string? Iterable { get; init; }
}

internal sealed record FrameOpFact(string Operation, DataFrameValue Result) : Fact;

internal sealed record SqlFact(TextValue Text, bool Dynamic, SqlSummary Summary, int BaseLine, int EndLine) : Fact
{
    /// <summary>File line of a line relative to the SQL text (1-based).</summary>
    public int FileLine(int relativeLine) => relativeLine <= 0 ? Line : BaseLine + relativeLine - 1;
}

internal sealed record UdfFact(string Name, string Kind, string Use) : Fact;

internal sealed record RddFact(string Operation) : Fact;

internal sealed record JoinFact(string JoinType, ImmutableArray<string> Keys, string? Condition, bool HasCondition, DataFrameValue Left, DataFrameValue Right) : Fact
{
    /// <summary>Column names the condition reads (keys for USING joins).</summary>
    public ImmutableHashSet<string> ConditionColumns { get; init; } = [];

    /// <summary>Line of the join condition when written apart from the call.</summary>
    public int ConditionLine { get; init; }

    /// <summary>The frame the join produced.</summary>
    public int ResultFrameId { get; init; }

    /// <summary>Written as crossJoin (or CROSS JOIN): the product is what the code asks for.</summary>
    public bool Explicit { get; init; }

    /// <summary>A condition-less join whose condition follows in a filter (<c>a.join(b).where(a.id == b.id)</c>):
    /// Spark plans it as an inner join.</summary>
    public bool ConditionInWhere { get; init; }
}

/// <summary>A function returns a DataFrame: what happens to it next is the caller's (or another job's).</summary>
internal sealed record ReturnFact(DataFrameValue Frame) : Fact;

/// <summary>An output column computed with a masking function (hash, mask...).</summary>
internal sealed record MaskFact(string Column, string Expression) : Fact;

internal sealed record WindowFact(bool Partitioned, string Expression) : Fact;

internal sealed record RepartitionFact(string Method, int? Partitions, DataFrameValue Frame) : Fact;

internal sealed record FilterFact(string Condition, ImmutableHashSet<string> Columns) : Fact;

internal sealed record AggregateFact(ImmutableArray<string> Keys, ImmutableArray<string> Aggregates) : Fact;

internal sealed record MergeFact(string Target, string Condition, ImmutableArray<string> Clauses) : Fact;

internal sealed record TempViewFact(string Name) : Fact
{
    /// <summary>The view is over a DataFrame the frontend could not follow.</summary>
    public bool Unresolved { get; init; }
}

internal sealed record CreateDataFrameFact(bool FromDriverData) : Fact;

/// <summary>A Python-level operation on data values (collected rows, their fields).</summary>
internal sealed record DriverOpFact(string Operation, string Detail, bool OnData) : Fact;

/// <summary>A Spark column expression worth a second look (rounding, division, comparisons).</summary>
internal sealed record ExpressionFact(string Operation, string Sql, string Detail) : Fact;

internal sealed record ExceptFact(bool Swallowed, bool Broad, string Handling) : Fact;

internal sealed record UnresolvedFact(string What, string Reason) : Fact;

/// <summary>A run-time setting read with a default in code (spark.conf.get, os.environ.get...).</summary>
internal sealed record SettingDefaultFact(string Setting, string Value) : Fact;

internal sealed record NumberFact(string Value, string Context) : Fact;
