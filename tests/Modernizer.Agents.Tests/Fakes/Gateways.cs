using System.Collections.Immutable;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Domain;

namespace Modernizer.Agents.Tests.Fakes;

/// <summary>Gateways and requests shared by the tests. Resilience delays are shortened so retries are fast.</summary>
internal static class Gateways
{
    public const string TestKey = "sk-ant-test-key-never-logged";

    public static ModelOptions AnthropicAt(Uri baseUrl, string? recordings = null) => new()
    {
        Provider = ModelProvider.Anthropic,
        Endpoint = baseUrl,
        Model = "claude-sonnet-4-5",
        MaxOutputTokens = 1024,
        RecordingsDirectory = recordings,
        Resilience = new ResilienceOptions
        {
            MaxRetries = 3,
            BaseDelay = TimeSpan.FromMilliseconds(5),
            RequestTimeout = TimeSpan.FromSeconds(20),
            BreakerMinimumThroughput = 3,
            BreakerFailureRatio = 0.5,
            BreakerBreakDuration = TimeSpan.FromSeconds(30),
        },
    };

    public static ModelGateway Anthropic(ModelOptions options, AgentTelemetry telemetry, Action<RetryNotice>? onRetry = null) =>
        ModelGateway.Create(options, telemetry, environment: name => name == ModelClientFactory.AnthropicKeyVariable ? TestKey : null, onRetry: onRetry);

    public static ModelGateway Replay(string recordings, AgentTelemetry telemetry, LimitOptions? limits = null) =>
        ModelGateway.Create(new ModelOptions { Replay = true, RecordingsDirectory = recordings, Limits = limits ?? new LimitOptions() }, telemetry);

    public static readonly JobId Job = new("orders_daily");

    public static AmbiguityInput Ambiguity(bool pii = false) => new(
        "AMB-1",
        "jobs/orders_daily/main.py:42",
        "Orders with qty below 10 are dropped; 10 is a magic number.",
        ["exclude small orders (qty < 10)", "exclude test orders"],
        pii,
        pii);

    public static JudgmentRequest<AmbiguityInput> AmbiguityRequest(ImmutableArray<Microsoft.Extensions.AI.AIFunction> tools = default, params DataItemArg[] data) => new(
        Job,
        Ambiguity(),
        [.. data.Select(d => new Safety.DataItem(d.Kind, d.Source, d.Content))],
        ["jobs/orders_daily/main.py:42", "jobs/orders_daily/profile.json#raw.orders.qty"],
        tools.IsDefault ? [] : tools);

    public const string ValidResolution = """
        {"chosen_interpretation":"exclude small orders (qty < 10)","rationale":"qty is never below 1; the filter drops small orders","confidence":0.86,"evidence_refs":["jobs/orders_daily/main.py:42"]}
        """;
}

internal sealed record DataItemArg(Safety.DataKind Kind, string Source, string Content);
