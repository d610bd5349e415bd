using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>Equi-join keys: the <c>l = r</c> (or <c>&lt;=&gt;</c>) conjuncts of a join condition.</summary>
internal static class JoinKeys
{
    public static EquatableArray<(Expr Left, Expr Right)> Extract(Expr? condition)
    {
        var keys = ImmutableArray.CreateBuilder<(Expr, Expr)>();
        foreach (var conjunct in Conjuncts(condition))
        {
            if (conjunct is Binary { Op: BinaryOp.Eq or BinaryOp.EqEq or BinaryOp.NullSafeEq } equality)
            {
                keys.Add((equality.Left, equality.Right));
            }
        }

        return keys.ToImmutable();
    }

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
}
