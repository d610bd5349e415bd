using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Specs.Plans;

/// <summary>A construct of the job's plan that carries business meaning and needs a requirement and
/// tests: a filter conjunct, a join, an aggregation, a CASE, a derived column, a window, a Python loop,
/// a write. <see cref="Id"/> is stable for the same code (kind letter and order of appearance).</summary>
public abstract record PlanSite(string Id, SpanRef Span)
{
    /// <summary>The site kind as the spec names it: filter, join, aggregate, case, derived_column, window, loop, write.</summary>
    public abstract string Kind { get; }

    /// <summary>The construct as written (Spark SQL text of the plan node).</summary>
    public abstract string Text { get; }

    /// <summary>Input tables the construct reads (through its input plan).</summary>
    public ImmutableArray<string> Tables { get; init; } = [];

    /// <summary>Output tables the construct reaches (the writes above it).</summary>
    public ImmutableArray<string> Targets { get; init; } = [];
}

public sealed record FilterSite(string Id, SpanRef Span, Expr Predicate, ImmutableArray<ColumnUse> Columns, PredicateAtom? Atom, bool RunTimeValue) : PlanSite(Id, Span)
{
    public override string Kind => "filter";

    public override string Text => Predicates.ToSpark(Predicate);

    /// <summary>The one input table all its columns come from, when there is one (evaluable there).</summary>
    public string? Table => Columns.Length > 0 && Columns.All(c => c.IsInput) && Columns.Select(c => c.Table).Distinct(StringComparer.Ordinal).Count() == 1 ? Columns[0].Table : null;
}

public sealed record JoinKeyPair(ColumnUse Left, ColumnUse Right);

public sealed record JoinSite(string Id, SpanRef Span, JoinType Type, ImmutableArray<string> LeftTables, ImmutableArray<string> RightTables, ImmutableArray<JoinKeyPair> Keys, string Condition) : PlanSite(Id, Span)
{
    public override string Kind => "join";

    public override string Text => $"{Type} join of {string.Join("+", LeftTables)} with {string.Join("+", RightTables)}" + (Condition.Length > 0 ? " on " + Condition : string.Empty);
}

/// <summary>An output expression and the columns it reads.</summary>
public sealed record OutputExpression(string Name, string Sql, ImmutableArray<ColumnUse> Inputs);

public sealed record AggregateSite(string Id, SpanRef Span, ImmutableArray<ColumnUse> Keys, ImmutableArray<OutputExpression> Aggregates) : PlanSite(Id, Span)
{
    public override string Kind => "aggregate";

    public override string Text => (Keys.IsEmpty ? "aggregate all rows" : "group by " + string.Join(", ", Keys.Select(k => k.Column))) + ": " + string.Join(", ", Aggregates.Select(a => a.Sql));
}

public sealed record DerivedColumnSite(string Id, SpanRef Span, string Name, Expr Expression, ImmutableArray<ColumnUse> Inputs) : PlanSite(Id, Span)
{
    public override string Kind => "derived_column";

    public override string Text => $"{Name} = {Predicates.ToSpark(Expression)}";
}

/// <summary>One arm of a CASE: its condition (null for ELSE) and result.</summary>
public sealed record CaseArm(int Index, Expr? Condition, Expr Result, PredicateAtom? Atom)
{
    public string Label => Condition is null ? "ELSE" : "WHEN " + Predicates.ToSpark(Condition);
}

public sealed record CaseSite(string Id, SpanRef Span, string? Column, Case Expression, ImmutableArray<CaseArm> Arms, ImmutableArray<ColumnUse> Inputs) : PlanSite(Id, Span)
{
    public override string Kind => "case";

    public override string Text => Predicates.ToSpark(Expression);
}

public sealed record WindowSite(string Id, SpanRef Span, string Name, string Sql, ImmutableArray<ColumnUse> PartitionBy, ImmutableArray<ColumnUse> OrderBy) : PlanSite(Id, Span)
{
    public override string Kind => "window";

    public override string Text => $"{Name} = {Sql}";
}

/// <summary>A dict built from collected rows and used as a lookup (<c>fx[(r.rate_date, r.currency)] = r.rate</c>).</summary>
public sealed record DictLookup(string Dictionary, ImmutableArray<string> KeyColumns, string Value, SpanRef Built, ImmutableArray<SpanRef> UsedAt);

/// <summary>A Python loop over collected rows (P2): its source and the per-row logic's span.</summary>
public sealed record LoopSite(string Id, SpanRef Span, string Body, string Source, DictLookup? Lookup) : PlanSite(Id, Span)
{
    public override string Kind => "loop";

    public override string Text => Lookup is { } lookup
        ? $"loop over {Source} building the lookup {lookup.Dictionary}[({string.Join(", ", lookup.KeyColumns)})] = {lookup.Value}"
        : $"loop over {Source}: per-row Python logic at {Body}";
}

public sealed record WriteSite(string Id, SpanRef Span, string Target, WriteMode Mode, ImmutableArray<string> PartitionBy, string? Format, bool CreatesTable) : PlanSite(Id, Span)
{
    public override string Kind => "write";

    public override string Text => $"{Mode} {Target}" + (PartitionBy.IsEmpty ? string.Empty : " partitioned by " + string.Join(", ", PartitionBy));
}

/// <summary>The columns a site reads.</summary>
public static class SiteColumns
{
    public static IEnumerable<ColumnUse> Of(PlanSite site) => site switch
    {
        FilterSite f => f.Columns,
        JoinSite j => j.Keys.SelectMany(k => new[] { k.Left, k.Right }),
        AggregateSite a => a.Keys.Concat(a.Aggregates.SelectMany(x => x.Inputs)),
        DerivedColumnSite d => d.Inputs,
        CaseSite c => c.Inputs,
        WindowSite w => w.PartitionBy.Concat(w.OrderBy),
        _ => [],
    };
}
