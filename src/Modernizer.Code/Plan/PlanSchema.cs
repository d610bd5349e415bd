using System.Collections.Immutable;
using Modernizer.Code.Emit;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>The output schema of every operator, by one exhaustive switch.</summary>
public static class PlanSchema
{
    public static Schema Of(PlanNode node) => node switch
    {
        Scan scan => scan.Schema.IsKnown
            ? scan.Schema with { Columns = scan.Schema.Columns.Select(c => c with { Qualifier = scan.Table.Name, Table = scan.Table.ToString(), SourceColumn = c.Name }) }
            : Schema.Unknown,
        Filter filter => Of(filter.Input),
        Project project => Named(Of(project.Input), project.Expressions),
        Join join => JoinSchema(join),
        Aggregate aggregate => Named(Of(aggregate.Input), aggregate.Aggregates),
        Window window => Of(window.Input).Concat(Named(Of(window.Input), window.WindowExpressions)),
        Union union => SetSchema(union.Left, union.Right),
        Intersect intersect => SetSchema(intersect.Left, intersect.Right),
        Except except => Of(except.Left) with { Columns = Of(except.Left).Columns.Select(c => c with { Qualifier = null }) },
        Distinct distinct => Of(distinct.Input),
        Sort sort => Of(sort.Input),
        Limit limit => Of(limit.Input),
        SubqueryAlias alias => AliasSchema(alias),
        Values values => values.Schema,
        Generate generate => Of(generate.Input).Concat(GeneratedColumns(generate)),
        Write => Schema.Empty,
        DefineView => Schema.Empty,
        Opaque opaque => opaque.Schema,
        Loop => Schema.Unknown,
        _ => throw new InvalidOperationException($"PlanSchema does not know {node.GetType().Name}."),
    };

    /// <summary>The name Spark gives an output expression: the alias, the column name, or the SQL text.</summary>
    public static string OutputName(Expr expr) => expr switch
    {
        Alias alias => alias.Name,
        ColumnRef column => column.Binding?.Column is { } bound && column.Parts.Count == 1 ? bound : column.Name,
        FieldAccess access => access.Field,
        _ => SqlPrinter.Print(expr),
    };

    private static Schema Named(Schema input, EquatableArray<Expr> expressions)
    {
        if (expressions.Items.Any(e => e is Star))
        {
            return Schema.Unknown;
        }

        var columns = expressions.Select(expr =>
        {
            var typed = TypeInference.Infer(expr);
            var column = new SchemaColumn(OutputName(expr), typed.Type, typed.Nullable);
            var inner = expr is Alias alias ? alias.Operand : expr;
            if (inner is ColumnRef { Binding: { } binding } reference && reference.Parts.Count - (binding.Qualifier is null ? 0 : 1) <= 1)
            {
                column = column with { Qualifier = expr is Alias ? null : binding.Qualifier, Table = binding.Table, SourceColumn = binding.SourceColumn };
            }

            return column;
        });
        return new Schema(columns, input.IsKnown || columns.Count > 0);
    }

    private static Schema JoinSchema(Join join)
    {
        var left = Of(join.Left);
        if (join.Type is JoinType.LeftSemi or JoinType.LeftAnti)
        {
            return left;
        }

        var right = Of(join.Right);
        if (join.Type is JoinType.RightOuter or JoinType.FullOuter)
        {
            left = left with { Columns = left.Columns.Select(c => c with { Nullable = true }) };
        }

        if (join.Type is JoinType.LeftOuter or JoinType.FullOuter)
        {
            right = right with { Columns = right.Columns.Select(c => c with { Nullable = true }) };
        }

        return left.Concat(right);
    }

    private static Schema SetSchema(PlanNode leftNode, PlanNode rightNode)
    {
        var left = Of(leftNode);
        var right = Of(rightNode);
        if (!left.IsKnown || !right.IsKnown || left.Count != right.Count)
        {
            return left with { Columns = left.Columns.Select(c => c with { Qualifier = null, Table = null, SourceColumn = null }) };
        }

        var columns = ImmutableArray.CreateBuilder<SchemaColumn>(left.Count);
        for (var i = 0; i < left.Count; i++)
        {
            var type = TypeCoercion.Wider(left.Columns[i].Type, right.Columns[i].Type) ?? SparkType.Unknown;
            columns.Add(new SchemaColumn(left.Columns[i].Name, type, left.Columns[i].Nullable || right.Columns[i].Nullable));
        }

        return new Schema(columns.MoveToImmutable());
    }

    private static Schema AliasSchema(SubqueryAlias alias)
    {
        var input = Of(alias.Input);
        var columns = input.Columns.Select(c => c with { Qualifier = alias.Alias });
        if (!alias.ColumnAliases.IsEmpty && alias.ColumnAliases.Count == columns.Count)
        {
            columns = columns.Items.Select((c, i) => c with { Name = alias.ColumnAliases[i] }).ToEquatableArray();
        }
        else if (!alias.ColumnAliases.IsEmpty && !input.IsKnown)
        {
            return new Schema(alias.ColumnAliases.Select(name => new SchemaColumn(name, SparkType.Unknown) { Qualifier = alias.Alias }));
        }

        return input with { Columns = columns };
    }

    /// <summary>Columns a generator adds: explode → col (or key, value for maps), posexplode → pos, col.</summary>
    public static Schema GeneratedColumns(Generate generate)
    {
        var argument = generate.Generator.Args.Count > 0 ? TypeInference.TypeOf(generate.Generator.Args[0]) : SparkType.Unknown;
        var key = generate.Generator.Key;
        var defaults = new List<(string Name, SparkType Type)>();
        var positional = key.StartsWith("posexplode", StringComparison.Ordinal);
        if (positional)
        {
            defaults.Add(("pos", SparkType.Int));
        }

        switch (argument)
        {
            case ArrayType { Element: StructType element } when key.StartsWith("inline", StringComparison.Ordinal):
                defaults.AddRange(element.Fields.Select(f => (f.Name, f.Type)));
                break;
            case ArrayType array:
                defaults.Add(("col", array.Element));
                break;
            case MapType map:
                defaults.Add(("key", map.Key));
                defaults.Add(("value", map.Value));
                break;
            default:
                if (generate.ColumnNames.IsEmpty)
                {
                    return Schema.Unknown;
                }

                break;
        }

        var columns = generate.ColumnNames.IsEmpty
            ? defaults.Select(d => new SchemaColumn(d.Name, d.Type) { Qualifier = generate.Alias })
            : generate.ColumnNames.Items.Select((name, i) => new SchemaColumn(name, i < defaults.Count ? defaults[i].Type : SparkType.Unknown) { Qualifier = generate.Alias });
        return new Schema(columns.ToEquatableArray());
    }
}
