using Modernizer.Code.Analysis;
using Modernizer.Code.Frontend;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Tests.Frontend;

public sealed class LineageTests
{
    [Fact]
    public async Task Constants_flow_through_dicts_fstrings_format_percent_and_widget_defaults_from_job_yaml()
    {
        const string code = """
            CONFIG = {"schema": "raw", "table": "orders"}
            env = dbutils.widgets.get("env")
            src = f"{CONFIG['schema']}.{CONFIG['table']}"
            lines = "{}.{}".format(CONFIG["schema"], "order_lines")
            stores = "%s.%s" % ("raw", "stores")
            target = "curated." + env + "_orders"
            df = spark.table(src).join(spark.table(lines), "order_id").join(spark.table(stores), "store_id", "left")
            df.write.mode("overwrite").saveAsTable(target)
            """;
        using var job = new TempJob().With("main.py", code).With("job.yaml", "name: x\nparameters:\n  env: prod\n");

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.orders", "raw.order_lines", "raw.stores"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.prod_orders"], analysis.Targets.AsEnumerable());
        Assert.All(analysis.Writes, w => Assert.Equal(1.0, w.Confidence));
    }

    [Fact]
    public async Task An_unknown_table_name_is_a_hole_with_lower_confidence_and_an_assumption()
    {
        const string code = """
            import sys
            name = sys.argv[1]
            spark.table("raw." + name).write.saveAsTable("curated.copy")
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        var read = Assert.Single(analysis.Reads);
        Assert.True(read.Confidence < 1.0);
        Assert.Contains("{", read.Table, StringComparison.Ordinal);
        Assert.Contains(analysis.Assumptions, a => a.Statement.Contains("table name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paths_map_through_lake_mounts_and_temp_views_are_never_sources()
    {
        const string code = """
            from delta.tables import DeltaTable
            raw = spark.read.format("delta").load("/mnt/lake/raw/orders")
            raw.createOrReplaceTempView("orders_v")
            clean = spark.sql("WITH c AS (SELECT * FROM orders_v WHERE status = 'OK') SELECT order_id, amount FROM c")
            target = DeltaTable.forPath(spark, "dbfs:/mnt/lake/curated/orders_clean")
            target.alias("t").merge(clean.alias("s"), "t.order_id = s.order_id").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.orders"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.orders_clean"], analysis.Targets.AsEnumerable());
        Assert.Contains(analysis.Transformations, t => t.Kind == "scd_type_1");
    }

    [Fact]
    public async Task A_table_read_back_after_the_job_wrote_it_is_not_a_source()
    {
        const string code = """
            spark.table("raw.a").write.mode("overwrite").saveAsTable("curated.a")
            display(spark.table("curated.a"))
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.a"], analysis.Sources.AsEnumerable());
    }

    [Fact]
    public async Task Column_lineage_follows_selects_aliases_aggregates_and_joins()
    {
        const string code = """
            from pyspark.sql import functions as F
            o = spark.table("raw.orders")
            c = spark.table("raw.customers").select("customer_id", F.col("email").alias("contact"))
            daily = o.join(c, "customer_id").groupBy("order_date", "contact").agg(F.sum("amount").alias("revenue"))
            daily.write.saveAsTable("curated.daily")
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();
        var map = analysis.ColumnLineageMap;

        Assert.Equal(["raw.orders.amount"], map["curated.daily.revenue"].AsEnumerable());
        Assert.Equal(["raw.customers.email"], map["curated.daily.contact"].AsEnumerable());
        var revenue = analysis.ColumnLineage.Single(e => e.TargetColumn == "revenue");
        Assert.Contains(revenue.Inputs, i => i.Type == "DIRECT" && i.Subtype == "AGGREGATION");
        Assert.Contains(revenue.Inputs, i => i is { Type: "INDIRECT", Subtype: "JOIN", Column: "customer_id" });
        Assert.Contains(revenue.Inputs, i => i is { Type: "INDIRECT", Subtype: "GROUP_BY", Column: "order_date" });
    }

    [Fact]
    public async Task Select_star_expands_with_a_schema_provider()
    {
        const string code = """
            spark.sql("INSERT OVERWRITE TABLE curated.copy SELECT * FROM raw.src")
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync(AnalyzerOptions.Default with { Schemas = new DictionarySchemaProvider(new Dictionary<string, Schema> { ["raw.src"] = Schema.Of(new SchemaColumn("id", SparkType.Int), new SchemaColumn("name", SparkType.String)) }) });

        Assert.Equal(["raw.src.id"], analysis.ColumnLineageMap["curated.copy.id"].AsEnumerable());
        Assert.Equal(["raw.src.name"], analysis.ColumnLineageMap["curated.copy.name"].AsEnumerable());
    }
}
