using System.Collections.Immutable;

namespace Modernizer.Agents.Models;

/// <summary>Which model provider the roles may consult. <see cref="None"/> is the default: every role
/// runs its deterministic implementation and no model is ever called.</summary>
public enum ModelProvider
{
    None,
    Anthropic,
    OpenAICompatible,
}

/// <summary>Price of one model in US dollars per million tokens.</summary>
public sealed record ModelPrice(decimal InputPerMillionUsd, decimal OutputPerMillionUsd)
{
    public decimal CostOf(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillionUsd) + (outputTokens * OutputPerMillionUsd)) / 1_000_000m;
}

/// <summary>The limits enforced in code (R5.2, X3 "limit reached"). A limit that is hit stops the
/// stage with a decision; <see cref="EscalateOnLimit"/> says whether the policy also asks a human.</summary>
public sealed record LimitOptions
{
    /// <summary>Total model tokens (input + output) one job may spend over all its stages.</summary>
    public long MaxTokensPerJob { get; init; } = 200_000;

    /// <summary>Total model cost in US dollars one job may spend over all its stages.</summary>
    public decimal MaxCostPerJobUsd { get; init; } = 2.00m;

    /// <summary>Model attempts for one judgment (the first try plus retries with the validation error).</summary>
    public int MaxAttemptsPerJudgment { get; init; } = 3;

    /// <summary>Wall-clock limit for one stage run.</summary>
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The same tool called with the same arguments this many times within one judgment is a loop.</summary>
    public int MaxIdenticalToolCalls { get; init; } = 3;

    /// <summary>Tool-calling rounds within one judgment.</summary>
    public int MaxToolRounds { get; init; } = 8;

    /// <summary>Consultation rounds per ambiguity before the policy may escalate (X1).</summary>
    public int MaxConsultationRounds { get; init; } = 3;

    public bool EscalateOnLimit { get; init; } = true;
}

/// <summary>Retry, timeout and circuit-breaker settings of the resilience middleware.</summary>
public sealed record ResilienceOptions
{
    public int MaxRetries { get; init; } = 4;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait honoured from a retry-after header; longer waits fail the call.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Share of failed calls in the sampling window that opens the circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    public int BreakerMinimumThroughput { get; init; } = 4;

    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The agents' model configuration. The integrator maps the <c>llm:</c> section of
/// modernize.yaml onto this record; API keys are never part of it — they come from the environment
/// (<c>ANTHROPIC_API_KEY</c>, <c>OPENAI_API_KEY</c>) and are never logged.</summary>
public sealed record ModelOptions
{
    public ModelProvider Provider { get; init; } = ModelProvider.None;

    public string Model { get; init; } = "claude-sonnet-4-5";

    /// <summary>Base URL of the provider; null means the provider's default. Required for
    /// <see cref="ModelProvider.OpenAICompatible"/> servers other than OpenAI's own.</summary>
    public Uri? Endpoint { get; init; }

    public int MaxOutputTokens { get; init; } = 4096;

    public float Temperature { get; init; }

    /// <summary>Prices per model id; a model without a price is charged at <see cref="DefaultPrice"/>.</summary>
    public ImmutableDictionary<string, ModelPrice> Prices { get; init; } =
        ImmutableDictionary<string, ModelPrice>.Empty
            .Add("claude-sonnet-4-5", new ModelPrice(3m, 15m))
            .Add("claude-opus-4-1", new ModelPrice(15m, 75m))
            .Add("claude-haiku-4-5", new ModelPrice(1m, 5m));

    /// <summary>The conservative price charged for an unknown model, so a budget always binds.</summary>
    public ModelPrice DefaultPrice { get; init; } = new(15m, 75m);

    /// <summary>Folder of recorded exchanges. With <see cref="Replay"/> the model is never called and a
    /// missing recording is an error; otherwise, when set, live exchanges are recorded there.</summary>
    public string? RecordingsDirectory { get; init; }

    public bool Replay { get; init; }

    public LimitOptions Limits { get; init; } = new();

    public ResilienceOptions Resilience { get; init; } = new();

    public ModelPrice PriceOf(string model) => Prices.TryGetValue(model, out var price) ? price : DefaultPrice;
}
