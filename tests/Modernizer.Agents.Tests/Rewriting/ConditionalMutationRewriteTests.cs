using Modernizer.Agents.Rewriting;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>Driver code that changes a list, dict, set or object under a condition known only at run
/// time (a count): the lift runs both branches against one heap, so the change must not be kept as if
/// it always happened. Content read afterwards is refused; a changed object nobody reads (or only
/// logs) does not block the rewrite.</summary>
public sealed class ConditionalMutationRewriteTests
{
    private static readonly string[] Orders =
    [
        """{"id":1,"k":"a","x":0.1,"status":"ok"}""", """{"id":2,"k":"b","x":0.2,"status":"cancelled"}""", """{"id":3,"k":"a","x":0.3,"status":"ok"}""",
    ];

    private const string OrderColumns = "id BIGINT, k STRING, x DOUBLE, status STRING";

    private static string Job(string prelude, string condition, string change, string read, string after = "") => $$"""
        import logging
        from pyspark.sql import SparkSession
        spark = SparkSession.builder.getOrCreate()
        total = spark.table("raw.t").count()
        {{prelude}}
        if {{condition}}:
            {{change}}
        {{read}}
        {{after}}
        spark.createDataFrame(out, "n BIGINT").write.mode("overwrite").saveAsTable("curated.result")
        """;

    [Theory]
    [InlineData("flags = []", "flags.append(\"big\")", "out = [(len(flags),)]")]
    [InlineData("flags = []", "flags += [\"big\"]", "out = [(len(flags),)]")]
    [InlineData("flags = []; alias = flags", "flags.extend([\"big\", \"huge\"])", "out = [(len(alias),)]")]
    [InlineData("flags = {}", "flags[\"big\"] = 1", "out = [(len(flags),)]")]
    [InlineData("flags = set()", "flags.add(\"big\")", "out = [(1 if flags else 0,)]")]
    [InlineData("flags = [\"big\"]", "flags.pop()", "out = [(len(flags),)]")]
    [InlineData("flags = []\ndef add(to):\n    to.append(\"big\")", "add(flags)", "out = [(len(flags),)]", "to.append")]
    [InlineData("holder = {\"flags\": []}", "holder[\"flags\"].append(\"big\")", "out = [(len(holder[\"flags\"]),)]")]
    public async Task Content_changed_under_a_run_time_condition_is_refused_where_it_is_read(string prelude, string change, string read, string? changedAt = null)
    {
        // Three rows: the condition is false, so the legacy job writes the untouched size.
        var code = Job(prelude, "total > 100", change, read);
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "n BIGINT");
        using (workspace)
        {
            Assert.Equal(RewriteStatus.Escalated, result.Status);
            Assert.True(result.Refusals.Length == 1, result.Message);
            var refusal = result.Refusals[0];
            // The reason names the change; the refusal is where the content is used (the read, or the
            // write it reaches).
            Assert.Contains($"changed at line {LineOf(code, changedAt ?? change)} under a condition known only at run time", refusal.Reason, StringComparison.Ordinal);
            Assert.InRange(refusal.Line, LineOf(code, read), LineOf(code, "spark.createDataFrame(out"));
        }
    }

    [Fact]
    public async Task A_list_changed_under_a_run_time_condition_and_never_read_does_not_block_the_rewrite()
    {
        var code = Job("flags = []\nlog = logging.getLogger(\"job\")", "total > 1", "flags.append(\"big\")", "log.info(\"flags %s (%d)\", flags, len(flags))", "out = [(total * 2,)]");
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "n BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Equal(["6"], await workspace.RowsAsync(workspace.LakeFolder("curated.result")));
        }
    }

    [Fact]
    public async Task Different_lists_returned_on_two_run_time_paths_and_only_logged_do_not_block_the_rewrite()
    {
        // As a data-quality helper does: nothing to check on an empty table, else the breaches found.
        const string helper = """
            log = logging.getLogger("job")
            def breaches_of(total):
                if total == 0:
                    return []
                breaches = []
                for limit in (1, 5):
                    if total > limit:
                        breaches.append(limit)
                return breaches
            """;
        var code = Job(helper, "total > 0", "log.info(\"rows\")", "found = breaches_of(total)", "log.info(\"breaches %s\", found)\nout = [(total,)]");
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "n BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Equal(["3"], await workspace.RowsAsync(workspace.LakeFolder("curated.result")));
        }
    }

    [Fact]
    public async Task Different_lists_chosen_at_run_time_are_refused_where_their_content_is_read()
    {
        var code = Job("flags = [\"none\"]", "total > 1", "flags = [\"big\", \"many\"]", "out = [(len(flags),)]");
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "n BIGINT");
        using (workspace)
        {
            Assert.Equal(RewriteStatus.Escalated, result.Status);
            var refusal = Assert.Single(result.Refusals);
            Assert.Contains("chosen at run time", refusal.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("LIMIT > 5")]
    [InlineData("len(names) == 2")]
    public async Task A_change_under_a_condition_known_when_lifting_is_kept(string condition)
    {
        var code = Job("LIMIT = 10\nnames = [\"a\", \"b\"]\nflags = []", condition, "flags.append(\"big\")", "out = [(len(flags) + total,)]");
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "n BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Equal(["4"], await workspace.RowsAsync(workspace.LakeFolder("curated.result")));
        }
    }

    [Fact]
    public async Task A_list_created_inside_the_run_time_branch_is_its_own_and_stays_exact()
    {
        // The list exists only on the path that built it; appending to it there is unconditional for it.
        var code = Job("n = 0", "total > 1", "local = []\n    local.append(total)\n    n = len(local)", "out = [(n,)]");
        var (result, workspace) = await RewriteHarness.RunAsync(code, OrderColumns, Orders, "n BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
            Assert.Equal(["1"], await workspace.RowsAsync(workspace.LakeFolder("curated.result")));
        }
    }

    private static int LineOf(string code, string text) =>
        code.Split('\n').Select((line, i) => (line, i)).First(p => p.line.Contains(text, StringComparison.Ordinal)).i + 1;
}
