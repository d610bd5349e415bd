using System.Text.Json.Nodes;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain.Decisions;

namespace Modernizer.Agents.Tests;

public sealed class LimitsTests
{
    private readonly CodeReviewerRole _role = new();

    [Fact]
    public async Task A_job_over_its_token_budget_stops_with_a_decision_and_a_limit_escalation()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution, input: 900, output: 200));
        using var telemetry = new AgentTelemetry();
        var options = Gateways.AnthropicAt(server.BaseUrl) with { Limits = new LimitOptions { MaxTokensPerJob = 1000 } };
        using var gateway = Gateways.Anthropic(options, telemetry);
        var step = new RoleStep(new JudgmentRunner(gateway), options.Limits, new EscalationThresholds());
        var deterministic = Deterministic();

        var first = await step.DecideAsync(_role, Gateways.AmbiguityRequest(), deterministic, "assumption", r => r.ChosenInterpretation, CancellationToken.None);
        var second = await step.DecideAsync(_role, Gateways.AmbiguityRequest(), deterministic, "assumption", r => r.ChosenInterpretation, CancellationToken.None);

        Assert.True(first.FromModel);
        Assert.Equal(1100, first.Decisions[0].Tokens);
        Assert.False(second.FromModel);
        Assert.Single(server.Received);
        var limit = Assert.Single(second.Decisions, d => d.Kind == "limit_reached");
        Assert.Equal(DecisionOutcome.Escalated, limit.Outcome);
        Assert.Equal("limit:budget", limit.Rule);
        Assert.Equal(EscalationKind.LimitReached, Assert.Single(second.Escalations).Kind);
        Assert.Equal(1100, gateway.Ledger.Spend()["orders_daily"].TotalTokens);
    }

    [Fact]
    public async Task A_job_over_its_dollar_budget_is_stopped_before_the_next_call()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution, input: 10_000, output: 10_000));
        using var telemetry = new AgentTelemetry();
        var options = Gateways.AnthropicAt(server.BaseUrl) with { Limits = new LimitOptions { MaxCostPerJobUsd = 0.10m, EscalateOnLimit = false } };
        using var gateway = Gateways.Anthropic(options, telemetry);
        var step = new RoleStep(new JudgmentRunner(gateway), options.Limits, new EscalationThresholds());

        await step.DecideAsync(_role, Gateways.AmbiguityRequest(), Deterministic(), "assumption", r => r.ChosenInterpretation, CancellationToken.None);
        var second = await step.DecideAsync(_role, Gateways.AmbiguityRequest(), Deterministic(), "assumption", r => r.ChosenInterpretation, CancellationToken.None);

        Assert.Equal(0.18m, gateway.Ledger.Spend()["orders_daily"].CostUsd);
        var limit = Assert.Single(second.Decisions, d => d.Kind == "limit_reached");
        Assert.Equal(DecisionOutcome.Autonomous, limit.Outcome);
        Assert.Empty(second.Escalations);
    }

    [Fact]
    public async Task The_same_tool_call_repeated_past_the_limit_is_stopped_as_a_loop()
    {
        await using var server = new FakeAnthropicServer
        {
            Fallback = FakeAnthropicServer.ToolUse("toolu_loop", "ask_data_profiler", new JsonObject { ["table"] = "raw.orders", ["column"] = "qty" }),
        };
        using var telemetry = new AgentTelemetry();
        var options = Gateways.AnthropicAt(server.BaseUrl) with { Limits = new LimitOptions { MaxIdenticalToolCalls = 2 } };
        using var gateway = Gateways.Anthropic(options, telemetry);
        var calls = 0;
        var tool = Microsoft.Extensions.AI.AIFunctionFactory.Create((string table, string column) => ++calls, "ask_data_profiler");

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest([tool]), CancellationToken.None);

        Assert.Equal(JudgmentStatus.LimitReached, result.Status);
        Assert.Equal("repeated_tool_call", result.Limit);
        Assert.Equal(2, calls);
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task A_judgment_past_the_wall_clock_limit_stops_as_a_timeout()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Error(529, "overloaded_error", "Overloaded", retryAfterSeconds: 5));
        using var telemetry = new AgentTelemetry();
        var options = Gateways.AnthropicAt(server.BaseUrl) with { Limits = new LimitOptions { StageTimeout = TimeSpan.FromMilliseconds(300) } };
        using var gateway = Gateways.Anthropic(options, telemetry);

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.LimitReached, result.Status);
        Assert.Equal("timeout", result.Limit);
    }

    private static AmbiguityResolution Deterministic() =>
        new("exclude small orders (qty < 10)", "first interpretation by default", 0.6, ["jobs/orders_daily/main.py:42"]);
}
