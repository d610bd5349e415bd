using Modernizer.Code.Plan;

namespace Modernizer.Code.Tests.Frontend;

public sealed class PlanBuilderTests
{
    private const string Code = """
        from pyspark.sql import functions as F
        orders = spark.table("raw.orders").filter(F.col("status") == "OK")
        daily = orders.groupBy("order_date").agg(F.sum("amount").alias("revenue"))
        lookup = {}
        for row in spark.table("raw.stores").collect():
            lookup[row.store_id] = row.region
        daily.write.mode("overwrite").saveAsTable("curated.daily")
        """;

    [Fact]
    public async Task Writes_become_write_nodes_over_the_shared_plan_operators()
    {
        using var job = new TempJob().With("main.py", Code);

        var analysis = await job.AnalyzeAsync();

        var write = Assert.Single(analysis.Plans.OfType<Write>());
        Assert.Equal("curated.daily", write.Target.Key);
        Assert.Equal(WriteMode.Overwrite, write.Mode);
        var aggregate = Assert.IsType<Aggregate>(write.Input);
        var filter = Assert.IsType<Filter>(aggregate.Input);
        Assert.Equal("raw.orders", Assert.IsType<Scan>(filter.Input).Table.Key);
    }

    [Fact]
    public async Task Loops_over_collected_rows_stay_structured_loop_nodes_with_their_source()
    {
        using var job = new TempJob().With("main.py", Code);

        var analysis = await job.AnalyzeAsync();

        var loop = Assert.Single(analysis.Plans.OfType<Loop>());
        Assert.Equal(5, loop.Span.Line);
        Assert.Equal("raw.stores", Assert.IsType<Scan>(loop.Source).Table.Key);
        Assert.Contains("Loop", analysis.PlanText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_rebuilt_in_python_are_an_opaque_node_with_the_reason()
    {
        const string code = """
            rows = [r for r in spark.table("raw.a").collect()]
            spark.createDataFrame(rows, "id int").write.saveAsTable("curated.a")
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        var write = Assert.Single(analysis.Plans.OfType<Write>());
        var opaque = Assert.IsType<Opaque>(write.Input);
        Assert.Contains("createDataFrame", opaque.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loop_body_of_python_only_logic_is_one_opaque_body_plan()
    {
        using var job = new TempJob().With("main.py", Code);

        var analysis = await job.AnalyzeAsync();

        var loop = Assert.Single(analysis.Plans.OfType<Loop>());
        var body = Assert.IsType<Opaque>(Assert.Single(loop.BodyPlans.Items));
        Assert.Equal(6, body.Span.Line);
        Assert.Contains("Python-only", body.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_and_spark_sql_in_a_row_loop_body_and_its_helpers_become_body_plans()
    {
        const string code = """
            def refresh(row):
                spark.sql(f"DELETE FROM curated.totals WHERE store_id = {row.store_id}")

            for row in spark.table("raw.stores").collect():
                df = spark.table("raw.orders").filter(f"store_id = {row.store_id}")
                df.write.mode("append").saveAsTable("curated.store_orders")
                refresh(row)
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        var loop = Assert.Single(analysis.Plans.OfType<Loop>());
        var write = Assert.Single(loop.BodyPlans.Items.OfType<Write>(), w => w.Target.Key == "curated.store_orders");
        Assert.Equal(WriteMode.Append, write.Mode);
        Assert.IsType<Filter>(write.Input);
        Assert.Contains(loop.BodyPlans.Items, b => b.Span.Line == 2 && b is not Opaque);
    }
}
