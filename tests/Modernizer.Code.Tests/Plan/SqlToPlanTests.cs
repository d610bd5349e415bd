using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Tests.Plan;

/// <summary>Name resolution: references bound to (table, column) for lineage; stars expanded when
/// schemas are known; CTEs and temp views resolved through scopes.</summary>
public sealed class SqlToPlanTests
{
    private static IEnumerable<ColumnBinding> Bindings(PlanNode plan) =>
        PlanTree.Nodes(plan).SelectMany(n => PlanExpressions.Of(n)).SelectMany(ExprTree.Descendants).OfType<ColumnRef>().Select(c => c.Binding!).Where(b => b is not null);

    [Fact]
    public void Columns_resolve_through_aliases_ctes_and_views_to_base_tables()
    {
        var planner = new SqlToPlan(TestSchemas.Provider);
        planner.PlanScript("CREATE TEMP VIEW v AS SELECT customer_id AS cid, amount FROM sales.orders");
        var plan = planner.PlanScript("WITH x AS (SELECT cid, amount FROM v) SELECT c.name, x.amount FROM x JOIN crm.customers c ON x.cid = c.customer_id").Single().Plan;
        var output = PlanSchema.Of(plan);
        Assert.Equal(("crm.customers", "name"), (output.Columns[0].Table, output.Columns[0].SourceColumn));
        Assert.Equal(("sales.orders", "amount"), (output.Columns[1].Table, output.Columns[1].SourceColumn));
        Assert.Empty(planner.Diagnostics);
        Assert.Contains(Bindings(plan), b => b is { Table: "sales.orders", SourceColumn: "customer_id" });
    }

    [Fact]
    public void Select_star_is_expanded_when_schemas_are_known_and_kept_otherwise()
    {
        var known = new SqlToPlan(TestSchemas.Provider).PlanScript("SELECT * FROM crm.customers").Single().Plan;
        Assert.Equal(["customer_id", "name", "segment"], PlanSchema.Of(known).Columns.Select(c => c.Name));
        var unknown = new SqlToPlan(TestSchemas.Provider).PlanScript("SELECT * FROM bronze.mystery").Single().Plan;
        Assert.False(PlanSchema.Of(unknown).IsKnown);
        Assert.IsType<Star>(Assert.IsType<Project>(unknown).Expressions[0]);
    }

    [Fact]
    public void Columns_of_tables_with_unknown_schema_are_attributed_when_only_one_could_hold_them()
    {
        var plan = new SqlToPlan().PlanScript("SELECT a, t.b FROM bronze.t t WHERE c > 1").Single().Plan;
        Assert.All(Bindings(plan), b => Assert.Equal("bronze.t", b.Table));
    }

    [Fact]
    public void Unresolvable_and_ambiguous_columns_are_diagnosed_with_positions()
    {
        var planner = new SqlToPlan(TestSchemas.Provider);
        planner.PlanScript("SELECT nope, customer_id\nFROM sales.orders o JOIN crm.customers c ON o.customer_id = c.customer_id");
        Assert.Equal(2, planner.Diagnostics.Count);
        Assert.Contains("cannot resolve column 'nope'", planner.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("ambiguous", planner.Diagnostics[1].Message, StringComparison.Ordinal);
        Assert.Equal(1, planner.Diagnostics[0].Span.Line);
    }

    [Fact]
    public void Correlated_subqueries_bind_to_the_outer_scope()
    {
        var plan = new SqlToPlan(TestSchemas.Provider).PlanScript("SELECT name FROM crm.customers c WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.customer_id = c.customer_id)").Single().Plan;
        var filter = PlanTree.Nodes(plan).OfType<Filter>().First();
        var subquery = Assert.IsType<PlanSubquery>(filter.Predicate);
        var inner = PlanTree.Nodes(subquery.Plan).OfType<Filter>().Single();
        Assert.Contains(ExprTree.Columns(inner.Predicate), c => c.Binding is { Table: "crm.customers", Qualifier: "c" });
    }

    [Fact]
    public void Join_keys_are_extracted_from_equalities()
    {
        var plan = new SqlToPlan(TestSchemas.Provider).PlanScript("SELECT 1 FROM sales.orders o JOIN crm.customers c ON o.customer_id = c.customer_id AND c.segment = 'X'").Single().Plan;
        var join = PlanTree.Nodes(plan).OfType<Join>().Single();
        Assert.Equal(2, join.Keys.Count);
    }

    [Fact]
    public void Plan_tree_rewrites_report_whether_anything_changed()
    {
        var plan = new SqlToPlan(TestSchemas.Provider).PlanScript("SELECT order_id FROM sales.orders WHERE qty > 1 LIMIT 5").Single().Plan;
        var unchanged = PlanTree.TransformUp(plan, _ => null);
        Assert.False(unchanged.Changed);
        Assert.Same(plan, unchanged.Value);
        var withoutLimit = PlanTree.TransformDown(plan, n => n is Limit l ? l.Input : null);
        Assert.True(withoutLimit.Changed);
        Assert.IsType<Project>(withoutLimit.Value);
        var rewritten = PlanTree.Rewrite(plan, n => (null, n is Filter ? Recursion.Skip : Recursion.Continue), n => n is Filter f ? f.Input : null);
        Assert.True(rewritten.Changed);
        Assert.DoesNotContain(PlanTree.Nodes(rewritten.Value), n => n is Filter);
    }
}
