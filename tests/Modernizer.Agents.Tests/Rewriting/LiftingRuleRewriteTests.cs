using Modernizer.Agents.Rewriting;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>Each lifting rule on a job that uses it: the legacy loop runs under CPython, the rewrite
/// must reconcile exactly and hold no loop.</summary>
public sealed class LiftingRuleRewriteTests
{
    private const string Ordered = "spark.table(\"raw.t\").orderBy(\"id\").collect()";

    private static readonly string[] Orders =
    [
        """{"id":1,"k":"a","x":0.1,"status":"ok"}""", """{"id":2,"k":"b","x":0.2,"status":"cancelled"}""", """{"id":3,"k":"a","x":0.3,"status":"ok"}""",
        """{"id":4,"k":"c","x":1e16,"status":"ok"}""", """{"id":5,"k":"c","x":1.0,"status":"ok"}""", """{"id":6,"k":"c","x":-1e16,"status":"ok"}""",
        """{"id":7,"k":"d","x":2.5,"status":"cancelled"}""", """{"id":8,"k":"a","x":0.7,"status":"ok"}""", """{"id":9,"k":null,"x":4.0,"status":"ok"}""",
    ];

    private const string OrderColumns = "id BIGINT, k STRING, x DOUBLE, status STRING";

    [Fact]
    public async Task A_running_accumulator_becomes_a_window_that_sums_in_row_order()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "total += r[\"x\"]\nout.append((r[\"id\"], total))", "id BIGINT, total DOUBLE", prelude: "out = []\ntotal = 0.0"),
            OrderColumns, Orders, "id BIGINT, total DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Contains(result.Program!.Patterns, p => p.Rule == "ITR01");
        }
    }

    [Theory]
    [InlineData("if r[\"status\"] == \"cancelled\":\n    continue\ntotals[r[\"k\"]] = totals.get(r[\"k\"], 0.0) + r[\"x\"]")]
    [InlineData("if r[\"status\"] != \"cancelled\":\n    totals[r[\"k\"]] = totals.get(r[\"k\"], 0.0) + r[\"x\"]")]
    public async Task A_guarded_keyed_fold_becomes_an_aggregate_over_the_rows_that_pass_the_guard(string body)
    {
        // Key "d" has only cancelled rows: it must not appear. The code after the loop runs unguarded.
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, body, "k STRING, total DOUBLE", prelude: "totals = {}", epilogue: "out = [(k, round(v, 2)) for k, v in totals.items()]"),
            OrderColumns, Orders, "k STRING, total DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.DoesNotContain(await workspace.RowsAsync(workspace.LakeFolder("curated.result")), row => row.StartsWith("d |", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task First_seen_per_key_becomes_row_number_over_the_collect_order()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "if r[\"k\"] not in first:\n    first[r[\"k\"]] = r[\"id\"]", "k STRING, first_id BIGINT", prelude: "first = {}", epilogue: "out = [(k, v) for k, v in first.items()]"),
            OrderColumns, Orders, "k STRING, first_id BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Break_keeps_only_the_rows_before_the_first_that_breaks()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "if r[\"x\"] > 100:\n    break\nout.append((r[\"id\"], r[\"x\"] * 2))", "id BIGINT, y DOUBLE"),
            OrderColumns, Orders, "id BIGINT, y DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Per_row_filters_and_expressions_become_one_projection()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "if r[\"status\"] == \"ok\" and r[\"k\"] is not None:\n    label = r[\"k\"].upper() + \"-\" + str(r[\"id\"])\n    out.append((r[\"id\"], label, abs(r[\"x\"]) * 2))", "id BIGINT, label STRING, y DOUBLE"),
            OrderColumns, Orders, "id BIGINT, label STRING, y DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Column_names_without_types_take_the_types_PySpark_infers()
    {
        // int → bigint, float → double, str → string, as PySpark infers them from the rows.
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "if r[\"k\"] is not None:\n    out.append((r[\"id\"], r[\"k\"], r[\"x\"] / 4))", "unused")
                .Replace("\"unused\"", "[\"id\", \"kk\", \"quarter\"]", StringComparison.Ordinal),
            OrderColumns, Orders, "id BIGINT, kk STRING, quarter DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            var target = Assert.Single(result.Program!.Targets);
            Assert.Equal(["BIGINT", "STRING", "DOUBLE"], target.Schema.Columns.Items.Select(c => c.Type.SqlText));
        }
    }

    [Fact]
    public async Task A_helper_function_is_inlined_as_one_expression()
    {
        const string code = """
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()


            def band(x):
                if x is None:
                    return "none"
                if x < 0:
                    return "negative"
                elif x < 1:
                    return "small"
                return "large"


            rows = spark.table("raw.t").orderBy("id").collect()
            out = []
            for r in rows:
                out.append((r["id"], band(r["x"])))
            spark.createDataFrame(out, "id BIGINT, band STRING").write.mode("overwrite").saveAsTable("curated.result")
            """;
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "id BIGINT, band STRING");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task A_construct_without_an_exact_rewrite_is_escalated_with_its_line()
    {
        const string code = """
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()
            rows = spark.table("raw.t").orderBy("id").collect()
            out = []
            for r in rows:
                n = r["id"]
                while n > 3:
                    n = n - 3
                out.append((r["id"], n))
            spark.createDataFrame(out, "id BIGINT, n BIGINT").write.mode("overwrite").saveAsTable("curated.result")
            """;
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "id BIGINT, n BIGINT");
        using (workspace)
        {
            Assert.Equal(RewriteStatus.Escalated, result.Status);
            Assert.StartsWith("no exact set-based rewrite:", result.Message, StringComparison.Ordinal);
            var refusal = Assert.Single(result.Refusals);
            Assert.Equal("main.py", refusal.File);
            Assert.Equal(8, refusal.Line);
            Assert.False(File.Exists(Path.Combine(workspace.Paths.JobOutput(new Domain.JobId("job")), "rewrite", "job.sql")));
        }
    }
}
