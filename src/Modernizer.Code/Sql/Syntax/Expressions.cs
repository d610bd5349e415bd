using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Sql.Syntax;

/// <summary>A scalar expression. The same records serve the syntax tree and the logical plan:
/// the plan binds <see cref="ColumnRef"/>s (see <see cref="ColumnRef.Binding"/>) and replaces
/// syntax subqueries with plan subqueries.</summary>
public abstract record Expr : SqlNode;

public enum LiteralKind
{
    Null,
    Boolean,
    String,
    /// <summary>Integer without suffix: INT when it fits, else BIGINT, else DECIMAL.</summary>
    Integer,
    /// <summary>1Y</summary>
    TinyInt,
    /// <summary>1S</summary>
    SmallInt,
    /// <summary>1L</summary>
    BigInt,
    /// <summary>1.5 or 1.5BD: exact decimal.</summary>
    Decimal,
    /// <summary>1e3, 1.5D</summary>
    Double,
    /// <summary>1.5F</summary>
    Float,
    Date,
    Timestamp,
    TimestampNtz,
    /// <summary>X'CAFE'</summary>
    Binary,
}

/// <summary>A literal. <see cref="Value"/> holds the unescaped string for strings/dates/binary
/// (hex digits), the digits for numbers (without suffix), "true"/"false", or empty for NULL.</summary>
public sealed record Literal(LiteralKind Kind, string Value) : Expr
{
    /// <summary>True when the numeric literal was written with an explicit BD suffix.</summary>
    public bool ExplicitDecimalSuffix { get; init; }

    public static Literal Null { get; } = new(LiteralKind.Null, string.Empty);

    public static Literal Of(string value) => new(LiteralKind.String, value);

    public static Literal Of(bool value) => new(LiteralKind.Boolean, value ? "true" : "false");

    public static Literal Of(long value) => new(
        value is >= int.MinValue and <= int.MaxValue ? LiteralKind.Integer : LiteralKind.BigInt,
        value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One <c>value unit</c> pair of an interval literal; Unit is null for the
/// <c>INTERVAL '1 day 2 hours'</c> string form, <see cref="ToUnit"/> set for <c>'1-2' YEAR TO MONTH</c>.</summary>
public sealed record IntervalField(Expr Value, string? Unit, string? ToUnit = null);

public sealed record IntervalLiteral(EquatableArray<IntervalField> Fields) : Expr;

/// <summary>A column reference; a dotted name whose meaning (table.column, column.field) is
/// decided by name resolution. <see cref="Binding"/> is set on plan expressions only.</summary>
public sealed record ColumnRef(EquatableArray<NamePart> Parts) : Expr
{
    public ColumnBinding? Binding { get; init; }

    public static ColumnRef Of(params string[] parts) => new(parts.Select(p => new NamePart(p)).ToEquatableArray());

    public string Name => Parts[^1].Text;
}

/// <summary>What a resolved column reference points at. <see cref="Table"/> and
/// <see cref="SourceColumn"/> name the base table column when the reference passes straight
/// through to one (what column lineage needs); <see cref="Qualifier"/> is the relation alias in scope.</summary>
public sealed record ColumnBinding(string? Qualifier, string Column, SparkType Type, bool Nullable, string? Table = null, string? SourceColumn = null);

/// <summary><c>*</c> or <c>t.*</c>.</summary>
public sealed record Star(EquatableArray<NamePart> Qualifier) : Expr
{
    public static Star All { get; } = new(EquatableArray<NamePart>.Empty);
}

/// <summary>A template placeholder used where a value goes (<c>'${run_date}'</c> inside a string
/// stays a string literal; a bare <c>${limit}</c> is this node).</summary>
public sealed record Placeholder(string Name, PlaceholderStyle Style) : Expr;

public enum UnaryOp
{
    Negate,
    Plus,
    Not,
    BitNot,
}

public sealed record Unary(UnaryOp Op, Expr Operand) : Expr;

public enum BinaryOp
{
    Or,
    And,
    Eq,
    /// <summary>== (same as =, kept for printing)</summary>
    EqEq,
    NotEq,
    /// <summary>!= (same as &lt;&gt;, kept for printing)</summary>
    BangEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    /// <summary>&lt;=&gt; null-safe equality</summary>
    NullSafeEq,
    IsDistinctFrom,
    IsNotDistinctFrom,
    BitOr,
    BitAnd,
    BitXor,
    Concat,
    Add,
    Subtract,
    Multiply,
    Divide,
    /// <summary>Integral division (<c>div</c>), returns BIGINT.</summary>
    IntDivide,
    Modulo,
}

public sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr;

public sealed record IsNull(Expr Operand, bool Negated) : Expr;

/// <summary>IS [NOT] TRUE / FALSE / UNKNOWN.</summary>
public sealed record IsTruth(Expr Operand, bool? Value, bool Negated) : Expr;

public sealed record Between(Expr Operand, Expr Low, Expr High, bool Negated) : Expr;

public sealed record InList(Expr Operand, EquatableArray<Expr> Items, bool Negated) : Expr;

public enum LikeKind
{
    Like,
    ILike,
    RLike,
    Regexp,
}

public sealed record Like(LikeKind Kind, Expr Operand, Expr Pattern, bool Negated, Expr? Escape = null) : Expr;

public sealed record WhenClause(Expr Condition, Expr Result);

public sealed record Case(Expr? Operand, EquatableArray<WhenClause> Whens, Expr? Else) : Expr;

public enum CastStyle
{
    Cast,
    TryCast,
    /// <summary><c>expr::type</c> (same as CAST).</summary>
    DoubleColon,
}

public sealed record Cast(Expr Operand, SparkType Type, CastStyle Style = CastStyle.Cast) : Expr
{
    public bool IsTry => Style == CastStyle.TryCast;
}

/// <summary>A function call. <see cref="Name"/> keeps the written case; look it up with
/// <see cref="FunctionCatalog"/> (case-insensitive). <see cref="Over"/> makes it a window function.</summary>
public sealed record FunctionCall(string Name, EquatableArray<Expr> Args) : Expr
{
    public bool Distinct { get; init; }

    /// <summary>FILTER (WHERE ...) on an aggregate.</summary>
    public Expr? Filter { get; init; }

    /// <summary>IGNORE NULLS / RESPECT NULLS after the argument list, when written.</summary>
    public bool? IgnoreNulls { get; init; }

    public WindowSpec? Over { get; init; }

    /// <summary>Name lowered for lookups.</summary>
    public string Key => Name.ToLowerInvariant();
}

/// <summary><c>EXTRACT(field FROM source)</c>.</summary>
public sealed record Extract(string Field, Expr Source) : Expr;

public sealed record Lambda(EquatableArray<string> Parameters, Expr Body) : Expr;

/// <summary><c>expr.field</c> where expr is not a plain name (e.g. <c>f(x).a</c>, <c>arr[0].b</c>).</summary>
public sealed record FieldAccess(Expr Operand, string Field) : Expr;

/// <summary><c>expr[index]</c>: array element (0-based) or map value.</summary>
public sealed record Subscript(Expr Operand, Expr Index) : Expr;

/// <summary><c>expr AS name</c> in a select list.</summary>
public sealed record Alias(Expr Operand, string Name) : Expr;

/// <summary><c>expr AS (a, b)</c>: names the several columns a generator produces.</summary>
public sealed record MultiAlias(Expr Operand, EquatableArray<string> Names) : Expr;

/// <summary><c>(a, b)</c>: a row of values, as in <c>(a, b) IN ((1, 2))</c>.</summary>
public sealed record RowExpr(EquatableArray<Expr> Items) : Expr;

public sealed record ScalarSubquery(Query Query) : Expr;

public sealed record Exists(Query Query) : Expr;

public sealed record InSubquery(Expr Operand, Query Query, bool Negated) : Expr;

public enum SortDirection
{
    Unspecified,
    Ascending,
    Descending,
}

public enum NullOrdering
{
    Unspecified,
    First,
    Last,
}

public sealed record SortItem(Expr Expr, SortDirection Direction = SortDirection.Unspecified, NullOrdering Nulls = NullOrdering.Unspecified)
{
    /// <summary>Spark default: ascending puts nulls first, descending puts them last.</summary>
    public bool EffectiveNullsFirst => Nulls switch
    {
        NullOrdering.First => true,
        NullOrdering.Last => false,
        _ => Direction != SortDirection.Descending,
    };
}

public enum FrameUnit
{
    Rows,
    Range,
}

public enum FrameBoundKind
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

public sealed record FrameBound(FrameBoundKind Kind, Expr? Offset = null)
{
    public static FrameBound UnboundedPreceding { get; } = new(FrameBoundKind.UnboundedPreceding);
    public static FrameBound CurrentRow { get; } = new(FrameBoundKind.CurrentRow);
    public static FrameBound UnboundedFollowing { get; } = new(FrameBoundKind.UnboundedFollowing);
}

/// <summary>ROWS|RANGE frame; <see cref="End"/> null for the one-bound form.</summary>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound? End);

/// <summary>OVER (...) or a named window; <see cref="BaseName"/> refers to a WINDOW clause entry.</summary>
public sealed record WindowSpec(string? BaseName, EquatableArray<Expr> PartitionBy, EquatableArray<SortItem> OrderBy, WindowFrame? Frame)
{
    /// <summary>True for <c>OVER w</c> written without parentheses.</summary>
    public bool IsReference => BaseName is not null && PartitionBy.IsEmpty && OrderBy.IsEmpty && Frame is null && !Parenthesized;

    public bool Parenthesized { get; init; } = true;

    public static WindowSpec Named(string name) => new(name, [], [], null) { Parenthesized = false };
}
