using System.Collections.Immutable;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>Binding expressions: column references resolved in scope, syntax subqueries planned.</summary>
public sealed partial class SqlToPlan
{
    internal Expr Bind(Expr expr, Scope scope) => Bind(expr, scope, ImmutableHashSet<string>.Empty.WithComparer(StringComparer.OrdinalIgnoreCase));

    private Expr Bind(Expr expr, Scope scope, ImmutableHashSet<string> lambdaVariables)
    {
        switch (expr)
        {
            case ColumnRef { Binding: not null }:
                return expr;
            case ColumnRef column:
                if (lambdaVariables.Contains(column.Parts[0].Text))
                {
                    return column;
                }

                var binding = scope.Resolve(column.Parts, out var problem);
                if (binding is null)
                {
                    Report(problem ?? $"cannot resolve column '{string.Join(".", column.Parts.Select(p => p.Text))}'", column.Span);
                    return column;
                }

                return column with { Binding = binding };
            case Lambda lambda:
                return lambda with { Body = Bind(lambda.Body, scope, lambdaVariables.Union(lambda.Parameters)) };
            case ScalarSubquery scalar:
                return new PlanSubquery(SubqueryKind.Scalar, PlanQuery(scalar.Query, scope)) { Span = scalar.Span };
            case Exists exists:
                return new PlanSubquery(SubqueryKind.Exists, PlanQuery(exists.Query, scope)) { Span = exists.Span };
            case InSubquery inSubquery:
                return new PlanSubquery(SubqueryKind.In, PlanQuery(inSubquery.Query, scope))
                {
                    Operand = Bind(inSubquery.Operand, scope, lambdaVariables),
                    Negated = inSubquery.Negated,
                    Span = inSubquery.Span,
                };
            default:
                var children = ExprTree.Children(expr);
                if (children.IsEmpty)
                {
                    return expr;
                }

                var bound = children.Select(child => Bind(child, scope, lambdaVariables)).ToImmutableArray();
                return ExprTree.WithChildren(expr, bound);
        }
    }
}
