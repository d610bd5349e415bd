using Modernizer.Agents.Judgment;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;

namespace Modernizer.Agents.Tests;

/// <summary>The resilience middleware's per-request timeout (R5.2 limits in code): an answer slower than
/// the configured timeout is abandoned and retried; when every attempt is too slow the judgment ends
/// with a clear error, the deterministic result stands, and nothing is recorded.</summary>
public sealed class RequestTimeoutTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);
    private readonly TestDirectory _recordings = new();
    private readonly AgentTelemetry _telemetry = new();

    [Fact]
    public async Task An_answer_slower_than_the_request_timeout_is_retried_then_fails_clearly_and_nothing_is_recorded()
    {
        await using var server = new FakeAnthropicServer
        {
            Responder = _ => FakeAnthropicServer.Text(Gateways.ValidResolution) with { Delay = Slow },
        };
        var retries = new List<RetryNotice>();
        using var gateway = Gateways.Anthropic(WithTimeout(server.BaseUrl, maxRetries: 2), _telemetry, retries.Add);

        var result = await new JudgmentRunner(gateway).AskAsync(new CodeReviewerRole(), Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Failed, result.Status);
        Assert.Null(result.Output);
        Assert.Equal(3, server.Received.Count);
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Contains("timeout", r.Reason, StringComparison.OrdinalIgnoreCase));
        var problem = Assert.Single(result.Problems);
        Assert.Contains("still failed after retries", problem, StringComparison.Ordinal);
        Assert.Contains("timeout", problem, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, result.Tokens);
        Assert.Empty(Directory.EnumerateFiles(_recordings.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_slow_first_answer_is_abandoned_and_the_retry_is_the_one_used_and_recorded()
    {
        await using var server = new FakeAnthropicServer { Responder = _ => FakeAnthropicServer.Text(Gateways.ValidResolution, input: 100, output: 10) };
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution, input: 999, output: 99) with { Delay = Slow });
        var retries = new List<RetryNotice>();
        using var gateway = Gateways.Anthropic(WithTimeout(server.BaseUrl, maxRetries: 2), _telemetry, retries.Add);

        var result = await new JudgmentRunner(gateway).AskAsync(new CodeReviewerRole(), Gateways.AmbiguityRequest(), CancellationToken.None);

        Assert.Equal(JudgmentStatus.Accepted, result.Status);
        Assert.NotEmpty(retries);
        Assert.Contains("timeout", retries[0].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(110, result.Tokens);
        var recorded = Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_recordings.Path, "code_reviewer.jsonl")));
        Assert.Contains("\"input_tokens\":100", recorded, StringComparison.Ordinal);
    }

    private ModelOptions WithTimeout(Uri server, int maxRetries)
    {
        var options = Gateways.AnthropicAt(server, _recordings.Path);
        return options with { Resilience = options.Resilience with { RequestTimeout = Timeout, MaxRetries = maxRetries } };
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        _recordings.Dispose();
    }
}
