using Modernizer.Agents.Rewriting;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>A dict (Counter, defaultdict) a loop indexes only with constant keys: each key is a fold over
/// all rows, and the key exists only once some row wrote it. The legacy loop runs under CPython; the
/// rewrite must reconcile exactly.</summary>
public sealed class ConstantKeyDictRewriteTests
{
    private static readonly string[] Orders =
    [
        """{"id":1,"k":"a","x":0.1,"status":"ok"}""", """{"id":2,"k":"b","x":0.2,"status":"cancelled"}""", """{"id":3,"k":"a","x":0.3,"status":"ok"}""",
        """{"id":4,"k":"c","x":1e16,"status":"ok"}""", """{"id":5,"k":"c","x":1.0,"status":"ok"}""", """{"id":6,"k":"c","x":-1e16,"status":"ok"}""",
        """{"id":7,"k":"d","x":2.5,"status":"cancelled"}""", """{"id":8,"k":"a","x":0.7,"status":"ok"}""", """{"id":9,"k":null,"x":4.0,"status":"ok"}""",
    ];

    private const string OrderColumns = "id BIGINT, k STRING, x DOUBLE, status STRING";

    // Keys first written, in row order: rows (id 1), cancelled then big (both id 2, in body order), huge
    // (id 4), no_k (id 9) — neither the body's order nor the keys' sort order. "tiny" is never written.
    private const string CountingLoop = """
        for r in rows:
            if r["status"] == "cancelled":
                c["cancelled"] += 1
            if r["k"] is None:
                c["no_k"] += 1
            if r["x"] > 1e15:
                c["huge"] += 1
            if r["x"] < -1e20:
                c["tiny"] += 1
            if r["x"] > 0.15:
                c["big"] += 1
            c["rows"] += 1
        """;

    private static string Job(string prelude, string loop, string after, string schema) => $$"""
        from collections import Counter, defaultdict
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        rows = spark.table("raw.t").orderBy("id").collect()
        {{prelude}}
        {{loop}}
        {{after}}
        spark.createDataFrame(out, "{{schema}}").write.mode("overwrite").saveAsTable("curated.result")
        """;

    [Fact]
    public async Task Constant_key_counts_feed_a_per_row_expression_after_the_loop()
    {
        // missing["tiny"] on a Counter reads 0 without inserting it; len() counts only the keys written.
        const string schema = "id BIGINT, cancelled BIGINT, tiny BIGINT, tiny_get BIGINT, has_tiny BOOLEAN, has_huge BOOLEAN, n_keys BIGINT, share DOUBLE";
        var code = Job(
            "c = Counter()",
            CountingLoop,
            """out = [(r["id"], c["cancelled"], c["tiny"], c.get("tiny", 0), "tiny" in c, "huge" in c, len(c), r["x"] / c["rows"]) for r in rows]""",
            schema);
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, schema);
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Contains("1 | 2 | 0 | 0 | False | True | 5 |", string.Join("\n", await workspace.RowsAsync(workspace.LakeFolder("curated.result"))), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("c = Counter()", "")]
    [InlineData("c = defaultdict(int)", "")]
    [InlineData("c = {}", "plain")]
    public async Task A_constant_key_dict_iterates_its_keys_in_first_insertion_order(string prelude, string variant)
    {
        // The running position numbers the keys as dict(c) iterates them; "tiny" is absent.
        var loop = variant == "plain"
            ? CountingLoop.Replace("] += 1", "] = c.get(\"KEY\", 0) + 1", StringComparison.Ordinal)
            : CountingLoop;
        if (variant == "plain")
        {
            foreach (var key in new[] { "cancelled", "no_k", "huge", "tiny", "big", "rows" })
            {
                loop = loop.Replace($"c[\"{key}\"] = c.get(\"KEY\", 0)", $"c[\"{key}\"] = c.get(\"{key}\", 0)", StringComparison.Ordinal);
            }
        }

        const string schema = "pos BIGINT, field STRING, n BIGINT";
        var code = Job(
            prelude + "\nout = []",
            loop,
            "counts = dict(c)\ni = 0\nfor field, n in counts.items():\n    i += 1\n    out.append((i, field, n))",
            schema);
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, schema);
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            var legacy = await workspace.RowsAsync(workspace.LakeFolder("curated.result"));
            Assert.Equal(["1 | rows | 9", "2 | cancelled | 2", "3 | big | 7", "4 | huge | 1", "5 | no_k | 1"], legacy.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Constant_key_counts_written_as_a_one_row_table()
    {
        const string schema = "cancelled BIGINT, huge BIGINT, tiny BIGINT, n_keys BIGINT";
        var code = Job(
            "c = Counter()",
            CountingLoop,
            """out = [(c["cancelled"], c.get("huge", 0), dict(c).get("tiny", 0), len(dict(c)))]""",
            schema);
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, schema);
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Equal(["2 | 1 | 0 | 5"], await workspace.RowsAsync(workspace.LakeFolder("curated.result")));
        }
    }

    [Fact]
    public async Task A_dict_used_with_constant_keys_and_keys_from_the_row_is_refused()
    {
        var code = Job(
            "c = Counter()",
            "for r in rows:\n    c[\"rows\"] += 1\n    c[r[\"k\"]] += 1",
            "out = [(k, v) for k, v in c.items() if k is not None]",
            "k STRING, n BIGINT");
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "k STRING, n BIGINT");
        using (workspace)
        {
            Assert.Equal(RewriteStatus.Escalated, result.Status);
            var refusal = Assert.Single(result.Refusals);
            Assert.Contains("constant keys and keys from the row", refusal.Reason, StringComparison.Ordinal);
        }
    }
}
