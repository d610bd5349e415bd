using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;

namespace Modernizer.Agents.Tests;

public sealed class MalformedOutputTests
{
    private readonly CodeReviewerRole _role = new();

    [Fact]
    public async Task Invalid_answers_are_retried_with_the_validation_error_until_one_passes()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text("I think the first one."));
        server.Enqueue(FakeAnthropicServer.Text("""{"chosen_interpretation":"exclude everything","rationale":"x","confidence":0.9,"evidence_refs":["jobs/orders_daily/main.py:42"]}"""));
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution));
        using var telemetry = new AgentTelemetry();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry);

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, result.Status);
        Assert.Equal(3, result.Attempts);
        Assert.Contains("not a JSON object", server.Received[1].Body, StringComparison.Ordinal);
        Assert.Contains("chosen_interpretation must be one of", server.Received[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_that_cite_unknown_evidence_or_none_are_rejected_and_the_deterministic_result_stands()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text("""{"chosen_interpretation":"exclude test orders","rationale":"x","confidence":0.9,"evidence_refs":[]}"""));
        server.Enqueue(FakeAnthropicServer.Text("""{"chosen_interpretation":"exclude test orders","rationale":"x","confidence":0.9,"evidence_refs":["jobs/orders_daily/made_up.py:1"]}"""));
        server.Enqueue(FakeAnthropicServer.Text("""{"chosen_interpretation":"exclude test orders","rationale":"x","confidence":7,"evidence_refs":["jobs/orders_daily/main.py:42"]}"""));
        using var telemetry = new AgentTelemetry();
        var options = Gateways.AnthropicAt(server.BaseUrl);
        using var gateway = Gateways.Anthropic(options, telemetry);
        var step = new RoleStep(new JudgmentRunner(gateway), options.Limits, new EscalationThresholds());
        var deterministic = new AmbiguityResolution("exclude small orders (qty < 10)", "default", 0.6, ["jobs/orders_daily/main.py:42"]);

        var result = await step.DecideAsync(_role, Gateways.AmbiguityRequest(), deterministic, "assumption", r => r.ChosenInterpretation, CancellationToken.None);

        Assert.False(result.FromModel);
        Assert.Equal(deterministic, result.Result);
        var rejected = Assert.Single(result.Decisions, d => d.Kind == "model_output_rejected");
        Assert.Contains("evidence_refs is empty", rejected.Rationale, StringComparison.Ordinal);
        Assert.Contains("do not exist", rejected.Rationale, StringComparison.Ordinal);
        Assert.Contains("confidence must lie", rejected.Rationale, StringComparison.Ordinal);
        Assert.Equal(_role.InstructionsHash, result.Decisions[0].InstructionsHash);
        Assert.True(result.Decisions[0].Tokens > 0);
    }
}
