using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>Traversal over scalar expressions: children in a fixed order and rebuilding with new
/// ones, by one exhaustive switch. Subquery plans are not expression children (walk them with
/// <see cref="PlanTree"/>); syntax subqueries (<see cref="ScalarSubquery"/> etc.) are leaves here.</summary>
public static class ExprTree
{
    public static ImmutableArray<Expr> Children(Expr expr) => expr switch
    {
        Literal or ColumnRef or Star or Placeholder or ScalarSubquery or Exists => [],
        IntervalLiteral interval => [.. interval.Fields.Select(f => f.Value)],
        Unary unary => [unary.Operand],
        Binary binary => [binary.Left, binary.Right],
        IsNull isNull => [isNull.Operand],
        IsTruth truth => [truth.Operand],
        Between between => [between.Operand, between.Low, between.High],
        InList inList => [inList.Operand, .. inList.Items],
        Like like => like.Escape is null ? [like.Operand, like.Pattern] : [like.Operand, like.Pattern, like.Escape],
        Case @case => [.. CaseChildren(@case)],
        Cast cast => [cast.Operand],
        FunctionCall call => [.. FunctionChildren(call)],
        Extract extract => [extract.Source],
        Lambda lambda => [lambda.Body],
        FieldAccess access => [access.Operand],
        Subscript subscript => [subscript.Operand, subscript.Index],
        Alias alias => [alias.Operand],
        MultiAlias multi => [multi.Operand],
        RowExpr row => [.. row.Items],
        InSubquery inSubquery => [inSubquery.Operand],
        PlanSubquery subquery => subquery.Operand is null ? [] : [subquery.Operand],
        _ => throw new InvalidOperationException($"ExprTree does not know {expr.GetType().Name}."),
    };

    public static Expr WithChildren(Expr expr, ImmutableArray<Expr> children)
    {
        var i = 0;
        Expr Next() => children[i++];
        Expr result = expr switch
        {
            Literal or ColumnRef or Star or Placeholder or ScalarSubquery or Exists => expr,
            IntervalLiteral interval => interval with { Fields = interval.Fields.Select(f => f with { Value = Next() }) },
            Unary unary => unary with { Operand = Next() },
            Binary binary => binary with { Left = Next(), Right = Next() },
            IsNull isNull => isNull with { Operand = Next() },
            IsTruth truth => truth with { Operand = Next() },
            Between between => between with { Operand = Next(), Low = Next(), High = Next() },
            InList inList => inList with { Operand = Next(), Items = inList.Items.Select(_ => Next()) },
            Like like => like with { Operand = Next(), Pattern = Next(), Escape = like.Escape is null ? null : Next() },
            Case @case => RebuildCase(@case, Next),
            Cast cast => cast with { Operand = Next() },
            FunctionCall call => RebuildFunction(call, Next),
            Extract extract => extract with { Source = Next() },
            Lambda lambda => lambda with { Body = Next() },
            FieldAccess access => access with { Operand = Next() },
            Subscript subscript => subscript with { Operand = Next(), Index = Next() },
            Alias alias => alias with { Operand = Next() },
            MultiAlias multi => multi with { Operand = Next() },
            RowExpr row => row with { Items = row.Items.Select(_ => Next()) },
            InSubquery inSubquery => inSubquery with { Operand = Next() },
            PlanSubquery subquery => subquery.Operand is null ? subquery : subquery with { Operand = Next() },
            _ => throw new InvalidOperationException($"ExprTree does not know {expr.GetType().Name}."),
        };
        if (i != children.Length)
        {
            throw new ArgumentException($"{expr.GetType().Name} takes {i} children, got {children.Length}.", nameof(children));
        }

        return result;
    }

    /// <summary>Pre-order walk over an expression and its sub-expressions.</summary>
    public static IEnumerable<Expr> Descendants(Expr expr)
    {
        var stack = new Stack<Expr>();
        stack.Push(expr);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            var children = Children(current);
            for (var i = children.Length - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>Bottom-up rewrite; <paramref name="rule"/> returns null for "no change".</summary>
    public static Transformed<Expr> TransformUp(Expr expr, Func<Expr, Expr?> rule)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var children = Children(expr);
        var changed = false;
        var current = expr;
        if (!children.IsEmpty)
        {
            var rewritten = ImmutableArray.CreateBuilder<Expr>(children.Length);
            foreach (var child in children)
            {
                var result = TransformUp(child, rule);
                changed |= result.Changed;
                rewritten.Add(result.Value);
            }

            if (changed)
            {
                current = WithChildren(expr, rewritten.MoveToImmutable());
            }
        }

        var replaced = rule(current);
        return replaced is null || replaced.Equals(current)
            ? new Transformed<Expr>(current, changed)
            : Transformed<Expr>.Yes(replaced);
    }

    /// <summary>Column references in the expression (not inside subquery plans).</summary>
    public static IEnumerable<ColumnRef> Columns(Expr expr) => Descendants(expr).OfType<ColumnRef>();

    private static IEnumerable<Expr> CaseChildren(Case @case)
    {
        if (@case.Operand is not null)
        {
            yield return @case.Operand;
        }

        foreach (var when in @case.Whens)
        {
            yield return when.Condition;
            yield return when.Result;
        }

        if (@case.Else is not null)
        {
            yield return @case.Else;
        }
    }

    private static Case RebuildCase(Case @case, Func<Expr> next) => @case with
    {
        Operand = @case.Operand is null ? null : next(),
        Whens = @case.Whens.Select(w => new WhenClause(next(), next())),
        Else = @case.Else is null ? null : next(),
    };

    /// <summary>Arguments, then FILTER, then window PARTITION BY and ORDER BY expressions.</summary>
    private static IEnumerable<Expr> FunctionChildren(FunctionCall call)
    {
        foreach (var arg in call.Args)
        {
            yield return arg;
        }

        if (call.Filter is not null)
        {
            yield return call.Filter;
        }

        if (call.Over is { } over)
        {
            foreach (var partition in over.PartitionBy)
            {
                yield return partition;
            }

            foreach (var order in over.OrderBy)
            {
                yield return order.Expr;
            }
        }
    }

    private static FunctionCall RebuildFunction(FunctionCall call, Func<Expr> next)
    {
        var args = call.Args.Select(_ => next());
        var filter = call.Filter is null ? null : next();
        var over = call.Over is null
            ? null
            : call.Over with
            {
                PartitionBy = call.Over.PartitionBy.Select(_ => next()),
                OrderBy = call.Over.OrderBy.Select(o => o with { Expr = next() }),
            };
        return call with { Args = args, Filter = filter, Over = over };
    }
}
