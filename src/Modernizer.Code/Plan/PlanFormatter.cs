using System.Text;
using Modernizer.Code.Emit;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>Indented text of a plan, one operator per line, children indented below; subquery
/// plans are listed under the operator that uses them. Used for golden files and reports.</summary>
public static class PlanFormatter
{
    public static string Format(PlanNode plan)
    {
        var output = new StringBuilder();
        var subqueries = 0;
        Append(plan, 0);
        return output.ToString();

        void Append(PlanNode node, int depth)
        {
            var pending = new List<(string Name, PlanNode Plan)>();
            string E(Expr expr)
            {
                var replaced = ExprTree.TransformUp(expr, e =>
                {
                    if (e is PlanSubquery subquery)
                    {
                        var name = "subquery" + (++subqueries).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        pending.Add((name, subquery.Plan));
                        Expr marker = new Placeholder(name, PlaceholderStyle.Brace);
                        return subquery.Kind switch
                        {
                            SubqueryKind.Exists => new FunctionCall("EXISTS", [marker]),
                            SubqueryKind.In => new InList(subquery.Operand!, [marker], subquery.Negated),
                            _ => marker,
                        };
                    }

                    return null;
                }).Value;
                return SqlPrinter.Print(replaced);
            }

            string List(IEnumerable<Expr> exprs) => "[" + string.Join(", ", exprs.Select(E)) + "]";
            string Names(IEnumerable<string> names) => "[" + string.Join(", ", names) + "]";
            string Sorts(IEnumerable<SortItem> items) => "[" + string.Join(", ", items.Select(i =>
                E(i.Expr) + (i.Direction == SortDirection.Descending ? " DESC" : " ASC") + (i.EffectiveNullsFirst ? " NULLS FIRST" : " NULLS LAST"))) + "]";

            var line = node switch
            {
                Scan scan => $"Scan {scan.Table}" + (scan.Schema.IsKnown ? " " + scan.Schema : string.Empty) + (scan.TimeTravel is null ? string.Empty : " as-of=" + E(scan.TimeTravel.Value)),
                Filter filter => $"Filter {E(filter.Predicate)}",
                Project project => $"Project {List(project.Expressions)}",
                Join join => $"Join {join.Type}" + (join.Condition is null ? string.Empty : " on " + E(join.Condition)) + (join.Hints.IsEmpty ? string.Empty : " hints=" + Names(join.Hints.Select(h => h.Name))),
                Aggregate aggregate => $"Aggregate keys={List(aggregate.GroupKeys)}" + (aggregate.Grouping == GroupingKind.Plain ? string.Empty : $" {aggregate.Grouping.ToString().ToLowerInvariant()}") + (aggregate.GroupingSets.IsEmpty ? string.Empty : " sets=[" + string.Join(", ", aggregate.GroupingSets.Select(s => List(s))) + "]") + $" aggregates={List(aggregate.Aggregates)}",
                Window window => $"Window {List(window.WindowExpressions)}",
                Union union => $"Union {(union.All ? "all" : "distinct")}" + (union.ByName ? " by-name" : string.Empty),
                Intersect intersect => $"Intersect {(intersect.All ? "all" : "distinct")}",
                Except except => $"Except {(except.All ? "all" : "distinct")}",
                Distinct distinct => "Distinct" + (distinct.Columns.IsEmpty ? string.Empty : " " + Names(distinct.Columns)),
                Sort sort => $"Sort {Sorts(sort.Order)}" + (sort.Global ? string.Empty : " local"),
                Limit limit => $"Limit {E(limit.Count)}" + (limit.Offset is null ? string.Empty : $" offset={E(limit.Offset)}"),
                SubqueryAlias alias => $"SubqueryAlias {alias.Alias}" + (alias.ColumnAliases.IsEmpty ? string.Empty : Names(alias.ColumnAliases)),
                Values values => $"Values rows={values.Rows.Count} {values.Schema}",
                Generate generate => $"Generate {E(generate.Generator)}" + (generate.Outer ? " outer" : string.Empty) + (generate.Alias is null ? string.Empty : $" as {generate.Alias}") + (generate.ColumnNames.IsEmpty ? string.Empty : Names(generate.ColumnNames)),
                Write write => $"Write {write.Target} mode={write.Mode}" + (write.Format is null ? string.Empty : $" format={write.Format}")
                    + (write.PartitionColumns.IsEmpty ? string.Empty : " partition=" + Names(write.PartitionColumns))
                    + (write.StaticPartitions.IsEmpty ? string.Empty : " static=[" + string.Join(", ", write.StaticPartitions.Select(p => $"{p.Column}={E(p.Value!)}")) + "]")
                    + (write.CreatesTable ? " creates" : string.Empty)
                    + (write.Merge is null ? string.Empty : $" on {E(write.Merge.On)} clauses={write.Merge.Clauses.Count}")
                    + (write.Assignments.IsEmpty ? string.Empty : " set=[" + string.Join(", ", write.Assignments.Select(a => string.Join(".", a.Column.Select(p => p.Text)) + " = " + E(a.Value))) + "]")
                    + (write.Condition is null ? string.Empty : $" where {E(write.Condition)}"),
                DefineView view => $"DefineView {view.Name} {view.Kind}" + (view.Replace ? " replace" : string.Empty),
                Opaque opaque => $"Opaque {opaque.Reason}" + (opaque.Text is null ? string.Empty : $" {Truncate(opaque.Text)}"),
                Loop loop => $"Loop {loop.Variable} body={loop.Body}",
                _ => throw new InvalidOperationException($"PlanFormatter does not know {node.GetType().Name}."),
            };
            output.Append(' ', depth * 2).Append(line).Append('\n');
            foreach (var (name, plan) in pending)
            {
                output.Append(' ', (depth + 1) * 2).Append(name).Append(":\n");
                Append(plan, depth + 2);
            }

            foreach (var child in node.Children)
            {
                Append(child, depth + 1);
            }
        }
    }

    private static string Truncate(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
