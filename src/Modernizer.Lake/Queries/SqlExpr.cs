using System.Collections.Immutable;

namespace Modernizer.Lake.Queries;

/// <summary>The expressions of the queries the product generates (issue item 4). Values are always
/// <see cref="Value"/> nodes, bound as parameters when rendered; only numbers the product itself
/// chooses (quantile fractions, k) may be <see cref="Number"/> and printed inline.</summary>
public abstract record SqlExpr;

/// <summary>A column, or a field inside struct columns: <c>Path = ["info", "city"]</c>.</summary>
public sealed record Column(ImmutableArray<string> Path) : SqlExpr
{
    public string DisplayName => string.Join('.', Path);
}

/// <summary>A value from outside the product's own code (a user's bound, a value from data):
/// always a bound parameter.</summary>
public sealed record Value(object? Data) : SqlExpr;

/// <summary>A number chosen by the product (not by a user), printed inline because some
/// functions need constant arguments.</summary>
public sealed record Number(decimal Data) : SqlExpr;

public sealed record Star : SqlExpr;

/// <summary>A function from <see cref="SqlFunctions"/>; dialects map canonical names to their own.</summary>
public sealed record Call(string Function, ImmutableArray<SqlExpr> Arguments, bool Distinct = false) : SqlExpr;

public enum BinaryOp
{
    Eq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Add,
    Subtract,
    Multiply,
    Divide,
}

public sealed record Binary(BinaryOp Op, SqlExpr Left, SqlExpr Right) : SqlExpr;

public enum UnaryOp
{
    Not,
    IsNull,
    IsNotNull,
}

public sealed record Unary(UnaryOp Op, SqlExpr Operand) : SqlExpr;

/// <summary>CAST to a Spark type name (rendered per dialect).</summary>
public sealed record CastTo(SqlExpr Operand, string SparkType) : SqlExpr;

public sealed record Between(SqlExpr Operand, SqlExpr Low, SqlExpr High) : SqlExpr;

/// <summary>A list of product-chosen numbers, e.g. quantile fractions.</summary>
public sealed record NumberList(ImmutableArray<decimal> Data) : SqlExpr;
