using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Specs.Plans;

/// <summary>Traces a column an operator uses down its input plan to the table column it reads, or to the
/// expression that computed it. The frontend leaves DataFrame plans unbound, so this walks the plan by
/// name: aliases and projections first, then the scans' lake schemas. Unknown stays unknown.</summary>
internal sealed class ColumnResolver(ISchemaProvider? schemas)
{
    public ColumnUse? Resolve(PlanNode input, ColumnRef column) =>
        Visit(input, column.Name, column.Parts.Count > 1 ? column.Parts[^2].Text : null, 0);

    public ColumnUse Use(PlanNode input, ColumnRef column) =>
        Resolve(input, column) ?? new ColumnUse(null, column.Name, null);

    private const int MaxDepth = 200;

    private ColumnUse? Visit(PlanNode node, string name, string? qualifier, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (node)
        {
            case Scan scan:
                {
                    var table = scan.Table.ToString();
                    if (qualifier is not null && !string.Equals(scan.Table.Name, qualifier, StringComparison.OrdinalIgnoreCase) && !string.Equals(table, qualifier, StringComparison.OrdinalIgnoreCase))
                    {
                        return null;
                    }

                    var schema = scan.Schema.IsKnown ? scan.Schema : schemas?.GetSchema(scan.Table);
                    var match = schema?.Columns.FirstOrDefault(c => c.NameIs(name));
                    return match is null ? null : new ColumnUse(table.ToLowerInvariant(), match.Name, match.Type.SqlText, match.Nullable);
                }

            case SubqueryAlias alias:
                return qualifier is not null && !string.Equals(alias.Alias, qualifier, StringComparison.OrdinalIgnoreCase)
                    ? null
                    : Visit(alias.Input, name, null, depth + 1);

            case Project project:
                return FromOutputList(project.Expressions.Items, project.Input, name, qualifier, depth, passThroughStar: true);

            case Aggregate aggregate:
                return FromOutputList(aggregate.Aggregates.Items, aggregate.Input, name, qualifier, depth, passThroughStar: false);

            case Window window:
                {
                    var defined = window.WindowExpressions.OfType<Alias>().FirstOrDefault(a => Same(a.Name, name));
                    return defined is not null
                        ? new ColumnUse(null, name, null) { Derived = defined.Operand }
                        : Visit(window.Input, name, qualifier, depth + 1);
                }

            case Join join:
                return Visit(join.Left, name, qualifier, depth + 1) ?? Visit(join.Right, name, qualifier, depth + 1);

            case Union union:
                return Visit(union.Left, name, qualifier, depth + 1);

            case Generate generate:
                return generate.ColumnNames.Any(c => Same(c, name))
                    ? new ColumnUse(null, name, null) { Derived = generate.Generator }
                    : Visit(generate.Input, name, qualifier, depth + 1);

            case Values values:
                {
                    var match = values.Schema.Columns.FirstOrDefault(c => c.NameIs(name));
                    return match is null ? null : new ColumnUse(null, match.Name, match.Type.SqlText, match.Nullable) { Derived = Literal.Null };
                }

            case Opaque opaque:
                return opaque.Inputs.Select(i => Visit(i, name, qualifier, depth + 1)).FirstOrDefault(u => u is not null);

            case Loop:
                return null;

            default:
                return node.Children.Select(c => Visit(c, name, qualifier, depth + 1)).FirstOrDefault(u => u is not null);
        }
    }

    private ColumnUse? FromOutputList(IReadOnlyList<Expr> items, PlanNode input, string name, string? qualifier, int depth, bool passThroughStar)
    {
        foreach (var item in items)
        {
            switch (item)
            {
                case Alias alias when Same(alias.Name, name):
                    return alias.Operand is ColumnRef reference
                        ? Visit(input, reference.Name, reference.Parts.Count > 1 ? reference.Parts[^2].Text : null, depth + 1) ?? new ColumnUse(null, name, null) { Derived = alias.Operand }
                        : new ColumnUse(null, name, null) { Derived = alias.Operand };
                case ColumnRef column when Same(column.Name, name):
                    return Visit(input, column.Name, column.Parts.Count > 1 ? column.Parts[^2].Text : qualifier, depth + 1);
            }
        }

        return passThroughStar && items.Any(i => i is Star) ? Visit(input, name, qualifier, depth + 1) : null;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
