using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>SELECT blocks and FROM items. A block becomes, bottom-up: FROM → Generate (lateral
/// views) → Filter (WHERE) → Aggregate → Filter (HAVING) | Window → Filter (QUALIFY) → Project →
/// Distinct. A Filter whose input is an Aggregate is the HAVING clause; its predicate is bound to
/// the aggregate's input and keeps aggregate calls inline.</summary>
public sealed partial class SqlToPlan
{
    private static readonly Values OneRow = new([[]], Schema.Empty);

    /// <summary>Plans a SELECT block; also returns its FROM scope (ORDER BY may use input columns).</summary>
    private (PlanNode Plan, Scope Scope) PlanSelect(Select select, Scope? outer)
    {
        Scope scope;
        PlanNode input;
        if (select.From.IsEmpty)
        {
            input = OneRow;
            scope = new Scope([], outer);
        }
        else
        {
            (input, scope) = PlanFromItems(select.From, outer);
        }

        if (!select.Hints.IsEmpty && input is Join hinted)
        {
            input = hinted with { Hints = select.Hints };
        }

        foreach (var lateral in select.LateralViews)
        {
            var generator = (FunctionCall)Bind(lateral.Generator, scope);
            var generate = new Generate(input, generator, lateral.Outer, lateral.TableAlias, lateral.ColumnAliases) { Span = lateral.Span };
            scope = scope.With(new ScopeEntry(lateral.TableAlias, null, PlanSchema.GeneratedColumns(generate)));
            input = generate;
        }

        if (select.Where is not null)
        {
            input = new Filter(input, Bind(select.Where, scope)) { Span = select.Where.Span };
        }

        var namedWindows = select.Windows.Items.ToDictionary(w => w.Name, w => w.Spec, StringComparer.OrdinalIgnoreCase);
        var items = ExpandStars(select.Items, scope).Select(item => Bind(ResolveNamedWindows(item, namedWindows), scope));
        var aggregated = select.GroupBy is not null
            || items.Items.Any(ContainsAggregate)
            || (select.Having is not null && ContainsAggregate(select.Having));

        PlanNode node;
        if (aggregated)
        {
            node = PlanAggregate(select, input, items, scope);
            if (select.Having is not null)
            {
                node = new Filter(node, Bind(ResolveSelectAliases(select.Having, select.Items, scope), scope)) { Span = select.Having.Span };
            }

            if (select.Qualify is not null)
            {
                node = new Filter(node, Bind(ResolveSelectAliases(ResolveNamedWindows(select.Qualify, namedWindows), select.Items, scope), scope)) { Span = select.Qualify.Span };
            }
        }
        else
        {
            var windows = ImmutableArray.CreateBuilder<Expr>();
            items = items.Select(item => ExtractWindows(item, windows, topLevel: true));
            Expr? qualify = null;
            if (select.Qualify is not null)
            {
                // QUALIFY may name window columns of the select list (rn = 1).
                var windowColumns = new Schema(windows.OfType<Alias>().Select(a => new SchemaColumn(a.Name, TypeInference.TypeOf(a.Operand), TypeInference.IsNullable(a.Operand))).ToEquatableArray());
                var qualifyScope = scope.With(new ScopeEntry(null, null, windowColumns));
                var bound = Bind(ResolveSelectAliases(ResolveNamedWindows(select.Qualify, namedWindows), select.Items, qualifyScope, windowAliasesOnly: true), qualifyScope);
                qualify = ExtractWindows(bound, windows, topLevel: false);
            }

            node = windows.Count > 0 ? new Window(input, windows.ToImmutable()) { Span = select.Span } : input;
            if (qualify is not null)
            {
                node = new Filter(node, qualify) { Span = select.Qualify!.Span };
            }

            node = new Project(node, items) { Span = select.Span };
        }

        if (select.Distinct)
        {
            node = new Distinct(node) { Span = select.Span };
        }

        return (node, scope);
    }

    private Aggregate PlanAggregate(Select select, PlanNode input, EquatableArray<Expr> items, Scope scope)
    {
        var groupBy = select.GroupBy ?? new GroupBy(GroupingKind.Plain, [], []);
        Expr Key(Expr key)
        {
            // GROUP BY 1 names the first select item; GROUP BY alias a select alias.
            if (key is Literal { Kind: LiteralKind.Integer } ordinal
                && int.TryParse(ordinal.Value, System.Globalization.CultureInfo.InvariantCulture, out var position)
                && position >= 1 && position <= items.Count)
            {
                return items[position - 1] is Alias alias ? alias.Operand : items[position - 1];
            }

            return Bind(ResolveSelectAliases(key, select.Items, scope), scope);
        }

        var keys = groupBy.All
            ? items.Items.Where(i => !ContainsAggregate(i)).Select(i => i is Alias a ? a.Operand : i).ToEquatableArray()
            : groupBy.Expressions.Select(Key);
        var sets = groupBy.Sets.Select(set => set.Select(Key));
        if (groupBy.Kind == GroupingKind.GroupingSets && keys.IsEmpty)
        {
            keys = sets.Items.SelectMany(s => s).Distinct().ToEquatableArray();
        }

        return new Aggregate(input, keys, items) { Grouping = groupBy.Kind, GroupingSets = sets, Span = select.Span };
    }

    /// <summary>Replaces a bare name that is not a column in scope but is a select alias with the aliased expression.</summary>
    private static Expr ResolveSelectAliases(Expr expr, EquatableArray<Expr> selectItems, Scope scope, bool windowAliasesOnly = false)
    {
        var aliases = selectItems.Items.OfType<Alias>().ToList();
        if (aliases.Count == 0)
        {
            return expr;
        }

        return ExprTree.TransformUp(expr, e =>
        {
            if (e is ColumnRef { Binding: null, Parts.Count: 1 } reference && scope.Resolve(reference.Parts, out _) is null)
            {
                var alias = aliases.FirstOrDefault(a => string.Equals(a.Name, reference.Name, StringComparison.OrdinalIgnoreCase));
                if (alias is not null && !(windowAliasesOnly && alias.Operand is FunctionCall { Over: not null }))
                {
                    return alias.Operand;
                }
            }

            return null;
        }).Value;
    }

    private static bool ContainsAggregate(Expr expr) => ExprTree.Descendants(expr).Any(e => e is FunctionCall { Over: null } call && FunctionCatalog.IsAggregate(call.Name));

    /// <summary>Moves window calls into the Window node's list, leaving references to their output names.</summary>
    private Expr ExtractWindows(Expr expr, ImmutableArray<Expr>.Builder windows, bool topLevel)
    {
        if (topLevel && expr is Alias { Operand: FunctionCall { Over: not null } call } alias)
        {
            windows.Add(alias);
            return WindowReference(alias.Name, call, alias.Span);
        }

        return ExprTree.TransformUp(expr, e =>
        {
            if (e is not FunctionCall { Over: not null } window)
            {
                return null;
            }

            var existing = windows.OfType<Alias>().FirstOrDefault(a => a.Operand.Equals(window));
            if (existing is not null)
            {
                return WindowReference(existing.Name, window, window.Span);
            }

            var name = NextName("_w");
            windows.Add(new Alias(window, name) { Span = window.Span });
            return WindowReference(name, window, window.Span);
        }).Value;
    }

    private static ColumnRef WindowReference(string name, FunctionCall call, SourceSpan span)
    {
        var typed = TypeInference.Infer(call);
        return new ColumnRef([new NamePart(name)]) { Binding = new ColumnBinding(null, name, typed.Type, typed.Nullable), Span = span };
    }

    private static Expr ResolveNamedWindows(Expr expr, Dictionary<string, WindowSpec> named)
    {
        if (named.Count == 0)
        {
            return expr;
        }

        return ExprTree.TransformUp(expr, e =>
        {
            if (e is FunctionCall { Over.BaseName: { } baseName } call && named.TryGetValue(baseName, out var spec))
            {
                var over = call.Over!;
                return call with
                {
                    Over = new WindowSpec(
                        null,
                        over.PartitionBy.IsEmpty ? spec.PartitionBy : over.PartitionBy,
                        over.OrderBy.IsEmpty ? spec.OrderBy : over.OrderBy,
                        over.Frame ?? spec.Frame),
                };
            }

            return null;
        }).Value;
    }

    /// <summary>* and t.* become the columns of the scope when their schemas are known.</summary>
    private static EquatableArray<Expr> ExpandStars(EquatableArray<Expr> items, Scope scope)
    {
        if (!items.Items.Any(i => i is Star))
        {
            return items;
        }

        var result = ImmutableArray.CreateBuilder<Expr>();
        foreach (var item in items)
        {
            if (item is not Star star)
            {
                result.Add(item);
                continue;
            }

            var qualifier = star.Qualifier.IsEmpty ? null : star.Qualifier[^1].Text;
            var entries = scope.Entries.Where(e => qualifier is null || string.Equals(e.Qualifier, qualifier, StringComparison.OrdinalIgnoreCase)).ToList();
            if (entries.Count == 0 || entries.Any(e => !e.Schema.IsKnown))
            {
                result.Add(item);
                continue;
            }

            foreach (var entry in entries)
            {
                foreach (var column in entry.Schema.Columns)
                {
                    var columnQualifier = entry.Qualifier ?? column.Qualifier;
                    EquatableArray<NamePart> parts = columnQualifier is null ? [new NamePart(column.Name)] : [new NamePart(columnQualifier), new NamePart(column.Name)];
                    result.Add(new ColumnRef(parts) { Span = star.Span });
                }
            }
        }

        return result.ToImmutable();
    }

    private (PlanNode Plan, Scope Scope) PlanFromItems(EquatableArray<Relation> from, Scope? outer)
    {
        var (plan, scope) = PlanRelation(from[0], new Scope([], outer));
        for (var i = 1; i < from.Count; i++)
        {
            var (right, rightScope) = PlanRelation(from[i], scope);
            plan = new Join(plan, right, JoinType.Cross, null) { Span = from[i].Span };
            scope = scope with { Entries = scope.Entries.AddRange(rightScope.Entries) };
        }

        return (plan, scope);
    }

    /// <summary>Plans one FROM item; <paramref name="scope"/> holds the items to its left (for LATERAL).</summary>
    private (PlanNode Plan, Scope Scope) PlanRelation(Relation relation, Scope scope)
    {
        var empty = new Scope([], scope.Outer);
        switch (relation)
        {
            case TableRef table:
                return PlanTableRef(table, empty);
            case DerivedTable derived:
                var lateralScope = derived.Lateral ? scope : scope.Outer;
                var inner = PlanQuery(derived.Query, lateralScope);
                return Aliased(inner, relation, null, empty);
            case TableFunction function:
                var generator = (FunctionCall)Bind(function.Call, empty);
                var generate = new Generate(OneRow, generator, false, relation.Alias, relation.ColumnAliases) { Span = relation.Span };
                return (generate, empty.With(new ScopeEntry(relation.Alias, null, PlanSchema.GeneratedColumns(generate))));
            case InlineTable inline:
                var values = PlanValues(inline.Rows, inline.Span, relation.ColumnAliases);
                return Aliased(values, relation with { ColumnAliases = [] }, null, empty);
            case JoinRelation join:
                return PlanJoin(join, scope);
            default:
                throw new InvalidOperationException($"SqlToPlan does not know {relation.GetType().Name}.");
        }
    }

    private (PlanNode Plan, Scope Scope) PlanTableRef(TableRef table, Scope empty)
    {
        var name = table.Name;
        // CTEs and views are inlined under their name (or the alias given at the reference).
        if (name.Parts.Count == 1 && FindCte(name.Parts[0].Text) is { } cte)
        {
            return Named(cte.Plan, table.Alias ?? name.Name, table.ColumnAliases.IsEmpty ? cte.Columns : table.ColumnAliases, table, empty);
        }

        if (views.TryGetValue(name.ToString(), out var view))
        {
            return Named(view, table.Alias ?? name.Name, table.ColumnAliases, table, empty);
        }

        var schema = (name.HasPlaceholder ? null : schemas?.GetSchema(name)) ?? Schema.Unknown;
        var scan = new Scan(name, schema) { TimeTravel = table.TimeTravel, Span = table.Span };
        return Aliased(scan, table, name.ToString(), empty, defaultAlias: name.Name);
    }

    private static (PlanNode Plan, Scope Scope) Named(PlanNode plan, string alias, EquatableArray<string> columns, Relation relation, Scope empty)
    {
        var named = new SubqueryAlias(plan, alias) { ColumnAliases = columns, Span = relation.Span };
        return (named, empty.With(new ScopeEntry(alias, null, PlanSchema.Of(named))));
    }

    private (PlanNode Plan, EquatableArray<string> Columns)? FindCte(string name)
    {
        foreach (var frame in ctes)
        {
            if (frame.TryGetValue(name, out var plan))
            {
                return plan;
            }
        }

        return null;
    }

    private static (PlanNode Plan, Scope Scope) Aliased(PlanNode plan, Relation relation, string? table, Scope empty, string? defaultAlias = null)
    {
        if (relation.Alias is not null)
        {
            plan = new SubqueryAlias(plan, relation.Alias) { ColumnAliases = relation.ColumnAliases, Span = relation.Span };
        }

        var qualifier = relation.Alias ?? defaultAlias;
        var schema = PlanSchema.Of(plan);
        if (qualifier is not null && relation.Alias is null)
        {
            schema = schema.WithQualifier(qualifier);
        }

        return (plan, empty.With(new ScopeEntry(qualifier, table, schema)));
    }

    private (PlanNode Plan, Scope Scope) PlanJoin(JoinRelation join, Scope scope)
    {
        var (left, leftScope) = PlanRelation(join.Left, scope);
        var (right, rightScope) = PlanRelation(join.Right, scope with { Entries = scope.Entries.AddRange(leftScope.Entries) });
        var combined = new Scope(leftScope.Entries.AddRange(rightScope.Entries), scope.Outer);
        var type = join.Kind switch
        {
            JoinKind.Inner => JoinType.Inner,
            JoinKind.LeftOuter => JoinType.LeftOuter,
            JoinKind.RightOuter => JoinType.RightOuter,
            JoinKind.FullOuter => JoinType.FullOuter,
            JoinKind.Cross => JoinType.Cross,
            JoinKind.LeftSemi => JoinType.LeftSemi,
            JoinKind.LeftAnti => JoinType.LeftAnti,
            _ => throw new InvalidOperationException($"Unknown join {join.Kind}."),
        };

        Expr? condition = join.On is null ? null : Bind(join.On, combined);
        var usingColumns = join.Using;
        if (join.Natural)
        {
            usingColumns = leftScope.Schema.Columns.Items.Select(c => c.Name)
                .Where(n => rightScope.Schema.Columns.Items.Any(c => c.NameIs(n)))
                .ToEquatableArray();
        }

        if (!usingColumns.IsEmpty)
        {
            foreach (var column in usingColumns)
            {
                var l = Bind(new ColumnRef([new NamePart(column)]) { Span = join.Span }, leftScope);
                var r = Bind(new ColumnRef([new NamePart(column)]) { Span = join.Span }, rightScope);
                Expr equality = new Binary(BinaryOp.Eq, l, r);
                condition = condition is null ? equality : new Binary(BinaryOp.And, condition, equality);
            }
        }

        var plan = new Join(left, right, type, condition) { Using = join.Using, Natural = join.Natural, Span = join.Span };
        if (type is JoinType.LeftSemi or JoinType.LeftAnti)
        {
            combined = combined with { Entries = leftScope.Entries };
        }

        return (plan, combined);
    }
}
