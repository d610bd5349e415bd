using System.Text.Json.Nodes;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;

namespace Modernizer.Agents.Tests;

/// <summary>The agentic path through the real Anthropic SDK against a local fake of the Messages API.</summary>
public sealed class AnthropicWireTests
{
    private readonly CodeReviewerRole _role = new();

    [Fact]
    public async Task A_judgment_travels_the_Messages_wire_format_and_records_its_spend()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution, input: 1000, output: 200));
        using var telemetry = new AgentTelemetry();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry);

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, result.Status);
        Assert.Equal("exclude small orders (qty < 10)", result.Output!.ChosenInterpretation);
        Assert.Equal(1000, result.InputTokens);
        Assert.Equal(200, result.OutputTokens);
        Assert.Equal((1000 * 3m + 200 * 15m) / 1_000_000m, result.CostUsd);
        var request = Assert.Single(server.Received);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(Gateways.TestKey, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.DoesNotContain("authorization", request.Headers.Keys);
        Assert.DoesNotContain(request.Headers, h => h.Key != "x-api-key" && h.Value.Contains(Gateways.TestKey, StringComparison.Ordinal));
        Assert.Equal("claude-sonnet-4-5", request.Json["model"]!.GetValue<string>());
        Assert.Contains("Code Reviewer", request.Body, StringComparison.Ordinal);
        Assert.Equal(1200, gateway.Ledger.For("orders_daily").Spent.TotalTokens);
    }

    [Fact]
    public async Task Every_attempt_including_retries_carries_the_key_in_x_api_key_and_never_as_a_bearer_token()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Error(529, "overloaded_error", "Overloaded", retryAfterSeconds: 0));
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution));
        using var telemetry = new AgentTelemetry();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry);

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, result.Status);
        Assert.Equal(2, server.Received.Count);
        Assert.All(server.Received, r =>
        {
            Assert.Equal(Gateways.TestKey, FakeAnthropicServer.ApiKeyOf(r.Headers));
            Assert.Equal("2023-06-01", r.Headers["anthropic-version"]);
            Assert.False(r.Headers.ContainsKey("authorization"), "no Authorization header: the key travels in x-api-key only");
        });
    }

    [Theory]
    [InlineData(true, false, 401, "authentication_error")]
    [InlineData(false, false, 401, "authentication_error")]
    [InlineData(false, true, 400, "invalid_request_error")]
    public async Task The_fake_refuses_what_the_API_refuses(bool bearerOnly, bool unknownVersion, int status, string error)
    {
        await using var server = new FakeAnthropicServer { Fallback = FakeAnthropicServer.Text("never") };
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "v1/messages"))
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (bearerOnly)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Gateways.TestKey);
        }
        else if (unknownVersion)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", Gateways.TestKey);
        }

        request.Headers.TryAddWithoutValidation("anthropic-version", unknownVersion ? "2026-10-21" : "2023-06-01");

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_use_block_runs_the_allow_listed_engine_function_and_returns_a_tool_result_block()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.ToolUse("toolu_01", "ask_data_profiler", new JsonObject { ["table"] = "raw.orders", ["column"] = "qty" }));
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution));
        using var telemetry = new AgentTelemetry();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry);
        var calls = 0;
        var tool = Microsoft.Extensions.AI.AIFunctionFactory.Create((string table, string column) =>
        {
            calls++;
            return $"{table}.{column} has 0 nulls";
        }, "ask_data_profiler", "test engine function");

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest([tool]), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, result.Status);
        Assert.Equal(1, calls);
        Assert.Equal(2, server.Received.Count);
        var second = server.Received[1].Json;
        var toolResult = second["messages"]!.AsArray()
            .SelectMany(m => m!["content"] is JsonArray blocks ? blocks : [])
            .Single(b => b!["type"]!.GetValue<string>() == "tool_result");
        Assert.Equal("toolu_01", toolResult!["tool_use_id"]!.GetValue<string>());
        Assert.Contains("0 nulls", toolResult.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(120 + 160, result.Tokens);
    }

    [Fact]
    public async Task Rate_limited_and_overloaded_answers_are_retried_honouring_retry_after()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", retryAfterSeconds: 1));
        server.Enqueue(FakeAnthropicServer.Error(529, "overloaded_error", "Overloaded", retryAfterSeconds: 0));
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution));
        using var telemetry = new AgentTelemetry();
        var retries = new List<RetryNotice>();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry, retries.Add);

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, result.Status);
        Assert.Equal(3, server.Received.Count);
        Assert.Equal(2, retries.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), retries[0].Delay);
        Assert.Contains("429", retries[0].Reason, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, retries[1].Delay);
        Assert.Contains("529", retries[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_cut_at_max_tokens_is_never_used_as_complete()
    {
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text("""{"chosen_interpretation":"exclude sm""", stopReason: "max_tokens"));
        using var telemetry = new AgentTelemetry();
        using var dir = new TestDirectory();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl, recordings: dir.Path), telemetry);

        var result = await new JudgmentRunner(gateway).AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Failed, result.Status);
        Assert.Null(result.Output);
        Assert.Contains(result.Problems, p => p.Contains("max_tokens", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task The_circuit_breaker_opens_after_repeated_server_errors_and_the_deterministic_result_stands()
    {
        await using var server = new FakeAnthropicServer { Fallback = FakeAnthropicServer.Error(500, "api_error", "Internal server error") };
        using var telemetry = new AgentTelemetry();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry);
        var runner = new JudgmentRunner(gateway);

        var first = await runner.AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);
        var callsAfterFirst = server.Received.Count;
        var second = await runner.AskAsync(_role, Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Failed, first.Status);
        Assert.Equal(JudgmentStatus.Failed, second.Status);
        Assert.Contains(second.Problems, p => p.Contains("circuit", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(callsAfterFirst, server.Received.Count);
    }
}
