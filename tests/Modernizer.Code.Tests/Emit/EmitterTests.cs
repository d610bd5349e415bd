using Modernizer.Code.Emit;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Tests.Plan;
using Modernizer.Code.Tests.Sql;

namespace Modernizer.Code.Tests.Emit;

/// <summary>The same plan printed for Spark SQL (deliverable) and DuckDB (local validation).</summary>
public sealed class EmitterTests
{
    private static PlanNode PlanOf(string sql) => new SqlToPlan(TestSchemas.Provider).PlanScript(sql).Single().Plan;

    private static void ValidateAll(string sql, string spark, string duckDb)
    {
        var plan = PlanOf(sql);
        Assert.Equal(spark, SqlEmitter.Spark.Emit(plan, pretty: false));
        Assert.Equal(duckDb, SqlEmitter.DuckDb.Emit(plan, pretty: false));
    }

    [Fact]
    public void Function_renames_differ_per_dialect()
    {
        ValidateAll(
            "SELECT nvl(o.status, 'n/a') AS s, date_add(o.order_date, 1) AS d1, datediff(o.order_date, DATE '2024-01-01') AS dd FROM sales.orders o",
            "SELECT nvl(o.status, 'n/a') AS s, date_add(o.order_date, 1) AS d1, datediff(o.order_date, DATE '2024-01-01') AS dd FROM sales.orders AS o",
            "SELECT coalesce(o.status, 'n/a') AS s, CAST(o.order_date AS DATE) + CAST(1 AS INT) AS d1, datediff('day', CAST(DATE '2024-01-01' AS DATE), CAST(o.order_date AS DATE)) AS dd FROM sales.orders AS o");
    }

    [Fact]
    public void Collect_list_skips_nulls_in_both_dialects()
    {
        ValidateAll(
            "SELECT customer_id, collect_list(status) AS statuses FROM sales.orders GROUP BY customer_id",
            "SELECT customer_id, collect_list(status) AS statuses FROM sales.orders GROUP BY customer_id",
            "SELECT customer_id, list(status) FILTER (WHERE status IS NOT NULL) AS statuses FROM sales.orders GROUP BY customer_id");
    }

    [Fact]
    public void Quoting_null_safe_equality_and_integer_division_follow_the_dialect()
    {
        ValidateAll(
            "SELECT `order`.qty div 2 AS half, `order`.status <=> 'X' AS same FROM sales.orders `order`",
            "SELECT `order`.qty div 2 AS half, `order`.status <=> 'X' AS same FROM sales.orders AS `order`",
            "SELECT \"order\".qty // 2 AS half, \"order\".status IS NOT DISTINCT FROM 'X' AS same FROM sales.orders AS \"order\"");
    }

    [Fact]
    public void Window_and_qualify_are_rebuilt_from_the_window_operator()
    {
        ValidateAll(
            "SELECT customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn FROM sales.orders QUALIFY rn = 1",
            "SELECT customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn FROM sales.orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) = 1",
            "SELECT customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn FROM sales.orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) = 1");
    }

    [Fact]
    public void Spark_typed_literals_become_casts_and_array_subscripts_shift_in_duckdb()
    {
        ValidateAll(
            "SELECT 1L AS a, 2.5D AS b, items[0] AS first_item FROM sales.orders",
            "SELECT 1L AS a, 2.5D AS b, items[0] AS first_item FROM sales.orders",
            "SELECT CAST(1 AS BIGINT) AS a, CAST(2.5 AS DOUBLE) AS b, items[1] AS first_item FROM sales.orders");
    }

    [Fact]
    public void A_construct_duckdb_cannot_express_is_unsupported_not_guessed()
    {
        var lateral = PlanOf("SELECT order_id, item FROM sales.orders LATERAL VIEW posexplode(items) t AS pos, item");
        Assert.Contains("LATERAL VIEW posexplode", SqlEmitter.Spark.Emit(lateral, pretty: false), StringComparison.Ordinal);
        Assert.Throws<UnsupportedConstructException>(() => SqlEmitter.DuckDb.Emit(lateral));
        Assert.Throws<UnsupportedConstructException>(() => SqlEmitter.DuckDb.Emit(PlanOf("SELECT monotonically_increasing_id() FROM sales.orders")));
        Assert.Throws<UnsupportedConstructException>(() => SqlEmitter.DuckDb.Emit(PlanOf("SELECT date_format(order_date, 'yyyy-QQQ') FROM sales.orders")));
    }

    [Fact]
    public void Date_formats_are_translated_to_strftime()
    {
        ValidateAll(
            "SELECT date_format(order_date, 'yyyy-MM-dd HH:mm') AS d FROM sales.orders",
            "SELECT date_format(order_date, 'yyyy-MM-dd HH:mm') AS d FROM sales.orders",
            "SELECT strftime(order_date, '%Y-%m-%d %H:%M') AS d FROM sales.orders");
    }

    [Fact]
    public void Writes_become_insert_create_and_merge_statements()
    {
        Assert.Equal(
            "INSERT OVERWRITE TABLE gold.t PARTITION (dt = '2024-01-01') SELECT order_id FROM sales.orders",
            SqlEmitter.Spark.Emit(PlanOf("INSERT OVERWRITE TABLE gold.t PARTITION (dt = '2024-01-01') SELECT order_id FROM sales.orders"), pretty: false));
        Assert.Equal(
            "CREATE OR REPLACE TABLE gold.t AS SELECT order_id FROM sales.orders",
            SqlEmitter.DuckDb.Emit(PlanOf("INSERT OVERWRITE gold.t SELECT order_id FROM sales.orders"), pretty: false));
        Assert.Equal(
            "CREATE OR REPLACE TABLE gold.t USING delta PARTITIONED BY (order_date) AS SELECT order_id, order_date FROM sales.orders",
            SqlEmitter.Spark.Emit(PlanOf("CREATE OR REPLACE TABLE gold.t USING delta PARTITIONED BY (order_date) AS SELECT order_id, order_date FROM sales.orders"), pretty: false));
        Assert.Equal(
            "MERGE INTO crm.customers AS t USING staging.c AS s ON t.customer_id = s.customer_id WHEN MATCHED THEN UPDATE SET t.name = s.name WHEN NOT MATCHED THEN INSERT (customer_id, name) VALUES (s.customer_id, s.name)",
            SqlEmitter.Spark.Emit(PlanOf("MERGE INTO crm.customers t USING staging.c s ON t.customer_id = s.customer_id WHEN MATCHED THEN UPDATE SET t.name = s.name WHEN NOT MATCHED THEN INSERT (customer_id, name) VALUES (s.customer_id, s.name)"), pretty: false));
    }

    [Fact]
    public void Set_operations_inline_tables_and_table_functions_keep_their_meaning()
    {
        ValidateAll(
            "SELECT id FROM a UNION ALL SELECT id FROM b ORDER BY id LIMIT 3",
            "SELECT id FROM a UNION ALL SELECT id FROM b ORDER BY id LIMIT 3",
            "SELECT id FROM a UNION ALL SELECT id FROM b ORDER BY id LIMIT 3");
        ValidateAll(
            "SELECT t.id FROM VALUES (1, 'a'), (2, 'b') AS t(id, label)",
            "SELECT t.id FROM VALUES (1, 'a'), (2, 'b') AS t(id, label)",
            "SELECT t.id FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, label)");
        Assert.Throws<UnsupportedConstructException>(() => SqlEmitter.DuckDb.Emit(PlanOf("SELECT * FROM range(10)")));
    }

    public static IEnumerable<object[]> CorpusFiles => SqlCorpus.FileNames;

    /// <summary>Emitted Spark SQL plans back to the same plan (same formatted text). Files 04-06
    /// hold forms the emitter writes differently but equivalently (VALUES aliases, view column
    /// lists, MERGE sources), so they are covered by the parse check below instead.</summary>
    [Theory]
    [InlineData("01_selects.sql")]
    [InlineData("02_joins_subqueries.sql")]
    [InlineData("03_aggregates_windows.sql")]
    [InlineData("07_sample_jobs.sql")]
    public void Emitted_spark_sql_plans_back_to_the_same_plan(string file)
    {
        var original = new SqlToPlan(TestSchemas.Provider);
        var replanned = new SqlToPlan(TestSchemas.Provider);
        var failures = new List<string>();
        foreach (var statement in SparkSqlParser.Parse(SqlCorpus.Read(file)).Statements)
        {
            var plan = original.Plan(statement);
            if (plan is Opaque { PassThrough: false })
            {
                continue;
            }

            var emitted = SqlEmitter.Spark.Emit(plan);
            var again = replanned.Plan(SparkSqlParser.ParseStatement(emitted));
            if (PlanFormatter.Format(plan) != PlanFormatter.Format(again))
            {
                failures.Add($"{emitted}\n{PlanFormatter.Format(plan)}\n{PlanFormatter.Format(again)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>Every corpus statement plans and its Spark emission parses again (drops and other
    /// opaque statements are refused, never guessed).</summary>
    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_plan_emits_Spark_SQL_that_parses(string file)
    {
        var planner = new SqlToPlan(TestSchemas.Provider);
        var failures = new List<string>();
        foreach (var statement in SparkSqlParser.Parse(SqlCorpus.Read(file)).Statements)
        {
            var plan = planner.Plan(statement);
            string emitted;
            try
            {
                emitted = SqlEmitter.Spark.Emit(plan);
            }
            catch (UnsupportedConstructException) when (plan is Opaque { PassThrough: false })
            {
                continue;
            }

            var reparsed = SparkSqlParser.Parse(emitted, ParseOptions.Collecting);
            if (!reparsed.Succeeded)
            {
                failures.Add(emitted + "\n" + string.Join("\n", reparsed.Errors.Select(e => e.Render())));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
