using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>Folds the constant conditions symbolic execution leaves behind (x OR NOT x, CASE WHEN
/// FALSE ...) so the lifting rules see the shape of an update, not its bookkeeping. Only identities of
/// two-valued logic are applied, and only to non-null operands.</summary>
internal static class BoolSimplifier
{
    public static Expr Simplify(Expr expr) => ExprTree.TransformUp(expr, Step).Value;

    private static Expr? Step(Expr expr)
    {
        switch (expr)
        {
            case Unary { Op: UnaryOp.Not, Operand: Literal { Kind: LiteralKind.Boolean } literal }:
                return Literal.Of(literal.Value != "true");
            case Unary { Op: UnaryOp.Not, Operand: Unary { Op: UnaryOp.Not, Operand: var inner } }:
                return inner;
            case Binary { Op: BinaryOp.And } and:
                if (IsTrue(and.Left))
                {
                    return and.Right;
                }

                if (IsTrue(and.Right))
                {
                    return and.Left;
                }

                if (IsFalse(and.Left) || IsFalse(and.Right) || Complementary(and.Left, and.Right))
                {
                    return Literal.Of(false);
                }

                return and.Left.Equals(and.Right) ? and.Left : null;
            case Binary { Op: BinaryOp.Or } or:
                if (IsFalse(or.Left))
                {
                    return or.Right;
                }

                if (IsFalse(or.Right))
                {
                    return or.Left;
                }

                if (IsTrue(or.Left) || IsTrue(or.Right) || Complementary(or.Left, or.Right))
                {
                    return Literal.Of(true);
                }

                return or.Left.Equals(or.Right) ? or.Left : null;
            case FunctionCall { Name: "coalesce", Args.Count: 2 } coalesce when coalesce.Args[1] is Literal { Kind: LiteralKind.Boolean } && !TypeInference.IsNullable(coalesce.Args[0]):
                return coalesce.Args[0];
            case Case { Operand: null } @case:
                var whens = @case.Whens.Items.Where(w => !IsFalse(w.Condition)).ToList();
                if (whens.Count > 0 && IsTrue(whens[0].Condition))
                {
                    return whens[0].Result;
                }

                if (whens.Count == 0)
                {
                    return @case.Else ?? Literal.Null;
                }

                return whens.Count == @case.Whens.Count ? null : @case with { Whens = [.. whens] };
            default:
                return null;
        }
    }

    private static bool IsTrue(Expr expr) => expr is Literal { Kind: LiteralKind.Boolean, Value: "true" };

    private static bool IsFalse(Expr expr) => expr is Literal { Kind: LiteralKind.Boolean, Value: "false" };

    /// <summary>x and NOT x, for a non-null x.</summary>
    private static bool Complementary(Expr a, Expr b) =>
        (b is Unary { Op: UnaryOp.Not } nb && nb.Operand.Equals(a) && !TypeInference.IsNullable(a))
        || (a is Unary { Op: UnaryOp.Not } na && na.Operand.Equals(b) && !TypeInference.IsNullable(b));
}
