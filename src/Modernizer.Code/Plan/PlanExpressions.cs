using System.Collections.Immutable;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>The expressions an operator holds (not its children's), by one exhaustive switch:
/// what lineage, rules and detectors scan.</summary>
public static class PlanExpressions
{
    public static ImmutableArray<Expr> Of(PlanNode node) => node switch
    {
        Scan scan => scan.TimeTravel is null ? [] : [scan.TimeTravel.Value],
        Filter filter => [filter.Predicate],
        Project project => project.Expressions.Items,
        Join join => join.Condition is null ? [] : [join.Condition],
        Aggregate aggregate => [.. aggregate.GroupKeys, .. aggregate.Aggregates, .. aggregate.GroupingSets.Items.SelectMany(s => s)],
        Window window => window.WindowExpressions.Items,
        Union or Intersect or Except or Distinct or SubqueryAlias or DefineView or Opaque or Loop => [],
        Sort sort => [.. sort.Order.Select(o => o.Expr)],
        Limit limit => limit.Offset is null ? [limit.Count] : [limit.Count, limit.Offset],
        Values values => [.. values.Rows.Items.SelectMany(r => r)],
        Generate generate => [generate.Generator],
        Write write => [.. WriteExpressions(write)],
        _ => throw new InvalidOperationException($"PlanExpressions does not know {node.GetType().Name}."),
    };

    private static IEnumerable<Expr> WriteExpressions(Write write)
    {
        foreach (var partition in write.StaticPartitions)
        {
            if (partition.Value is not null)
            {
                yield return partition.Value;
            }
        }

        foreach (var assignment in write.Assignments)
        {
            yield return assignment.Value;
        }

        if (write.Condition is not null)
        {
            yield return write.Condition;
        }

        if (write.Merge is not { } merge)
        {
            yield break;
        }

        yield return merge.On;
        foreach (var clause in merge.Clauses)
        {
            if (clause.Condition is not null)
            {
                yield return clause.Condition;
            }

            var values = clause.Action switch
            {
                MergeUpdate update => update.Assignments.Select(a => a.Value).Items,
                MergeInsert insert => insert.Values.Items,
                _ => [],
            };
            foreach (var value in values)
            {
                yield return value;
            }
        }
    }
}
