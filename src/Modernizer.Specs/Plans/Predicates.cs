using System.Collections.Immutable;
using Modernizer.Code.Emit;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Specs.Plans;

/// <summary>The comparison operator of a predicate atom.</summary>
public enum AtomOp
{
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Between,
    In,
    NotIn,
    IsNull,
    IsNotNull,
    Other,
}

/// <summary>One conjunct of a predicate in a shape the test designer can solve: a column compared with
/// constants (<c>status = 'COMPLETED'</c>, <c>order_date BETWEEN a AND b</c>, <c>qty &gt;= 10</c>,
/// <c>store_id IS NOT NULL</c>). <see cref="Values"/> are the constant expressions as written (a literal,
/// or <c>date_sub(DATE '2026-10-31', 6)</c>, folded by the engine when needed); a run-time value (a
/// placeholder) leaves the atom unsolvable but still tells which column it reads.</summary>
public sealed record PredicateAtom(ColumnUse Column, AtomOp Op, ImmutableArray<Expr> Values, bool RunTimeValue)
{
    public bool Solvable => !RunTimeValue && Op != AtomOp.Other && Column.IsInput;
}

/// <summary>Helpers over plan predicates: conjuncts, atoms, run-time values and rendering for DuckDB.</summary>
public static class Predicates
{
    public static IEnumerable<Expr> Conjuncts(Expr? condition)
    {
        if (condition is null)
        {
            yield break;
        }

        if (condition is Binary { Op: BinaryOp.And } and)
        {
            foreach (var left in Conjuncts(and.Left))
            {
                yield return left;
            }

            foreach (var right in Conjuncts(and.Right))
            {
                yield return right;
            }

            yield break;
        }

        yield return condition;
    }

    /// <summary>True when the value is only known at run time (a template placeholder, a value formatted
    /// into SQL text from a variable).</summary>
    public static bool HasRunTimeValue(Expr expr) =>
        ExprTree.Descendants(expr).Any(e => e is Placeholder || e is Literal { Kind: LiteralKind.String } l && l.Value.Contains("${", StringComparison.Ordinal));

    public static ImmutableArray<ColumnRef> Columns(Expr expr) =>
        [.. ExprTree.Columns(expr).DistinctBy(c => (c.Parts.Count > 1 ? c.Parts[^2].Text : null, c.Name))];

    /// <summary>The atom a conjunct is, when it compares one column with constants.</summary>
    internal static PredicateAtom? Atom(Expr conjunct, Func<ColumnRef, ColumnUse> resolve)
    {
        var runTime = HasRunTimeValue(conjunct);
        switch (conjunct)
        {
            case Binary binary when Comparison(binary.Op) is { } op:
                if (Strip(binary.Left) is ColumnRef left && Constant(binary.Right))
                {
                    return new PredicateAtom(resolve(left), op, [AsLiteral(binary.Right)], runTime);
                }

                if (Strip(binary.Right) is ColumnRef right && Constant(binary.Left))
                {
                    return new PredicateAtom(resolve(right), Flip(op), [AsLiteral(binary.Left)], runTime);
                }

                return null;
            case Between between when Strip(between.Operand) is ColumnRef column && Constant(between.Low) && Constant(between.High) && !between.Negated:
                return new PredicateAtom(resolve(column), AtomOp.Between, [AsLiteral(between.Low), AsLiteral(between.High)], runTime);
            case InList inList when Strip(inList.Operand) is ColumnRef column && inList.Items.All(Constant):
                return new PredicateAtom(resolve(column), inList.Negated ? AtomOp.NotIn : AtomOp.In, [.. inList.Items.Select(AsLiteral)], runTime);
            case IsNull isNull when Strip(isNull.Operand) is ColumnRef column:
                return new PredicateAtom(resolve(column), isNull.Negated ? AtomOp.IsNotNull : AtomOp.IsNull, [], false);
            case FunctionCall { Key: "isnotnull" or "isnull" } call when call.Args.Count == 1 && Strip(call.Args[0]) is ColumnRef column:
                return new PredicateAtom(resolve(column), call.Key == "isnull" ? AtomOp.IsNull : AtomOp.IsNotNull, [], false);
            default:
                return null;
        }
    }

    /// <summary>The predicate as DuckDB SQL over one table whose columns are named as in the table
    /// (qualifiers dropped), or null when it cannot be rendered (a run-time value, an unsupported function).</summary>
    public static string? ToDuckDb(Expr expr)
    {
        if (HasRunTimeValue(expr))
        {
            return null;
        }

        try
        {
            var bare = ExprTree.TransformUp(expr, e => e is ColumnRef { Parts.Count: > 1 } c ? ColumnRef.Of(c.Name) : null).Value;
            return SqlPrinter.Print(bare, Dialect.DuckDb);
        }
        catch (UnsupportedConstructException)
        {
            return null;
        }
    }

    /// <summary>The expression as the legacy code reads in Spark SQL (for statements and reports).</summary>
    public static string ToSpark(Expr expr) => SqlPrinter.Print(expr, Dialect.Spark);

    private static Expr Strip(Expr expr) => expr is Cast cast ? Strip(cast.Operand) : expr;

    private static bool Constant(Expr expr) => Strip(expr) switch
    {
        Literal => true,
        Placeholder => true,
        Unary { Op: UnaryOp.Negate, Operand: Literal } => true,
        FunctionCall call => call.Args.All(Constant) && call.Over is null && !ExprTree.Columns(call).Any(),
        Binary b => Constant(b.Left) && Constant(b.Right),
        _ => false,
    };

    private static Expr AsLiteral(Expr expr) => Strip(expr) switch
    {
        Unary { Op: UnaryOp.Negate, Operand: Literal inner } => inner with { Value = "-" + inner.Value },
        var other => other,
    };

    private static AtomOp? Comparison(BinaryOp op) => op switch
    {
        BinaryOp.Eq or BinaryOp.EqEq or BinaryOp.NullSafeEq or BinaryOp.IsNotDistinctFrom => AtomOp.Eq,
        BinaryOp.NotEq or BinaryOp.BangEq or BinaryOp.IsDistinctFrom => AtomOp.NotEq,
        BinaryOp.Lt => AtomOp.Lt,
        BinaryOp.LtEq => AtomOp.LtEq,
        BinaryOp.Gt => AtomOp.Gt,
        BinaryOp.GtEq => AtomOp.GtEq,
        _ => null,
    };

    private static AtomOp Flip(AtomOp op) => op switch
    {
        AtomOp.Lt => AtomOp.Gt,
        AtomOp.LtEq => AtomOp.GtEq,
        AtomOp.Gt => AtomOp.Lt,
        AtomOp.GtEq => AtomOp.LtEq,
        _ => op,
    };
}
