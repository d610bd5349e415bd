using System.Text.Json;
using Modernizer.Agents.Rewriting;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>The second reconciliation (R4.4): where the workspace has a legacy runner (legacy/run.py), the
/// rewrite is delivered only when it also matches the runner's output on the inputs the parallel run read.
/// The runners here are small Python programs that speak the runner protocol.</summary>
public sealed class LegacyRunnerCheckTests
{
    private const string Code = """
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        rows = spark.table("raw.t").orderBy("id").collect()
        totals = {}
        for r in rows:
            if r["status"] == "cancelled":
                continue
            totals[r["k"]] = totals.get(r["k"], 0.0) + r["x"]
        out = [(k, v) for k, v in totals.items()]
        spark.createDataFrame(out, "k STRING, total DOUBLE").write.mode("overwrite").saveAsTable("curated.result")
        """;

    /// <summary>The runner protocol: JSONL tables in, JSONL tables with a schema file out. With
    /// <c>{skip}</c> = "cancelled" it computes what the job computes.</summary>
    private const string Runner = """
        import json, sys, os
        job, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
        if job != "job":
            sys.exit(2)
        totals = {}
        with open(os.path.join(src, "raw.t.jsonl")) as f:
            for line in sorted((json.loads(l) for l in f if l.strip()), key=lambda r: r["id"]):
                if line["status"] == "{skip}":
                    continue
                totals[line["k"]] = totals.get(line["k"], 0.0) + line["x"]
        os.makedirs(dst, exist_ok=True)
        with open(os.path.join(dst, "curated.result.jsonl"), "w") as f:
            for k, v in totals.items():
                f.write(json.dumps({"k": k, "total": v}) + "\n")
        with open(os.path.join(dst, "curated.result.schema.json"), "w") as f:
            json.dump({"table": "curated.result", "columns": [{"name": "k", "type": "string"}, {"name": "total", "type": "double"}]}, f)
        print("curated.result")
        """;

    private static readonly string[] Rows =
    [
        """{"id":1,"k":"a","x":1.5,"status":"ok"}""", """{"id":2,"k":"b","x":2.0,"status":"cancelled"}""", """{"id":3,"k":"a","x":0.25,"status":"ok"}""", """{"id":4,"k":"c","x":3.0,"status":"ok"}""",
    ];

    [Fact]
    public async Task A_rewrite_that_matches_the_runner_on_the_same_inputs_is_delivered()
    {
        using var workspace = await WorkspaceAsync(Runner.Replace("{skip}", "cancelled", StringComparison.Ordinal));

        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), ModernizeSettings.Default, CancellationToken.None);

        Assert.Equal(RewriteStatus.Validated, result.Status);
        var check = Assert.Single(result.Checks);
        Assert.NotNull(check.Runner);
        Assert.True(check.Runner.Exact, check.Runner.Error);
        Assert.Equal(2, check.Runner.Verdict!.Rows.Matched);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(RewriteLayout.For(workspace.Paths, new JobId("job")).Manifest));
        var runner = manifest.RootElement.GetProperty("reconciliation").GetProperty("targets")[0].GetProperty("legacy_runner");
        Assert.Equal("match", runner.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rewrite_that_matches_the_lake_but_not_the_runner_is_not_delivered()
    {
        // The runner's logic keeps the cancelled rows: the lake's historical output and the legacy logic
        // disagree, and the rewrite cannot be proven against both.
        using var workspace = await WorkspaceAsync(Runner.Replace("{skip}", "never", StringComparison.Ordinal));

        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), ModernizeSettings.Default, CancellationToken.None);

        Assert.Equal(RewriteStatus.Escalated, result.Status);
        var check = Assert.Single(result.Checks);
        Assert.Equal(Lake.Reconciliation.ReconciliationStatus.Match, check.Verdict.Status);
        Assert.False(check.Runner!.Exact);
        Assert.Contains("against the legacy runner: mismatch", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_that_fails_gives_no_verdict_and_the_rewrite_is_not_delivered()
    {
        using var workspace = await WorkspaceAsync("import sys\nsys.stderr.write('boom')\nsys.exit(1)\n");

        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), ModernizeSettings.Default, CancellationToken.None);

        Assert.NotEqual(RewriteStatus.Validated, result.Status);
        var check = Assert.Single(result.Checks);
        Assert.Null(check.Runner!.Verdict);
        Assert.Contains("boom", check.Runner.Error, StringComparison.Ordinal);
    }

    private static async Task<LegacyWorkspace> WorkspaceAsync(string runner)
    {
        var workspace = new LegacyWorkspace("job", Code);
        await workspace.AddInputAsync("raw.t", "id BIGINT, k STRING, x DOUBLE, status STRING", Rows);
        await workspace.RunLegacyAsync("curated.result", "k STRING, total DOUBLE");
        Directory.CreateDirectory(workspace.Paths.Legacy);
        await File.WriteAllTextAsync(Path.Combine(workspace.Paths.Legacy, "run.py"), runner);
        return workspace;
    }
}
