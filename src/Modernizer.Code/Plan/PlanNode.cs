using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>A logical plan operator (R2.1). One sealed record per operator; children are declared
/// explicitly so <see cref="PlanTree"/> can walk and rebuild any plan without reflection. The span
/// (where the operator came from) is metadata and left out of equality.</summary>
public abstract record PlanNode
{
    public SourceSpan Span { get; init; }

    public abstract EquatableArray<PlanNode> Children { get; }

    /// <summary>The same operator over new children (same count, same order as <see cref="Children"/>).</summary>
    public abstract PlanNode WithChildren(EquatableArray<PlanNode> children);

    public virtual bool Equals(PlanNode? other) =>
        other is not null && (ReferenceEquals(this, other) || EqualityContract == other.EqualityContract);

    public override int GetHashCode() => EqualityContract.GetHashCode();

    private protected static void CheckArity(EquatableArray<PlanNode> children, int expected, string node)
    {
        if (children.Count != expected)
        {
            throw new ArgumentException($"{node} takes {expected} children, got {children.Count}.", nameof(children));
        }
    }
}

/// <summary>A leaf-less operator with one input.</summary>
public abstract record UnaryPlanNode(PlanNode Input) : PlanNode
{
    public override EquatableArray<PlanNode> Children => [Input];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 1, GetType().Name);
        return this with { Input = children[0] };
    }
}

/// <summary>Reads a table or view by name. <see cref="Schema"/> is the resolved schema when known.</summary>
public sealed record Scan(TableName Table, Schema Schema) : PlanNode
{
    /// <summary>VERSION/TIMESTAMP AS OF, when written.</summary>
    public TimeTravel? TimeTravel { get; init; }

    public override EquatableArray<PlanNode> Children => [];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 0, nameof(Scan));
        return this;
    }
}

/// <summary>Rows of <see cref="Input"/> where <see cref="Predicate"/> is true.</summary>
public sealed record Filter(PlanNode Input, Expr Predicate) : UnaryPlanNode(Input);

/// <summary>Computes <see cref="Expressions"/> (each named: a column or an <see cref="Alias"/>) per row.</summary>
public sealed record Project(PlanNode Input, EquatableArray<Expr> Expressions) : UnaryPlanNode(Input);

public enum JoinType
{
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    Cross,
    LeftSemi,
    LeftAnti,
}

public sealed record Join(PlanNode Left, PlanNode Right, JoinType Type, Expr? Condition) : PlanNode
{
    /// <summary>USING (cols) as written; the condition holds the equivalent equalities.</summary>
    public EquatableArray<string> Using { get; init; }

    public bool Natural { get; init; }

    /// <summary>Hints that named one side (BROADCAST etc.), kept for the emitter.</summary>
    public EquatableArray<Hint> Hints { get; init; }

    /// <summary>Equi-join key pairs (left, right) found in the condition's top-level conjuncts.</summary>
    public EquatableArray<(Expr Left, Expr Right)> Keys => JoinKeys.Extract(Condition);

    public override EquatableArray<PlanNode> Children => [Left, Right];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 2, nameof(Join));
        return this with { Left = children[0], Right = children[1] };
    }
}

/// <summary>GROUP BY <see cref="GroupKeys"/> computing <see cref="Aggregates"/> (the output list:
/// grouping columns and aggregate calls, each named). For ROLLUP/CUBE/GROUPING SETS,
/// <see cref="Grouping"/> and <see cref="GroupingSets"/> say which key combinations are produced.</summary>
public sealed record Aggregate(PlanNode Input, EquatableArray<Expr> GroupKeys, EquatableArray<Expr> Aggregates) : UnaryPlanNode(Input)
{
    public GroupingKind Grouping { get; init; } = GroupingKind.Plain;

    public EquatableArray<EquatableArray<Expr>> GroupingSets { get; init; }
}

/// <summary>Adds window function columns (each an <see cref="Alias"/> over a <see cref="FunctionCall"/>
/// with <see cref="FunctionCall.Over"/>) to every input row.</summary>
public sealed record Window(PlanNode Input, EquatableArray<Expr> WindowExpressions) : UnaryPlanNode(Input);

public sealed record Union(PlanNode Left, PlanNode Right, bool All) : PlanNode
{
    /// <summary>unionByName / UNION BY NAME: columns matched by name, not position.</summary>
    public bool ByName { get; init; }

    /// <summary>unionByName(allowMissingColumns = true).</summary>
    public bool AllowMissingColumns { get; init; }

    public override EquatableArray<PlanNode> Children => [Left, Right];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 2, nameof(Union));
        return this with { Left = children[0], Right = children[1] };
    }
}

public sealed record Intersect(PlanNode Left, PlanNode Right, bool All) : PlanNode
{
    public override EquatableArray<PlanNode> Children => [Left, Right];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 2, nameof(Intersect));
        return this with { Left = children[0], Right = children[1] };
    }
}

public sealed record Except(PlanNode Left, PlanNode Right, bool All) : PlanNode
{
    public override EquatableArray<PlanNode> Children => [Left, Right];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 2, nameof(Except));
        return this with { Left = children[0], Right = children[1] };
    }
}

/// <summary>SELECT DISTINCT / dropDuplicates(); <see cref="Columns"/> non-empty for dropDuplicates(subset).</summary>
public sealed record Distinct(PlanNode Input) : UnaryPlanNode(Input)
{
    public EquatableArray<string> Columns { get; init; }
}

/// <summary>ORDER BY (global) or SORT BY (within partitions, <see cref="Global"/> false).</summary>
public sealed record Sort(PlanNode Input, EquatableArray<SortItem> Order) : UnaryPlanNode(Input)
{
    public bool Global { get; init; } = true;
}

public sealed record Limit(PlanNode Input, Expr Count) : UnaryPlanNode(Input)
{
    public Expr? Offset { get; init; }
}

/// <summary>Names its input (a table alias, a derived table, a CTE or view reference).</summary>
public sealed record SubqueryAlias(PlanNode Input, string Alias) : UnaryPlanNode(Input)
{
    public EquatableArray<string> ColumnAliases { get; init; }
}

/// <summary>Literal rows (VALUES, createDataFrame of literals).</summary>
public sealed record Values(EquatableArray<EquatableArray<Expr>> Rows, Schema Schema) : PlanNode
{
    public override EquatableArray<PlanNode> Children => [];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 0, nameof(Values));
        return this;
    }
}

/// <summary>A generator (explode, posexplode, inline, stack, ...) joined laterally to each input row.</summary>
public sealed record Generate(PlanNode Input, FunctionCall Generator, bool Outer, string? Alias, EquatableArray<string> ColumnNames) : UnaryPlanNode(Input);

public enum WriteMode
{
    Append,
    Overwrite,
    ErrorIfExists,
    Ignore,
    Merge,
    Update,
    Delete,
}

/// <summary>MERGE details: the source is <see cref="Write.Input"/>, the target the write target.</summary>
public sealed record MergeSpec(Expr On, string? TargetAlias, string? SourceAlias, EquatableArray<MergeClause> Clauses);

/// <summary>Writes <see cref="Input"/> to <see cref="Target"/>. For UPDATE and DELETE the input is
/// the target scan, with <see cref="Assignments"/> and <see cref="Condition"/>.</summary>
public sealed record Write(PlanNode Input, TableName Target, WriteMode Mode) : UnaryPlanNode(Input)
{
    public string? Format { get; init; }

    public EquatableArray<string> PartitionColumns { get; init; }

    /// <summary>PARTITION (p = 'v') static values of INSERT OVERWRITE.</summary>
    public EquatableArray<PartitionValue> StaticPartitions { get; init; }

    /// <summary>Target column list (INSERT INTO t (a, b)).</summary>
    public EquatableArray<string> Columns { get; init; }

    /// <summary>True when the statement creates the table (CREATE TABLE AS, saveAsTable).</summary>
    public bool CreatesTable { get; init; }

    public bool ByName { get; init; }

    public MergeSpec? Merge { get; init; }

    public EquatableArray<Assignment> Assignments { get; init; }

    public Expr? Condition { get; init; }

    public string? Location { get; init; }
}

/// <summary>CREATE VIEW / createOrReplaceTempView: names a plan; nothing is written.</summary>
public sealed record DefineView(PlanNode Input, TableName Name, ViewKind Kind, bool Replace) : UnaryPlanNode(Input);

/// <summary>Logic that could not be lifted into relational operators (a Python UDF body, an
/// unsupported statement). Conservative: optimizations must not push filters or limits through it,
/// and its output schema is only what <see cref="Schema"/> says.</summary>
public sealed record Opaque(EquatableArray<PlanNode> Inputs, SourceSpan Source, string Reason) : PlanNode
{
    public Schema Schema { get; init; } = Schema.Unknown;

    /// <summary>The source text, when short enough to keep.</summary>
    public string? Text { get; init; }

    /// <summary>A statement kept verbatim (OPTIMIZE, VACUUM, SET...): no data effect the plan models;
    /// the Spark emitter writes <see cref="Text"/> back unchanged.</summary>
    public bool PassThrough { get; init; }

    public override EquatableArray<PlanNode> Children => Inputs;

    public override PlanNode WithChildren(EquatableArray<PlanNode> children) => this with { Inputs = children };
}

/// <summary>A Python loop over collected rows of <see cref="Source"/> (P2). <see cref="Body"/>
/// points at the loop body in the source file; the loop-lifting rewrite replaces this node with
/// set-based operators when it can.</summary>
public sealed record Loop(PlanNode Source, string Variable, SourceSpan Body) : PlanNode
{
    /// <summary>Plans the body produces per iteration (writes, appends), when the frontend could build them.</summary>
    public EquatableArray<PlanNode> BodyPlans { get; init; }

    public string? File { get; init; }

    public override EquatableArray<PlanNode> Children => [Source, .. BodyPlans];

    public override PlanNode WithChildren(EquatableArray<PlanNode> children)
    {
        CheckArity(children, 1 + BodyPlans.Count, nameof(Loop));
        return this with { Source = children[0], BodyPlans = children.Items.RemoveAt(0) };
    }
}

public enum SubqueryKind
{
    Scalar,
    Exists,
    In,
}

/// <summary>A subquery inside a plan expression (the plan form of <see cref="ScalarSubquery"/>,
/// <see cref="Exists"/> and <see cref="InSubquery"/>).</summary>
public sealed record PlanSubquery(SubqueryKind Kind, PlanNode Plan) : Expr
{
    public Expr? Operand { get; init; }

    public bool Negated { get; init; }
}
