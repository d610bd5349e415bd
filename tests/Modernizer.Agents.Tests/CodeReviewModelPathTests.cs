using System.Text.Json.Nodes;
using Modernizer.Agents.Safety;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Agents.Tests.Support;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests;

/// <summary>The Code Reviewer stage on a retail sample job: with a model it resolves the analyzer's
/// assumptions by judgment, consulting the Data Profiler through the board (X1); recorded once against
/// the fake Messages API, the replayed run takes the same path and ends in the same state.</summary>
public sealed class CodeReviewModelPathTests : IDisposable
{
    private const string Job = "orders_incremental_merge";
    private readonly TestDirectory _dir = new();
    private readonly TestDirectory _recordings = new();
    private readonly AgentTelemetry _telemetry = new();

    public CodeReviewModelPathTests()
    {
        var source = SampleJobs.Folder(Job);
        var target = Path.Combine(_dir.Path, "jobs", Job);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    [Fact]
    public async Task Replayed_judgments_resolve_assumptions_with_consultation_and_end_in_the_same_state()
    {
        var deterministic = await RunAsync(_ => null);

        await using (var server = new FakeAnthropicServer { Responder = Resolve })
        {
            var live = await RunAsync(
                name => name switch { "ANTHROPIC_API_KEY" => Gateways.TestKey, AgentServices.RecordVariable => _recordings.Path, _ => null },
                server.BaseUrl);
            Assert.Equal(deterministic.Status, live.Status);
        }

        var replayed = await RunAsync(name => name == AgentServices.ReplayVariable ? _recordings.Path : null);

        Assert.Equal(deterministic.Status, replayed.Status);
        Assert.Equal(deterministic.Escalations.Select(e => e.Kind), replayed.Escalations.Select(e => e.Kind));
        var resolutions = replayed.Decisions.Where(d => d.Kind == "assumption_resolution").ToArray();
        Assert.NotEmpty(resolutions);
        Assert.All(resolutions, d =>
        {
            Assert.Equal(RoleId.CodeReviewer, d.Role);
            Assert.True(d.Tokens > 0);
            Assert.NotNull(d.InstructionsHash);
            Assert.Contains("model answer accepted", d.Rationale, StringComparison.Ordinal);
            Assert.NotEmpty(d.Alternatives);
        });
        Assert.Contains(replayed.Decisions, d => d.Kind == "consultation" && d.Rationale.Contains("Data Profiler", StringComparison.Ordinal));
        Assert.DoesNotContain(deterministic.Decisions, d => d.Kind is "assumption_resolution" or "consultation");
    }

    private async Task<StageOutcome> RunAsync(Func<string, string?> environment, Uri? endpoint = null)
    {
        var settings = endpoint is null && environment(AgentServices.ReplayVariable) is null
            ? ModernizeSettings.Default
            : ModernizeSettings.Default with { Llm = new LlmSettings(LlmProvider.Anthropic, "claude-sonnet-4-5", 1024, 0, endpoint?.ToString()) };
        using var services = AgentServices.Create(settings, _telemetry, environment);
        var work = new StageWorkCatalog(services).Create(RoleId.CodeReviewer);
        return await work.RunAsync(new StageContext(new WorkspacePaths(_dir.Path), new JobId(Job), settings, 1), CancellationToken.None);
    }

    /// <summary>A fake model: first asks the Data Profiler, then picks the last interpretation offered,
    /// citing the span it was given.</summary>
    private static FakeAnthropicServer.Reply Resolve(FakeAnthropicServer.ReceivedRequest request)
    {
        var messages = request.Json["messages"]!.AsArray();
        var text = string.Join("\n", messages.SelectMany(m => m!["content"] is JsonArray blocks
            ? blocks.Select(b => b!["text"]?.GetValue<string>() ?? "")
            : [m["content"]!.GetValue<string>()]));
        var start = text.IndexOf("source=\"input\">>>\n", StringComparison.Ordinal) + "source=\"input\">>>\n".Length;
        var end = text.IndexOf("\n" + DataEnvelope.Close, start, StringComparison.Ordinal);
        var input = JsonNode.Parse(text[start..end])!["input"]!;
        var askedAlready = messages.Any(m => m!["content"] is JsonArray blocks && blocks.Any(b => b!["type"]!.GetValue<string>() == "tool_result"));
        if (!askedAlready)
        {
            var id = string.Concat(input["ambiguity_id"]!.GetValue<string>().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
            return FakeAnthropicServer.ToolUse("toolu_" + id,
                "ask_data_profiler", new JsonObject { ["table"] = "raw.orders", ["column"] = "status" });
        }

        var interpretations = input["interpretations"]!.AsArray();
        var answer = new JsonObject
        {
            ["chosen_interpretation"] = interpretations[^1]!.GetValue<string>(),
            ["rationale"] = "the profile does not contradict it",
            ["confidence"] = 0.7,
            ["evidence_refs"] = new JsonArray(input["span"]!.GetValue<string>()),
        };
        return FakeAnthropicServer.Text(answer.ToJsonString(), input: 600, output: 50);
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        _dir.Dispose();
        _recordings.Dispose();
    }
}
