using System.Text.Json.Nodes;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Recording;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;

namespace Modernizer.Agents.Tests;

public sealed class RecordReplayTests
{
    private readonly CodeReviewerRole _role = new();

    [Fact]
    public async Task A_recorded_exchange_replays_without_any_model_and_gives_the_same_judgment_and_spend()
    {
        using var dir = new TestDirectory();
        using var telemetry = new AgentTelemetry();
        var tool = Microsoft.Extensions.AI.AIFunctionFactory.Create((string table, string column) => "no nulls", "ask_data_profiler");
        JudgmentResult<AmbiguityResolution> recorded;
        await using (var server = new FakeAnthropicServer())
        {
            server.Enqueue(FakeAnthropicServer.ToolUse("toolu_7", "ask_data_profiler", new JsonObject { ["table"] = "raw.orders", ["column"] = "qty" }));
            server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution, input: 500, output: 60));
            using var live = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl, recordings: dir.Path), telemetry);
            recorded = await new JudgmentRunner(live).AskAsync(_role, Gateways.AmbiguityRequest([tool]), CancellationToken.None);
        }

        using var replay = Gateways.Replay(dir.Path, telemetry);
        var replayed = await new JudgmentRunner(replay).AskAsync(_role, Gateways.AmbiguityRequest([tool]), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, recorded.Status);
        Assert.Equal(recorded.Status, replayed.Status);
        Assert.Equal(recorded.Output!.ChosenInterpretation, replayed.Output!.ChosenInterpretation);
        Assert.Equal(recorded.Output.Confidence, replayed.Output.Confidence);
        Assert.Equal(recorded.Output.EvidenceRefs.ToArray(), replayed.Output.EvidenceRefs.ToArray());
        Assert.Equal(recorded.Tokens, replayed.Tokens);
        Assert.Equal(recorded.CostUsd, replayed.CostUsd);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.Path, "code_reviewer.jsonl")).Length);
    }

    [Fact]
    public async Task A_prompt_without_a_recording_is_a_clear_error_naming_role_hash_and_file()
    {
        using var dir = new TestDirectory();
        using var telemetry = new AgentTelemetry();
        using var replay = Gateways.Replay(dir.Path, telemetry);

        var error = await Assert.ThrowsAsync<MissingRecordingException>(() =>
            new JudgmentRunner(replay).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None));

        Assert.Contains("code_reviewer", error.Message, StringComparison.Ordinal);
        Assert.Contains("prompt hash", error.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_prompt_does_not_replay_an_old_answer()
    {
        using var dir = new TestDirectory();
        using var telemetry = new AgentTelemetry();
        await using (var server = new FakeAnthropicServer())
        {
            server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution));
            using var live = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl, recordings: dir.Path), telemetry);
            await new JudgmentRunner(live).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);
        }

        using var replay = Gateways.Replay(dir.Path, telemetry);
        var changed = Gateways.AmbiguityRequest() with { Input = Gateways.Ambiguity() with { Description = "a different ambiguity" } };

        await Assert.ThrowsAsync<MissingRecordingException>(() => new JudgmentRunner(replay).AskAsync(_role, changed, CancellationToken.None));
    }
}
