namespace Modernizer.Code.Sql.Syntax;

/// <summary>A query body: a SELECT block, a set operation, VALUES, or a parenthesized
/// <see cref="Query"/>.</summary>
public abstract record QueryExpr : SqlNode;

public sealed record CommonTableExpression(string Name, EquatableArray<string> ColumnAliases, Query Query);

/// <summary>A full query: optional WITH, a body, and the query-level ORDER BY / LIMIT / OFFSET.
/// As a <see cref="QueryExpr"/> it stands for a parenthesized query.</summary>
public sealed record Query(EquatableArray<CommonTableExpression> With, QueryExpr Body, EquatableArray<SortItem> OrderBy, Expr? Limit, Expr? Offset) : QueryExpr
{
    /// <summary>Spark's SORT BY / DISTRIBUTE BY / CLUSTER BY (per-partition ordering, kept as written).</summary>
    public EquatableArray<Expr> ClusterBy { get; init; }

    public EquatableArray<Expr> DistributeBy { get; init; }

    public EquatableArray<SortItem> SortBy { get; init; }

    public static Query Of(QueryExpr body) => new([], body, [], null, null);
}

public sealed record Hint(string Name, EquatableArray<Expr> Args);

public sealed record NamedWindow(string Name, WindowSpec Spec);

public enum GroupingKind
{
    /// <summary>GROUP BY a, b</summary>
    Plain,
    /// <summary>GROUP BY a, b WITH ROLLUP or ROLLUP(a, b)</summary>
    Rollup,
    Cube,
    GroupingSets,
}

/// <summary>GROUP BY. For <see cref="GroupingKind.GroupingSets"/> the sets are in
/// <see cref="Sets"/>; <see cref="Expressions"/> holds the keys otherwise (and the GROUP BY list
/// before GROUPING SETS, if any). <see cref="All"/> is Databricks' GROUP BY ALL.</summary>
public sealed record GroupBy(GroupingKind Kind, EquatableArray<Expr> Expressions, EquatableArray<EquatableArray<Expr>> Sets)
{
    /// <summary>True when ROLLUP/CUBE was written as a WITH suffix.</summary>
    public bool WithSuffix { get; init; }

    public bool All { get; init; }
}

public sealed record LateralView(FunctionCall Generator, bool Outer, string TableAlias, EquatableArray<string> ColumnAliases) : SqlNode;

public sealed record Select(EquatableArray<Expr> Items) : QueryExpr
{
    public EquatableArray<Hint> Hints { get; init; }

    public bool Distinct { get; init; }

    /// <summary>FROM items; more than one means comma (cross) joins.</summary>
    public EquatableArray<Relation> From { get; init; }

    public EquatableArray<LateralView> LateralViews { get; init; }

    public Expr? Where { get; init; }

    public GroupBy? GroupBy { get; init; }

    public Expr? Having { get; init; }

    public EquatableArray<NamedWindow> Windows { get; init; }

    public Expr? Qualify { get; init; }
}

public enum SetOperator
{
    Union,
    Intersect,
    Except,
}

/// <summary>UNION/INTERSECT/EXCEPT (MINUS is read as EXCEPT; <see cref="Minus"/> keeps the spelling).</summary>
public sealed record SetOperation(SetOperator Operator, bool All, QueryExpr Left, QueryExpr Right) : QueryExpr
{
    /// <summary>DISTINCT written explicitly.</summary>
    public bool ExplicitDistinct { get; init; }

    public bool ByName { get; init; }

    public bool Minus { get; init; }
}

public sealed record ValuesQuery(EquatableArray<EquatableArray<Expr>> Rows) : QueryExpr;

/// <summary>A FROM item.</summary>
public abstract record Relation : SqlNode
{
    public string? Alias { get; init; }

    public EquatableArray<string> ColumnAliases { get; init; }
}

/// <summary>A table or view by name; <see cref="TimeTravel"/> holds <c>VERSION|TIMESTAMP AS OF</c>.</summary>
public sealed record TableRef(TableName Name) : Relation
{
    public TimeTravel? TimeTravel { get; init; }
}

public sealed record TimeTravel(bool ByVersion, Expr Value);

public sealed record DerivedTable(Query Query) : Relation
{
    public bool Lateral { get; init; }
}

/// <summary>A table-valued function in FROM: <c>range(10)</c>, <c>explode(array(1,2))</c>.</summary>
public sealed record TableFunction(FunctionCall Call) : Relation;

/// <summary><c>VALUES (..), (..) AS t(a, b)</c> in FROM.</summary>
public sealed record InlineTable(EquatableArray<EquatableArray<Expr>> Rows) : Relation;

public enum JoinKind
{
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    Cross,
    LeftSemi,
    LeftAnti,
}

public sealed record JoinRelation(JoinKind Kind, Relation Left, Relation Right) : Relation
{
    public Expr? On { get; init; }

    public EquatableArray<string> Using { get; init; }

    public bool Natural { get; init; }
}
