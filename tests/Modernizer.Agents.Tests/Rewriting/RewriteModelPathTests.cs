using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Agents.Safety;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>The Code Writer's model path (X1, X4): a job the lifter refuses goes to the model, whose
/// proposal passes the same gates as a lifted rewrite (parse, plan, sandbox run, exact reconciliation,
/// re-analysis). The model sits behind the fake Messages API; everything after its answer is real.</summary>
public sealed class RewriteModelPathTests : IDisposable
{
    /// <summary>A <c>while</c> loop inside the row loop: the lifter refuses it (main.py:8).</summary>
    private const string Code = """
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

    private const string Exact = "SELECT id, CASE WHEN id > 3 THEN pmod(id - 1, 3) + 1 ELSE id END AS n FROM raw.t";

    private const string Close = "SELECT id, id % 3 AS n FROM raw.t";

    private static readonly string[] Rows = [.. Enumerable.Range(1, 11).Select(i => $$"""{"id":{{i}},"k":"k{{i % 2}}"}""")];

    private readonly AgentTelemetry _telemetry = new();

    [Fact]
    public async Task A_refused_job_is_delivered_from_the_models_proposal_once_it_reconciles_exactly()
    {
        using var workspace = await LegacyAsync();
        await using var server = new FakeAnthropicServer { Responder = request => Propose(request, Exact) };

        var outcome = await RunAsync(workspace, server.BaseUrl);

        Assert.Equal(StageStatus.Completed, outcome.Status);
        var layout = RewriteLayout.For(workspace.Paths, new JobId("job"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(layout.Manifest));
        var root = manifest.RootElement;
        Assert.Equal("validated", root.GetProperty("status").GetString());
        Assert.Equal(0, root.GetProperty("loops_after").GetInt32());
        var attempts = root.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["lifter:refused", "model:exact"], attempts.Select(a => $"{a.GetProperty("source").GetString()}:{a.GetProperty("outcome").GetString()}"));
        Assert.True(attempts[1].GetProperty("tokens").GetInt64() > 0);
        Assert.Contains(root.GetProperty("patterns").EnumerateArray(), p => p.GetProperty("rule").GetString() == "model_rewrite" && p.GetProperty("legacy").GetString() == "main.py:8-8");
        // The deliverable is the engine's rendering of the parsed plan, not the model's text.
        var spark = File.ReadAllText(layout.SparkSql);
        Assert.Contains("INSERT OVERWRITE", spark, StringComparison.Ordinal);
        Assert.DoesNotContain(Exact, spark, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(layout.Folder, ".model")));

        var modelAttempt = Assert.Single(outcome.Decisions, d => d.Kind == "rewrite_attempt" && d.Outcome == DecisionOutcome.Autonomous);
        Assert.True(modelAttempt.Tokens > 0);
        Assert.Equal(new Roles.Definitions.CodeWriterRole().InstructionsHash, modelAttempt.InstructionsHash);
        Assert.Contains("the model's proposal", modelAttempt.Rationale, StringComparison.Ordinal);

        // The legacy code reached the model only inside a data envelope; the refusal is its evidence.
        var prompt = PromptOf(Assert.Single(server.Received));
        Assert.Contains($"{DataEnvelope.Open} kind=\"legacy_code\" source=\"jobs/job/main.py\">>>", prompt, StringComparison.Ordinal);
        Assert.Contains("jobs/job/main.py:8", InputOf(server.Received[0])["refused"]![0]!["span"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proposal_that_does_not_reconcile_goes_back_to_the_model_with_the_diff()
    {
        using var workspace = await LegacyAsync();
        var asked = 0;
        await using var server = new FakeAnthropicServer { Responder = request => Propose(request, Interlocked.Increment(ref asked) == 1 ? Close : Exact) };

        var outcome = await RunAsync(workspace, server.BaseUrl);

        Assert.Equal(StageStatus.Completed, outcome.Status);
        var second = InputOf(server.Received[1])["earlier_attempts"]!.AsArray();
        var feedback = Assert.Single(second)!.GetValue<string>();
        Assert.Contains("mismatch", feedback, StringComparison.Ordinal);
        Assert.Contains("curated.result", feedback, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(RewriteLayout.For(workspace.Paths, new JobId("job")).Manifest));
        Assert.Equal(["refused", "mismatch", "exact"], manifest.RootElement.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_proposal_that_reads_a_table_the_job_does_not_read_never_runs_and_the_job_escalates()
    {
        using var workspace = await LegacyAsync();
        await workspace.AddInputAsync("raw.secrets", "id BIGINT, k STRING", """{"id":1,"k":"x"}""");
        await using var server = new FakeAnthropicServer { Responder = request => Propose(request, "SELECT id, id AS n FROM raw.secrets") };

        var outcome = await RunAsync(workspace, server.BaseUrl);

        Assert.Equal(StageStatus.Escalated, outcome.Status);
        var escalation = Assert.Single(outcome.Escalations);
        Assert.Equal(EscalationKind.NoExactRewrite, escalation.Kind);
        Assert.StartsWith("no exact set-based rewrite: main.py:8", escalation.Summary, StringComparison.Ordinal);
        Assert.Contains("raw.secrets", escalation.Summary, StringComparison.Ordinal);
        var layout = RewriteLayout.For(workspace.Paths, new JobId("job"));
        Assert.False(Directory.Exists(Path.Combine(layout.Folder, "output")));
        Assert.False(File.Exists(layout.SparkSql));
        using var manifest = JsonDocument.Parse(File.ReadAllText(layout.Manifest));
        Assert.Equal("escalated", manifest.RootElement.GetProperty("status").GetString());
        Assert.Equal(["lifter:refused", "model:refused", "model:refused"],
            manifest.RootElement.GetProperty("attempts").EnumerateArray().Select(a => $"{a.GetProperty("source").GetString()}:{a.GetProperty("outcome").GetString()}"));
    }

    [Fact]
    public async Task A_proposal_that_changes_data_is_rejected_by_the_role_check_and_never_parsed()
    {
        using var workspace = await LegacyAsync();
        await using var server = new FakeAnthropicServer { Responder = request => Propose(request, "DELETE FROM raw.t") };

        var outcome = await RunAsync(workspace, server.BaseUrl);

        Assert.Equal(StageStatus.Escalated, outcome.Status);
        var summary = Assert.Single(outcome.Escalations).Summary;
        Assert.Contains("no usable proposal (rejected)", summary, StringComparison.Ordinal);
        // One judgment, retried by the runner with the check's error, then the lifter's refusal stands.
        Assert.Equal(Math.Max(1, ModernizeSettings.Default.Budgets.AttemptsPerStage), server.Received.Count);
        Assert.Contains("DELETE", PromptOf(server.Received[^1]), StringComparison.Ordinal);
        Assert.Equal(Rows.Length, (await workspace.RowsAsync(workspace.LakeFolder("raw.t"))).Count);
    }

    private async Task<LegacyWorkspace> LegacyAsync()
    {
        var workspace = new LegacyWorkspace("job", Code);
        await workspace.AddInputAsync("raw.t", "id BIGINT, k STRING", Rows);
        await workspace.RunLegacyAsync("curated.result", "id BIGINT, n BIGINT");
        return workspace;
    }

    private async Task<StageOutcome> RunAsync(LegacyWorkspace workspace, Uri endpoint)
    {
        var settings = ModernizeSettings.Default with { Llm = new LlmSettings(LlmProvider.Anthropic, "claude-sonnet-4-5", 1024, 0, endpoint.ToString()) };
        using var services = AgentServices.Create(settings, _telemetry, name => name == "ANTHROPIC_API_KEY" ? Gateways.TestKey : null);
        return await new StageWorkCatalog(services).Create(RoleId.CodeWriter)
            .RunAsync(new StageContext(workspace.Paths, new JobId("job"), settings, 1), CancellationToken.None);
    }

    /// <summary>A fake model that answers every request with <paramref name="sql"/> for each target,
    /// citing the span the lifter refused.</summary>
    private static FakeAnthropicServer.Reply Propose(FakeAnthropicServer.ReceivedRequest request, string sql)
    {
        var input = InputOf(request);
        var answer = new JsonObject
        {
            ["targets"] = new JsonArray([.. input["targets"]!.AsArray().Select(t => (JsonNode)new JsonObject
            {
                ["table"] = t!["table"]!.GetValue<string>(),
                ["mode"] = "overwrite",
                ["select_sql"] = sql,
            })]),
            ["rationale"] = "the inner loop subtracts 3 until the value is at most 3",
            ["confidence"] = 0.8,
            ["evidence_refs"] = new JsonArray(input["refused"]![0]!["span"]!.GetValue<string>()),
        };
        return FakeAnthropicServer.Text(answer.ToJsonString(), input: 900, output: 120);
    }

    private static string PromptOf(FakeAnthropicServer.ReceivedRequest request) =>
        string.Join("\n", request.Json["messages"]!.AsArray().SelectMany(m => m!["content"] is JsonArray blocks
            ? blocks.Select(b => b!["text"]?.GetValue<string>() ?? string.Empty)
            : [m["content"]!.GetValue<string>()]));

    /// <summary>The typed input the runner sent, read back out of its envelope.</summary>
    private static JsonNode InputOf(FakeAnthropicServer.ReceivedRequest request)
    {
        var text = PromptOf(request);
        const string open = "source=\"input\">>>\n";
        var start = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var end = text.IndexOf("\n" + DataEnvelope.Close, start, StringComparison.Ordinal);
        return JsonNode.Parse(text[start..end])!["input"]!;
    }

    public void Dispose() => _telemetry.Dispose();
}
