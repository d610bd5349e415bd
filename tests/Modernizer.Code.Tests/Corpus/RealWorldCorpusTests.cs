using Modernizer.Code.Analysis;
using Modernizer.Code.Plan;
using SortDirection = Modernizer.Code.Sql.Syntax.SortDirection;

namespace Modernizer.Code.Tests.Corpus;

/// <summary>Real-world-style jobs, one per construct that public PySpark code is built from and
/// that once made the analysis crash, go blind or report the wrong thing: helper factories,
/// typed parameters, Glue, classes, several files, Databricks notebooks, DLT, table names with
/// run-time parts, and the rules' known false positives and misses.</summary>
public sealed class RealWorldCorpusTests
{
    // ---- 1. No crash, ever ----

    [Fact]
    public async Task Dict_unpacking_and_keyword_only_arguments_are_analysed()
    {
        using var job = new TempJob().With("main.py", """
            from pyspark.sql import SparkSession

            DEFAULTS = {"mode": "overwrite"}
            SETTINGS = {**DEFAULTS, "table": "curated.orders"}

            def load(spark, *, source, target):
                df = spark.table(source)
                df.write.mode(SETTINGS["mode"]).saveAsTable(target)

            load(SparkSession.builder.getOrCreate(), source="raw.orders", target=SETTINGS["table"])
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Problems);
        Assert.Equal(["raw.orders"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.orders"], analysis.Targets.AsEnumerable());
        Assert.Contains(analysis.Writes, w => w.Mode == "overwrite");
    }

    [Fact]
    public async Task A_ten_thousand_step_with_column_chain_is_analysed_in_process_and_its_plan_is_cut()
    {
        var lines = new List<string> { "from pyspark.sql import functions as F", "df = spark.table('raw.orders')" };
        lines.AddRange(Enumerable.Range(0, 10_000).Select(i => $"df = df.withColumn('c{i}', F.col('amount') * {i})"));
        lines.Add("df.write.mode('overwrite').saveAsTable('curated.wide')");
        using var job = new TempJob().With("wide.py", string.Join('\n', lines) + "\n");

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["curated.wide"], analysis.Targets.AsEnumerable());
        var write = Assert.IsType<Write>(Assert.Single(analysis.Plans));
        var depth = 0;
        for (PlanNode node = write; node.Children.Count > 0; node = node.Children[0])
        {
            depth++;
        }

        Assert.True(depth <= 600, $"plan depth {depth}");
        Assert.Contains(PlanTree.Nodes(write), n => n is Opaque o && o.Reason.Contains("DataFrame steps", StringComparison.Ordinal));
        Assert.Contains(PlanTree.Nodes(write), n => n is Scan s && s.Table.Key == "raw.orders");
    }

    [Fact]
    public async Task A_call_chain_too_deep_for_python_is_reported_with_the_file_and_the_rest_is_analysed()
    {
        var chain = "df = (spark.table('raw.a')\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"    .withColumn('c{i}', F.lit({i}))\n")) + ")\n";
        using var job = new TempJob().With("deep.py", "from pyspark.sql import functions as F\n" + chain).With("ok.py", "spark.table('raw.b').write.saveAsTable('curated.b')\n");

        var analysis = await job.AnalyzeAsync();

        Assert.Contains(analysis.Targets, t => t == "curated.b");
        Assert.DoesNotContain(analysis.Problems, p => p.File == "ok.py");
    }

    // ---- 2. Never blind in silence ----

    [Fact]
    public async Task Spark_from_a_helper_in_another_file_is_recognised()
    {
        using var job = new TempJob()
            .With("dependencies/spark.py", """
                from pyspark.sql import SparkSession

                def start_spark(app_name="etl"):
                    spark = SparkSession.builder.appName(app_name).getOrCreate()
                    return spark, None, {"target": "curated.employees"}
                """)
            .With("jobs/etl_job.py", """
                from dependencies.spark import start_spark

                def main():
                    spark, log, config = start_spark(app_name="etl_job")
                    data = spark.read.parquet("/mnt/lake/raw/employees")
                    for row in data.collect():
                        print(row)
                    data.write.mode("overwrite").saveAsTable(config["target"])

                if __name__ == "__main__":
                    main()
                """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.employees"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.employees"], analysis.Targets.AsEnumerable());
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "ITR01" && a.File == "jobs/etl_job.py");
        Assert.Empty(analysis.NotUnderstood);
    }

    [Fact]
    public async Task An_unknown_session_factory_still_yields_spark_by_its_name()
    {
        using var job = new TempJob().With("main.py", """
            from company_utils import get_spark

            spark = get_spark()
            spark.table("raw.events").toPandas()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.events"], analysis.Sources.AsEnumerable());
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "DRV01");
    }

    [Fact]
    public async Task Typed_and_conventionally_named_parameters_are_a_session_and_a_dataframe()
    {
        using var job = new TempJob().With("transforms.py", """
            from pyspark.sql import SparkSession, DataFrame
            from pyspark.sql import functions as F

            def enrich(df: DataFrame) -> DataFrame:
                for row in df.collect():
                    print(row)
                return df.withColumn("loaded_at", F.current_timestamp())

            def run(session: SparkSession, target: str):
                session.table("raw.clicks").write.saveAsTable(target)

            def dedupe(orders_df):
                return orders_df.toPandas()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "ITR01" && a.Line == 5);
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "DRV01" && a.Line == 13);
        Assert.Equal(["raw.clicks"], analysis.Sources.AsEnumerable());
        Assert.Empty(analysis.NotUnderstood);
    }

    [Fact]
    public async Task Glue_jobs_read_and_write_through_the_catalog_and_dynamic_frames()
    {
        using var job = new TempJob().With("glue_job.py", """
            import sys
            from awsglue.transforms import *
            from awsglue.utils import getResolvedOptions
            from awsglue.context import GlueContext
            from awsglue.dynamicframe import DynamicFrame
            from awsglue.job import Job
            from pyspark.context import SparkContext

            args = getResolvedOptions(sys.argv, ["JOB_NAME"])
            sc = SparkContext()
            glueContext = GlueContext(sc)
            spark = glueContext.spark_session
            job = Job(glueContext)
            job.init(args["JOB_NAME"], args)

            persons = glueContext.create_dynamic_frame.from_catalog(database="legislators", table_name="persons_json")
            mapped = ApplyMapping.apply(frame=persons, mappings=[("id", "string", "id", "string")])
            df = mapped.toDF()
            rows = df.collect()
            out = DynamicFrame.fromDF(df.filter(df.id.isNotNull()), glueContext, "out")
            glueContext.write_dynamic_frame.from_options(frame=out, connection_type="s3",
                connection_options={"path": "s3://bucket/curated/persons"}, format="parquet")
            job.commit()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["legislators.persons_json"], analysis.Sources.AsEnumerable());
        Assert.Equal(["path:s3://bucket/curated/persons"], analysis.Targets.AsEnumerable());
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "DRV01" && a.Line == 19);
        Assert.Empty(analysis.NotUnderstood);
    }

    [Fact]
    public async Task A_dataframe_kept_on_self_is_followed_through_the_methods_of_a_class()
    {
        using var job = new TempJob().With("graph.py", """
            from pyspark.sql import SparkSession

            class GraphLoader:
                def __init__(self, spark):
                    self.spark = spark
                    self.vertices = spark.table("graph.vertices")

                def edges(self):
                    return self.spark.table("graph.edges")

                def run(self):
                    for row in self.vertices.collect():
                        print(row.id)
                    self.edges().write.mode("overwrite").saveAsTable("graph.edges_copy")

            GraphLoader(SparkSession.builder.getOrCreate()).run()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "ITR01" && a.Line == 12);
        Assert.Equal(["graph.vertices", "graph.edges"], analysis.Sources.AsEnumerable());
        Assert.Equal(["graph.edges_copy"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task Methods_nobody_calls_are_still_walked_with_their_object()
    {
        using var job = new TempJob().With("pipeline.py", """
            class Pipeline:
                def __init__(self, spark):
                    self.spark = spark

                def extract(self):
                    self.raw = self.spark.table("raw.sales")

                def load(self):
                    self.raw.toPandas()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.sales"], analysis.Sources.AsEnumerable());
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "DRV01" && a.Line == 9);
    }

    [Fact]
    public async Task A_file_with_spark_in_which_nothing_is_recognised_is_an_assumption_with_low_confidence()
    {
        using var job = new TempJob().With("main.py", """
            import pyspark
            from vendor.framework import run_pipeline

            run_pipeline("config.yaml")
            """).With("setup.py", "from setuptools import setup\nsetup(name='x')\n");

        var analysis = await job.AnalyzeAsync();

        var file = Assert.Single(analysis.NotUnderstood);
        Assert.Equal(("main.py", ProblemKinds.NoSparkOperation), (file.File, file.Reason));
        Assert.Contains(analysis.Assumptions, a => a.File == "main.py" && a.Confidence <= 0.3);
    }

    // ---- 3. Notebooks as Databricks runs them ----

    [Fact]
    public async Task A_sql_cell_ending_in_a_double_quote_is_embedded_safely()
    {
        using var job = new TempJob().With("nb.py", """
            # Databricks notebook source
            # MAGIC %sql
            # MAGIC SELECT * FROM raw.payments WHERE currency = "INR"

            # COMMAND ----------

            # MAGIC %sql
            # MAGIC INSERT INTO curated.payments SELECT * FROM raw.payments WHERE note = 'a "quoted" \ value'
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Problems);
        Assert.Equal(["raw.payments"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.payments"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task One_bad_cell_is_reported_and_the_other_cells_are_analysed()
    {
        using var job = new TempJob().With("nb.py", """
            # Databricks notebook source
            orders = spark.table("raw.orders")

            # COMMAND ----------

            orders \
            .join(x, "id") \ # a comment after a continuation
            .show()

            # COMMAND ----------

            orders.write.saveAsTable("curated.orders")
            """);

        var analysis = await job.AnalyzeAsync();

        var problem = Assert.Single(analysis.Problems);
        Assert.Equal(2, problem.Cell);
        Assert.InRange(problem.Line, 5, 7);
        Assert.Contains("cell 2", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["curated.orders"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task An_indented_cell_runs_as_ipython_runs_it()
    {
        using var job = new TempJob().With("nb.py", """
            # Databricks notebook source
                df = spark.table("raw.sessions")
                df.write.saveAsTable("curated.sessions")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Problems);
        Assert.Equal(["curated.sessions"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task Run_brings_the_included_notebooks_variables_functions_and_caches_into_scope()
    {
        using var job = new TempJob()
            .With("config.py", """
                # Databricks notebook source
                config = {"db": "sales", "target": "sales.daily"}

                def source(name):
                    return config["db"] + "." + name

                # COMMAND ----------

                orders = spark.table(source("orders")).cache()
                """)
            .With("main.py", """
                # Databricks notebook source
                # MAGIC %run ./config

                # COMMAND ----------

                orders.groupBy("day").count().write.saveAsTable(config["target"])
                orders.select("id").write.saveAsTable(config["db"] + ".ids")
                """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["sales.orders"], analysis.Sources.AsEnumerable());
        Assert.Equal(["sales.daily", "sales.ids"], analysis.Targets.AsEnumerable());
        Assert.DoesNotContain(analysis.AntiPatterns, a => a.RuleId == "MAT01");
        Assert.DoesNotContain(analysis.Sources, s => s.Contains('{', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delta_live_tables_datasets_are_writes_and_dlt_read_is_a_read()
    {
        using var job = new TempJob().With("dlt_pipeline.py", """
            # Databricks notebook source
            import dlt
            from pyspark.sql import functions as F

            @dlt.view
            def raw_orders():
                return spark.read.format("json").load("/mnt/landing/orders")

            @dlt.table(name="orders_clean", comment="cleaned")
            @dlt.expect_or_drop("valid_id", "id IS NOT NULL")
            def clean():
                return dlt.read("raw_orders").where(F.col("amount") > 0)

            @dlt.table
            def orders_daily():
                return dlt.read("orders_clean").groupBy("day").count()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["orders_clean", "orders_daily"], analysis.Targets.AsEnumerable());
        Assert.Equal(["path:/mnt/landing/orders"], analysis.Sources.AsEnumerable());
        Assert.DoesNotContain("raw_orders", analysis.Targets);
    }

    [Fact]
    public async Task Dlt_sql_parses_and_apply_changes_is_a_merge_from_its_source()
    {
        using var job = new TempJob().With("pipeline.sql", """
            CREATE OR REFRESH STREAMING TABLE customers_bronze
            AS SELECT * FROM cloud_files("/mnt/landing/customers", "json");

            CREATE OR REFRESH STREAMING TABLE customers_silver;

            APPLY CHANGES INTO live.customers_silver
            FROM stream(live.customers_bronze)
            KEYS (id)
            SEQUENCE BY operation_date
            STORED AS SCD TYPE 2;

            CREATE OR REFRESH LIVE TABLE customer_counts (
              CONSTRAINT valid_country EXPECT (country IS NOT NULL) ON VIOLATION DROP ROW
            ) AS SELECT country, count(*) AS n, payload:address.city AS city FROM live.customers_silver GROUP BY country, payload:address.city;
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Problems);
        Assert.Equal(["customers_bronze", "customers_silver", "customer_counts"], analysis.Targets.AsEnumerable());
        Assert.DoesNotContain("customers_bronze", analysis.Sources);
    }

    [Fact]
    public async Task Findings_in_a_jupyter_notebook_name_the_cell_and_the_line_in_it()
    {
        using var job = new TempJob().With("nb.ipynb", """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# Revenue"]},
              {"cell_type": "code", "metadata": {}, "source": ["df = spark.table('raw.orders')\n", "pdf = df.toPandas()"]}
            ], "nbformat": 4, "nbformat_minor": 5}
            """);

        var analysis = await job.AnalyzeAsync();

        var finding = Assert.Single(analysis.AntiPatterns, a => a.RuleId == "DRV01");
        Assert.Equal((10, 2, 2), (finding.Line, finding.Cell!.Value, finding.CellLine!.Value));
    }

    // ---- 4. One table, one name ----

    [Fact]
    public async Task Run_time_parts_keep_their_expression_so_tables_neither_split_nor_merge()
    {
        using var job = new TempJob().With("main.py", """
            import json
            cfg = json.load(open("conf.json"))
            a = spark.table(f"{cfg['db']}.orders")
            b = spark.sql(f"SELECT * FROM {cfg['db']}.orders")
            c = spark.table(f"{cfg['schema']}.orders")
            a.union(b).union(c).write.saveAsTable(f"{cfg['db']}.orders_all")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["{cfg['db']}.orders", "{cfg['schema']}.orders"], analysis.Sources.AsEnumerable());
        var read = analysis.Reads.First();
        Assert.False(read.Resolved);
        Assert.Equal([false, true], read.Parts.Select(p => p.Resolved));
        Assert.Equal("cfg['db']", read.Parts[0].Expression);
        Assert.True(read.Confidence < 1.0);
    }

    [Fact]
    public async Task Names_without_a_known_expression_never_merge_into_one_table()
    {
        using var job = new TempJob().With("main.py", """
            first = spark.table(lookup_a())
            second = spark.table(lookup_b())
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(2, analysis.Sources.Length);
        Assert.DoesNotContain("{unknown}", analysis.Sources);
    }

    [Fact]
    public async Task An_unqualified_table_under_use_is_the_same_table_as_its_qualified_name()
    {
        using var job = new TempJob().With("main.py", """
            catalog = dbutils.widgets.get("catalog")
            db = dbutils.widgets.get("db")
            spark.sql(f"USE {catalog}.{db}")
            bronze = spark.table("bronze")
            again = spark.table(f"{catalog}.{db}.bronze")
            bronze.union(again).write.saveAsTable("silver")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["{catalog}.{db}.bronze"], analysis.Sources.AsEnumerable());
        Assert.Equal(["{catalog}.{db}.silver"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task A_time_travel_read_is_the_table_at_a_version()
    {
        using var job = new TempJob().With("main.py", """
            now = spark.table("curated.balances")
            before = spark.read.format("delta").option("versionAsOf", 12).table("curated.balances")
            old = spark.sql("SELECT * FROM curated.balances VERSION AS OF 11")
            now.exceptAll(before).write.saveAsTable("audit.balance_changes")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["curated.balances"], analysis.Sources.AsEnumerable());
        Assert.Equal([null, "version 12", "version 11"], analysis.Reads.Select(r => r.Version));
    }

    [Fact]
    public async Task Views_made_earlier_in_the_same_sql_are_never_sources()
    {
        using var job = new TempJob().With("report.sql", """
            CREATE OR REPLACE TEMP VIEW recent AS SELECT * FROM raw.orders WHERE day > '2024-01-01';
            CREATE OR REPLACE VIEW reporting.recent_v AS SELECT id, amount FROM recent;
            INSERT INTO curated.report SELECT * FROM reporting.recent_v;
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.orders"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.report"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task A_temp_view_over_an_unfollowed_dataframe_is_unresolved_not_a_table()
    {
        using var job = new TempJob().With("main.py", """
            from vendor import load_frame

            load_frame("events").createOrReplaceTempView("events_v")
            spark.sql("INSERT INTO curated.events SELECT * FROM events_v")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Sources);
        Assert.Equal(["curated.events"], analysis.Targets.AsEnumerable());
        Assert.Contains(analysis.Assumptions, a => a.Statement.Contains("temp view events_v", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_path_with_three_segments_under_a_mount_is_a_three_part_name()
    {
        using var job = new TempJob().With("main.py", """
            df = spark.read.format("delta").load("/mnt/lake/raw/finance/ledger")
            df.write.format("delta").mode("overwrite").save("/mnt/lake/curated/finance/account_balances")
            spark.read.parquet("/mnt/lake/raw/orders/date=2024-01-01").write.save("/mnt/lake/curated/orders")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(["raw.finance.ledger", "raw.orders"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.finance.account_balances", "curated.orders"], analysis.Targets.AsEnumerable());
    }

    // ---- 5. Rules that hold on real code ----

    [Fact]
    public async Task Known_false_positives_stay_quiet()
    {
        using var job = new TempJob().With("main.py", """
            from pyspark.sql import functions as F

            sc = spark.sparkContext
            sc.setCheckpointDir("/tmp/checkpoints")
            sc.setLogLevel("WARN")
            TARGET = "curated.daily"
            spark.sql("SELECT o.id, c.name FROM raw.orders o, raw.customers c WHERE o.customer_id = c.id").createOrReplaceTempView("joined")
            totals = spark.table("raw.orders").groupBy("region").agg(F.sum("amount").alias("amount")).collect()
            spark.sql("CREATE TABLE IF NOT EXISTS ops.etl_watermark (last_load_date TIMESTAMP)")
            spark.sql("INSERT INTO curated.daily SELECT * FROM joined WHERE day = '" + "2024-01-01" + "'")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.AntiPatterns.Where(a => a.RuleId is "RDD01" or "JN01" or "DRV01" or "PRT01" or "DYN01"));
    }

    [Fact]
    public async Task Known_misses_are_found()
    {
        using var job = new TempJob().With("main.py", """
            from pyspark.sql.functions import UserDefinedFunction, col
            from pyspark.sql.types import StringType

            def label(x):
                return "big" if x > 10 else "small"

            label_udf = UserDefinedFunction(label, StringType())
            df = spark.table("raw.items")
            for row in spark.table("ref.columns").collect():
                df = df.withColumn(row.name, col(row.source))
            for region in ["eu", "us"]:
                for day in range(3):
                    spark.table("raw.items").filter(col("region") == region).count()
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "UDF01" && a.Line == 7);
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "ITR04" && a.Line == 9);
        Assert.Contains(analysis.AntiPatterns, a => a.RuleId == "ITR01" && a.Line == 9);
        var itr02 = Assert.Single(analysis.AntiPatterns, a => a.RuleId == "ITR02");
        Assert.Contains("loop at line 12", itr02.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drv01_points_at_the_line_of_the_call()
    {
        using var job = new TempJob().With("main.py", """
            rows = (
                spark.table("raw.orders")
                .filter("amount > 0")
                .collect()
            )
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(4, Assert.Single(analysis.AntiPatterns, a => a.RuleId == "DRV01").Line);
    }

    [Fact]
    public async Task Delta_ddl_extensions_parse()
    {
        using var job = new TempJob().With("ddl.sql", """
            CREATE TABLE IF NOT EXISTS curated.customers (
              customer_key BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
              customer_id STRING NOT NULL COMMENT 'business key',
              signup_date DATE,
              signup_year INT GENERATED ALWAYS AS (YEAR(signup_date)),
              status STRING DEFAULT 'active',
              CONSTRAINT pk PRIMARY KEY (customer_key)
            ) USING DELTA
            PARTITIONED BY (signup_year)
            TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true');
            CREATE OR REPLACE TEMPORARY VIEW landing USING json OPTIONS (path '/mnt/landing/customers');
            INSERT INTO curated.customers (customer_id, signup_date) SELECT id, CAST(ts AS DATE) FROM landing;
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Problems);
        Assert.Empty(analysis.NotUnderstood);
        Assert.Equal(["curated.customers"], analysis.Targets.AsEnumerable());
        Assert.Empty(analysis.Sources);
    }

    [Fact]
    public async Task Sql_that_is_not_fully_parsed_is_not_understood_not_a_finding()
    {
        using var job = new TempJob().With("main.py", """
            spark.sql("SELEC broken FROM")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.AntiPatterns);
        Assert.Equal(ProblemKinds.SqlNotParsed, Assert.Single(analysis.NotUnderstood).Reason);
    }

    // ---- Held-out defects: taint, loops, spans, floor division ----

    [Fact]
    public async Task Bankers_rounding_is_found_through_dicts_lists_accumulators_and_returns()
    {
        using var job = new TempJob().With("main.py", """
            def total(rows):
                s = 0
                for r in rows:
                    s += r.amount
                return s

            rows = spark.table("raw.payments").collect()
            by_region = {}
            amounts = []
            for row in rows:
                by_region[row.region] = by_region.get(row.region, 0) + row.amount
                amounts.append(row.amount)
            for region, amount in by_region.items():
                print(region, round(amount, 2))
            print(round(sum(amounts), 2))
            print(round(total(rows), 2))
            """);

        var analysis = await job.AnalyzeAsync();

        var lines = analysis.SuspectedDefects.Where(d => d.Kind == "round_half_even").Select(d => d.Line).ToArray();
        Assert.Equal([14, 15, 16], lines);
    }

    [Fact]
    public async Task A_loop_over_dict_items_of_collected_rows_is_a_row_loop_with_a_proper_span()
    {
        using var job = new TempJob().With("main.py", """
            latest = {}
            for row in spark.table("raw.balances").collect():
                latest[row.account] = row.balance
            for account, balance in latest.items(): spark.sql(f"UPDATE curated.accounts SET balance = {balance} WHERE id = '{account}'")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Contains(analysis.AntiPatterns, a => a.RuleId is "ITR01" or "ITR03" && a.Line == 4);
        var loops = analysis.Plans.OfType<Loop>().ToArray();
        Assert.Equal(2, loops.Length);
        Assert.DoesNotContain(analysis.PlanText.Split('\n'), l => System.Text.RegularExpressions.Regex.Match(l, @":(\d+)-(\d+)") is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_pandas_sort_before_iterrows_is_in_the_loop_plan()
    {
        using var job = new TempJob().With("main.py", """
            pdf = spark.table("raw.txns").toPandas()
            for _, r in pdf.sort_values(["account", "ts"], ascending=[True, False]).iterrows():
                print(r["account"])
            """);

        var analysis = await job.AnalyzeAsync();

        var loop = Assert.Single(analysis.Plans.OfType<Loop>());
        var sort = Assert.IsType<Sort>(loop.Source);
        Assert.Equal([SortDirection.Ascending, SortDirection.Descending], sort.Order.Select(o => o.Direction));
    }

    [Fact]
    public async Task Python_floor_division_is_read_as_floor_not_truncation()
    {
        using var job = new TempJob().With("main.py", """
            from pyspark.sql import functions as F
            df = spark.table("raw.t").withColumn("bucket", F.col("amount") // 10)
            df.write.saveAsTable("curated.t")
            """);

        var analysis = await job.AnalyzeAsync();

        Assert.Contains("FLOOR", analysis.PlanText, StringComparison.Ordinal);
        Assert.DoesNotContain(" DIV ", analysis.PlanText, StringComparison.Ordinal);
    }
}
