using Modernizer.Agents.Rewriting;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>Builds a driver-loop job around a body, runs it under CPython for the legacy output, then
/// runs the Code Writer on it: a validated result means the DuckDB rendering computed, row for row,
/// the values Python computed.</summary>
internal static class RewriteHarness
{
    public static string LoopJob(string source, string body, string schema, string prelude = "out = []", string epilogue = "") => $$"""
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        rows = {{source}}
        {{prelude}}
        for r in rows:
        {{Indent(body)}}
        {{epilogue}}
        spark.createDataFrame(out, "{{schema}}").write.mode("overwrite").saveAsTable("curated.result")
        """;

    public static async Task<(RewriteResult Result, LegacyWorkspace Workspace)> RunAsync(
        string code, string inputColumns, string[] inputRows, string outputSchema, ModernizeSettings? settings = null)
    {
        var workspace = new LegacyWorkspace("job", code);
        await workspace.AddInputAsync("raw.t", inputColumns, inputRows);
        await workspace.RunLegacyAsync("curated.result", outputSchema);
        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), settings ?? ModernizeSettings.Default, CancellationToken.None);
        return (result, workspace);
    }

    /// <summary>Asserts the rewrite was validated; otherwise shows why, with both outputs.</summary>
    public static async Task AssertExactAsync(RewriteResult result, LegacyWorkspace workspace)
    {
        if (result.Status == RewriteStatus.Validated)
        {
            Assert.Equal(0, result.LoopsAfter);
            return;
        }

        var legacy = await workspace.RowsAsync(workspace.LakeFolder("curated.result"));
        var candidate = result.Checks.Length > 0 ? await workspace.RowsAsync(result.Checks[0].Candidate) : [];
        Assert.Fail($"{result.Status}: {result.Message}\nlegacy:\n  {string.Join("\n  ", legacy)}\nrewrite:\n  {string.Join("\n  ", candidate)}");
    }

    private static string Indent(string body) =>
        string.Join("\n", body.Split('\n').Select(line => "    " + line));
}
