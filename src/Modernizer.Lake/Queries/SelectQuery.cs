using System.Collections.Immutable;

namespace Modernizer.Lake.Queries;

public sealed record SelectItem(SqlExpr Expression, string? Alias);

public sealed record OrderItem(SqlExpr Expression, bool Descending);

/// <summary>Where rows come from.</summary>
public abstract record Relation;

/// <summary>A table by name (<c>catalog.schema.table</c>), quoted per dialect.</summary>
public sealed record NamedTable(ImmutableArray<string> Parts) : Relation;

/// <summary>A relation expression produced by the product itself (e.g. <c>DuckDbRelation.Render</c>),
/// valid only in the dialect it was made for.</summary>
public sealed record EngineRelation(Engines.SqlDialect Dialect, string Sql) : Relation;

public sealed record SubqueryRelation(SelectQuery Query, string Alias) : Relation;

/// <summary>SELECT list FROM relation [WHERE] [GROUP BY] [ORDER BY] [LIMIT].</summary>
public sealed record SelectQuery(
    ImmutableArray<SelectItem> Items,
    Relation From,
    SqlExpr? Where,
    ImmutableArray<SqlExpr> GroupBy,
    ImmutableArray<OrderItem> OrderBy,
    long? Limit)
{
    public SelectQuery WithWhere(SqlExpr predicate) => this with { Where = Where is null ? predicate : new Binary(BinaryOp.And, Where, predicate) };
}

/// <summary>Builders that keep query code short: <c>Sql.Select(Sql.Count()).From(rel).Where(...)</c>.</summary>
public static class Sql
{
    public static Column Col(params string[] path) => new([.. path]);

    public static Value Val(object? value) => new(value);

    public static Number Num(decimal value) => new(value);

    public static Call Fn(string function, params SqlExpr[] arguments) => new(function, [.. arguments]);

    public static Call CountAll() => new(SqlFunctions.Count, [new Star()]);

    public static Call CountDistinct(SqlExpr e) => new(SqlFunctions.Count, [e], Distinct: true);

    public static Binary Eq(SqlExpr l, SqlExpr r) => new(BinaryOp.Eq, l, r);

    public static Binary Lt(SqlExpr l, SqlExpr r) => new(BinaryOp.Lt, l, r);

    public static Binary Gt(SqlExpr l, SqlExpr r) => new(BinaryOp.Gt, l, r);

    public static Binary And(SqlExpr l, SqlExpr r) => new(BinaryOp.And, l, r);

    public static Binary Or(SqlExpr l, SqlExpr r) => new(BinaryOp.Or, l, r);

    public static Unary Not(SqlExpr e) => new(UnaryOp.Not, e);

    public static Unary IsNull(SqlExpr e) => new(UnaryOp.IsNull, e);

    public static Unary IsNotNull(SqlExpr e) => new(UnaryOp.IsNotNull, e);

    public static SelectItem As(this SqlExpr e, string alias) => new(e, alias);

    public static SelectBuilder Select(params SelectItem[] items) => new([.. items]);

    public static SelectBuilder Select(IEnumerable<SelectItem> items) => new([.. items]);
}

public sealed class SelectBuilder(ImmutableArray<SelectItem> items)
{
    public SelectQuery From(Relation relation) => new(items, relation, null, [], [], null);
}

public static class SelectQueryExtensions
{
    public static SelectQuery Where(this SelectQuery query, SqlExpr predicate) => query.WithWhere(predicate);

    public static SelectQuery GroupBy(this SelectQuery query, params SqlExpr[] keys) => query with { GroupBy = [.. keys] };

    public static SelectQuery OrderBy(this SelectQuery query, SqlExpr key, bool descending = false) => query with { OrderBy = query.OrderBy.Add(new OrderItem(key, descending)) };

    public static SelectQuery Limit(this SelectQuery query, long limit) => query with { Limit = limit };
}
