using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Emit;

/// <summary>Queries: operators are folded top-down into one SELECT block while they fit the
/// clause order (LIMIT, ORDER BY, DISTINCT, SELECT, QUALIFY, window, HAVING, GROUP BY, WHERE,
/// LATERAL VIEW, FROM); an operator that does not fit starts a derived table.</summary>
public sealed partial class SqlEmitter
{
    /// <summary>Clause stages, highest first; a block fills them in decreasing order.</summary>
    private enum Stage
    {
        From = 1,
        Lateral = 2,
        Where = 3,
        Aggregate = 4,
        Having = 5,
        Window = 6,
        Qualify = 7,
        Project = 8,
        Distinct = 9,
        Order = 10,
        Limit = 11,
        Empty = 12,
    }

    private sealed class Block
    {
        public Stage Lowest { get; set; } = Stage.Empty;

        public EquatableArray<Expr>? Items { get; set; }

        public bool Distinct { get; set; }

        public Relation? From { get; set; }

        public List<LateralView> Laterals { get; } = [];

        public Expr? Where { get; set; }

        public GroupBy? GroupBy { get; set; }

        public Expr? Having { get; set; }

        public Expr? Qualify { get; set; }

        public EquatableArray<SortItem> OrderBy { get; set; }

        public EquatableArray<SortItem> SortBy { get; set; }

        public Expr? Limit { get; set; }

        public Expr? Offset { get; set; }

        public EquatableArray<Hint> Hints { get; set; }

        public Dictionary<string, Expr> Windows { get; } = new(StringComparer.OrdinalIgnoreCase);

        public bool HideQualifiers { get; set; }

        /// <summary>A set operation that is the whole body (only ORDER BY / LIMIT above it).</summary>
        public QueryExpr? SetBody { get; set; }

        public bool Fits(Stage stage) => stage < Lowest;
    }

    /// <summary>The plan as a query.</summary>
    public Query ToQuery(PlanNode plan)
    {
        if (plan is Union or Intersect or Except)
        {
            return Query.Of(SetOperationOf(plan));
        }

        if (plan is Values { Rows.Count: > 0 } values && !(values.Rows.Count == 1 && values.Schema.Count == 0))
        {
            return Query.Of(new ValuesQuery(values.Rows.Select(r => r.Select(v => Expression(v, false)))));
        }

        var block = new Block();
        Fold(plan, block);
        return Finish(block);
    }

    /// <summary>INTERSECT binds tighter than UNION and EXCEPT.</summary>
    private static int SetLevel(PlanNode node) => node is Intersect ? 1 : 0;

    private QueryExpr SetOperationOf(PlanNode plan)
    {
        QueryExpr Operand(PlanNode node, bool right)
        {
            if (node is Union or Intersect or Except)
            {
                // Parenthesize what the parser would otherwise group differently.
                var keepsGrouping = right ? SetLevel(node) > SetLevel(plan) : SetLevel(node) >= SetLevel(plan);
                return keepsGrouping ? SetOperationOf(node) : ToQuery(node);
            }

            var query = ToQuery(node);
            return query.With.IsEmpty && query.OrderBy.IsEmpty && query.Limit is null && query.Offset is null ? query.Body : query;
        }

        return plan switch
        {
            Union union => new SetOperation(SetOperator.Union, union.All, Operand(union.Left, false), Operand(union.Right, true)) { ByName = union.ByName },
            Intersect intersect => new SetOperation(SetOperator.Intersect, intersect.All, Operand(intersect.Left, false), Operand(intersect.Right, true)),
            Except except => new SetOperation(SetOperator.Except, except.All, Operand(except.Left, false), Operand(except.Right, true)),
            _ => throw new InvalidOperationException("Not a set operation."),
        };
    }

    private void Fold(PlanNode node, Block block)
    {
        switch (node)
        {
            case Limit limit when block.Fits(Stage.Limit):
                block.Limit = Expression(limit.Count, false);
                block.Offset = ExpressionOrNull(limit.Offset);
                block.Lowest = Stage.Limit;
                Fold(limit.Input, block);
                return;
            case Sort sort when block.Fits(Stage.Order):
                var order = sort.Order.Select(item => item with { Expr = Expression(item.Expr, false) });
                if (sort.Global)
                {
                    block.OrderBy = order;
                }
                else
                {
                    block.SortBy = order;
                }

                block.Lowest = Stage.Order;
                Fold(sort.Input, block);
                return;
            case Distinct distinct when block.Fits(Stage.Distinct) && distinct.Columns.IsEmpty:
                block.Distinct = true;
                block.Lowest = Stage.Distinct;
                Fold(distinct.Input, block);
                return;
            case Project project when block.Fits(Stage.Project):
                block.Items = project.Expressions;
                block.Lowest = Stage.Project;
                Fold(project.Input, block);
                return;
            case Filter { Input: Aggregate } having when block.Fits(Stage.Having) && block.Items is null:
                // The aggregate must fold into this same block, so nothing above may have taken the select list.
                block.Having = having.Predicate;
                block.Lowest = Stage.Having;
                Fold(having.Input, block);
                return;
            case Filter { Input: Window } qualify when block.Fits(Stage.Qualify):
                block.Qualify = qualify.Predicate;
                block.Lowest = Stage.Qualify;
                Fold(qualify.Input, block);
                return;
            case Filter filter when block.Fits(Stage.Where) || (block.Lowest == Stage.Where && block.Where is not null):
                block.Where = block.Where is null ? filter.Predicate : new Binary(BinaryOp.And, filter.Predicate, block.Where);
                block.Lowest = Stage.Where;
                Fold(filter.Input, block);
                return;
            case Window window when block.Fits(Stage.Window):
                foreach (var expr in window.WindowExpressions)
                {
                    if (expr is Alias alias)
                    {
                        block.Windows[alias.Name] = alias.Operand;
                    }
                }

                block.Items ??= [Star.All, .. window.WindowExpressions];
                block.Lowest = Stage.Window;
                Fold(window.Input, block);
                return;
            case Aggregate aggregate when block.Fits(Stage.Aggregate) && block.Items is null:
                block.Items = aggregate.Aggregates;
                block.GroupBy = aggregate.GroupKeys.IsEmpty && aggregate.GroupingSets.IsEmpty
                    ? null
                    : new GroupBy(aggregate.Grouping, aggregate.Grouping == GroupingKind.GroupingSets ? [] : aggregate.GroupKeys, aggregate.GroupingSets);
                block.Lowest = Stage.Aggregate;
                Fold(aggregate.Input, block);
                return;
            case Generate generate when (block.Fits(Stage.Lateral) || block.Lowest == Stage.Lateral) && generate.Input is not Values { Rows.Count: 1, Schema.Count: 0 }:
                block.Laterals.Insert(0, new LateralView((FunctionCall)generate.Generator, generate.Outer, generate.Alias ?? NextAlias(), generate.ColumnNames));
                block.Lowest = Stage.Lateral;
                Fold(generate.Input, block);
                return;
            case Values { Rows.Count: 1, Schema.Count: 0 } when block.Fits(Stage.From):
                block.Lowest = Stage.From;
                return;
            case Join join when block.Fits(Stage.From):
                if (!join.Hints.IsEmpty)
                {
                    block.Hints = join.Hints;
                }

                block.From = RelationOf(join);
                block.Lowest = Stage.From;
                return;
            case Scan or SubqueryAlias or Generate or Values when block.Fits(Stage.From):
                block.From = RelationOf(node);
                block.Lowest = Stage.From;
                return;
            case Union or Intersect or Except when block.Items is null && block.Lowest >= Stage.Order:
                block.SetBody = SetOperationOf(node);
                block.Lowest = Stage.From;
                return;
            case Write or DefineView or Opaque or Loop:
                throw Dialect.Unsupported($"{node.GetType().Name} inside a query");
            default:
                // Does not fit the clause order left in this block: it becomes a derived table.
                block.From = new DerivedTable(ToQuery(node)) { Alias = NextAlias() };
                block.HideQualifiers = true;
                block.Lowest = Stage.From;
                return;
        }
    }

    private Query Finish(Block block)
    {
        if (block.SetBody is not null)
        {
            return new Query([], block.SetBody, block.OrderBy.Select(o => o with { Expr = Expression(o.Expr, true) }), block.Limit, block.Offset);
        }

        Expr Convert(Expr expr) => Expression(SubstituteWindows(expr, block), block.HideQualifiers);
        var items = (block.Items ?? [Star.All]).Select(item =>
        {
            if (item is ColumnRef { Binding: { Qualifier: null } binding } reference && block.Windows.TryGetValue(binding.Column, out var window) && reference.Parts.Count == 1)
            {
                return new Alias(Expression(window, block.HideQualifiers), binding.Column);
            }

            return Convert(item);
        });
        var select = new Select(items)
        {
            Hints = Dialect.Hints ? block.Hints : [],
            Distinct = block.Distinct,
            From = block.From is null ? [] : [block.From],
            LateralViews = [.. block.Laterals],
            Where = block.Where is null ? null : Convert(block.Where),
            GroupBy = block.GroupBy is null ? null : block.GroupBy with
            {
                Expressions = block.GroupBy.Expressions.Select(Convert),
                Sets = block.GroupBy.Sets.Select(set => set.Select(Convert)),
            },
            Having = block.Having is null ? null : Convert(block.Having),
            Qualify = block.Qualify is null ? null : Convert(block.Qualify),
        };
        return new Query([], select, block.OrderBy.Select(o => o with { Expr = Convert(o.Expr) }), block.Limit, block.Offset)
        {
            SortBy = block.SortBy.Select(o => o with { Expr = Convert(o.Expr) }),
        };
    }

    /// <summary>References to window outputs (by name) become the window expressions again.</summary>
    private static Expr SubstituteWindows(Expr expr, Block block)
    {
        if (block.Windows.Count == 0)
        {
            return expr;
        }

        return ExprTree.TransformUp(expr, e =>
            e is ColumnRef { Binding: { Qualifier: null } binding, Parts.Count: 1 } && block.Windows.TryGetValue(binding.Column, out var window)
                ? window
                : null).Value;
    }
}
