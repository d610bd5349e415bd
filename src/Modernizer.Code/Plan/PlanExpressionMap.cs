using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>Rebuilds one operator with each of its own expressions (not its children's) mapped: the
/// write side of <see cref="PlanExpressions.Of"/>, by one exhaustive switch. Plan subqueries inside
/// expressions are mapped too, so a rewrite reaches every expression of a plan.</summary>
public static class PlanExpressionMap
{
    public static PlanNode Map(PlanNode node, Func<Expr, Expr> map)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(map);
        Expr M(Expr expr) => map(MapSubqueries(expr, map));
        EquatableArray<Expr> All(EquatableArray<Expr> exprs) => exprs.Select(M);
        return node switch
        {
            Scan scan => scan,
            Filter filter => filter with { Predicate = M(filter.Predicate) },
            Project project => project with { Expressions = All(project.Expressions) },
            Join join => join with { Condition = join.Condition is null ? null : M(join.Condition) },
            Aggregate aggregate => aggregate with
            {
                GroupKeys = All(aggregate.GroupKeys),
                Aggregates = All(aggregate.Aggregates),
                GroupingSets = aggregate.GroupingSets.Select(All),
            },
            Window window => window with { WindowExpressions = All(window.WindowExpressions) },
            Union or Intersect or Except or Distinct or SubqueryAlias or DefineView or Opaque or Loop => node,
            Sort sort => sort with { Order = sort.Order.Select(o => o with { Expr = M(o.Expr) }) },
            Limit limit => limit with { Count = M(limit.Count), Offset = limit.Offset is null ? null : M(limit.Offset) },
            Values values => values with { Rows = values.Rows.Select(All) },
            Generate generate => generate with { Generator = (FunctionCall)M(generate.Generator) },
            Write write => MapWrite(write, M),
            _ => throw new InvalidOperationException($"PlanExpressionMap does not know {node.GetType().Name}."),
        };
    }

    private static Write MapWrite(Write write, Func<Expr, Expr> map) => write with
    {
        StaticPartitions = write.StaticPartitions.Select(p => p with { Value = p.Value is null ? null : map(p.Value) }),
        Assignments = write.Assignments.Select(a => a with { Value = map(a.Value) }),
        Condition = write.Condition is null ? null : map(write.Condition),
        Merge = write.Merge is not { } merge ? null : merge with
        {
            On = map(merge.On),
            Clauses = merge.Clauses.Select(clause => clause with
            {
                Condition = clause.Condition is null ? null : map(clause.Condition),
                Action = clause.Action switch
                {
                    MergeUpdate update => new MergeUpdate(update.Assignments.Select(a => a with { Value = map(a.Value) })),
                    MergeInsert insert => new MergeInsert(insert.Columns, insert.Values.Select(map)),
                    var other => other,
                },
            }),
        },
    };

    /// <summary>Subquery plans are rewritten with the same mapping, operator by operator.</summary>
    private static Expr MapSubqueries(Expr expr, Func<Expr, Expr> map) =>
        ExprTree.TransformUp(expr, e => e is PlanSubquery subquery
            ? subquery with { Plan = PlanTree.TransformUp(subquery.Plan, n => Map(n, map)).Value }
            : null).Value;
}
