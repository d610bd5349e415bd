using Modernizer.Code.Emit;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Types;
using static Modernizer.Code.Plan.Exprs;

namespace Modernizer.Code.Tests.Plan;

/// <summary>The fluent builder frontends use: binds like SQL, validates, emits the same SQL.</summary>
public sealed class PlanBuilderTests
{
    [Fact]
    public void A_built_plan_binds_columns_and_emits_sql()
    {
        var orders = PlanBuilder.Scan("sales.orders", provider: TestSchemas.Provider).Alias("o");
        var customers = PlanBuilder.Scan("crm.customers", provider: TestSchemas.Provider).Alias("c");
        var plan = orders
            .Join(customers, JoinType.Inner, "o.customer_id = c.customer_id")
            .Filter("o.qty > 0")
            .Aggregate([Col("c.segment")], [Call("sum", Col("o.amount")).As("revenue")])
            .Build();
        Assert.Equal(
            "SELECT c.segment, sum(o.amount) AS revenue FROM sales.orders AS o JOIN crm.customers AS c ON o.customer_id = c.customer_id WHERE o.qty > 0 GROUP BY c.segment",
            SqlEmitter.Spark.Emit(plan, pretty: false));
        Assert.Equal(SparkType.Decimal(28, 2), PlanSchema.Of(plan).Columns[1].Type);
    }

    [Fact]
    public void A_non_boolean_filter_is_rejected()
    {
        var scan = PlanBuilder.Scan("sales.orders", provider: TestSchemas.Provider);
        Assert.Throws<ArgumentException>(() => scan.Filter("qty + 1"));
    }

    [Fact]
    public void With_column_replaces_or_appends_a_column()
    {
        var plan = PlanBuilder.Scan("crm.customers", provider: TestSchemas.Provider)
            .WithColumn("segment", Call("upper", Col("segment")))
            .WithColumn("flag", Lit(true))
            .Build();
        Assert.Equal(["customer_id", "name", "segment", "flag"], PlanSchema.Of(plan).Columns.Select(c => c.Name));
    }
}
