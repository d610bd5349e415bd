using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

/// <summary>How an output column depends on a source column (OpenLineage column-lineage facet).</summary>
internal enum LineageSubtype
{
    Identity,
    Transformation,
    Aggregation,
    Join,
    GroupBy,
    Filter,
    Sort,
    Window,
    Conditional,
}

internal readonly record struct ColumnSource(ColumnRef Column, LineageSubtype Subtype)
{
    public bool IsDirect => Subtype is LineageSubtype.Identity or LineageSubtype.Transformation or LineageSubtype.Aggregation;
}

[Flags]
internal enum ColumnTraits
{
    None = 0,
    Aggregate = 1,
    Window = 2,
    Udf = 4,
    Masking = 8,
    Literal = 16,
    Star = 32,
    Transformed = 64,
}

/// <summary>A PySpark column expression: its Spark SQL text, the column names it reads, what
/// kind of expression it is, and the output name when it has one.</summary>
internal sealed record ColumnValue(string Sql, ImmutableHashSet<string> Refs, ColumnTraits Traits, string? Name, int Line) : PyValue
{
    public static ColumnValue Ref(string name, int line) =>
        name == "*"
            ? new ColumnValue("*", [], ColumnTraits.Star, null, line)
            : new ColumnValue(QuoteIfNeeded(name), [name.ToLowerInvariant()], ColumnTraits.None, LastPart(name), line);

    public static ColumnValue Literal(string sql, int line) => new(sql, [], ColumnTraits.Literal, null, line);

    public bool Has(ColumnTraits trait) => (Traits & trait) != 0;

    public ColumnValue Derived(string sql, ColumnTraits extra, params ColumnValue[] others)
    {
        var refs = Refs;
        var traits = (Traits & ~ColumnTraits.Literal) | extra | ColumnTraits.Transformed;
        foreach (var other in others)
        {
            refs = refs.Union(other.Refs);
            traits |= other.Traits & ~ColumnTraits.Literal;
        }

        if (refs.IsEmpty && others.All(o => o.Has(ColumnTraits.Literal)) && Has(ColumnTraits.Literal))
        {
            traits |= ColumnTraits.Literal;
        }

        return new ColumnValue(sql, refs, traits, null, Line);
    }

    private static string LastPart(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[(dot + 1)..];
    }

    private static string QuoteIfNeeded(string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c is '_' or '.') ? name : "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
}

/// <summary>A DataFrame as the frontend tracks it: the tables it reads, where every known output
/// column comes from, the columns that shape all rows (filters, join keys, grouping), and the
/// operator chain for the plan text.</summary>
internal sealed record DataFrameValue(
    int Id,
    string Operator,
    ImmutableArray<DataFrameValue> Inputs,
    ImmutableHashSet<string> Sources,
    ImmutableDictionary<string, ImmutableHashSet<ColumnSource>> Columns,
    ImmutableArray<string> OpenTables,
    ImmutableHashSet<ColumnSource> Indirect,
    FrameTraits Traits,
    int Line) : PyValue
{
    public override Taint Taint => Taint.None;

    /// <summary>The operator in structured form, for the logical plan (Plan/).</summary>
    public FrameStep? Step { get; init; }

    public bool Has(FrameTraits trait) => (Traits & trait) != 0;

    /// <summary>Where a referenced column comes from: a known output column, else the same name
    /// in the tables whose columns are not enumerated.</summary>
    public ImmutableHashSet<ColumnRef> Resolve(string name)
    {
        var key = name.ToLowerInvariant();
        var dot = key.LastIndexOf('.');
        if (Columns.TryGetValue(key, out var sources) || (dot > 0 && Columns.TryGetValue(key[(dot + 1)..], out sources)))
        {
            return [.. sources.Where(s => s.IsDirect).Select(s => s.Column)];
        }

        var bare = dot > 0 ? key[(dot + 1)..] : key;
        return [.. OpenTables.Select(t => new ColumnRef(t, bare))];
    }

    public ImmutableHashSet<ColumnRef> Resolve(IEnumerable<string> names) =>
        names.Aggregate(ImmutableHashSet<ColumnRef>.Empty, (set, n) => set.Union(Resolve(n)));
}

/// <summary>One DataFrame operator as the plan builder needs it: expressions as Spark SQL text.</summary>
internal sealed record FrameStep(string Kind, ImmutableArray<string> Expressions, ImmutableArray<string> Keys, string? Condition = null, string? JoinType = null, string? Table = null)
{
    public static FrameStep Of(string kind, params string[] expressions) => new(kind, [.. expressions], []);
}

[Flags]
internal enum FrameTraits
{
    None = 0,
    Aggregated = 1,
    Deduplicated = 2,
    Limited = 4,
    Cached = 8,
    FromDriverData = 16,
    SingleRow = 32,
    SinglePartition = 64,
    Filtered = 128,
}
