using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modernizer.Agents.Limits;
using Modernizer.Agents.Recording;
using Modernizer.Agents.Telemetry;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Models;

/// <summary>The one door between roles and models. It owns the shared, stateful layers (provider client,
/// resilience with its circuit breaker, the budget ledger) and builds, per judgment, the chat pipeline:
/// <code>
/// function invocation -> tool-call guard -> budget -> OpenTelemetry -> [recording] -> resilience -> complete-output guard -> provider
/// function invocation -> tool-call guard -> budget -> OpenTelemetry -> complete-output guard -> replay     (replay mode)
/// </code>
/// With provider none and no replay, <see cref="IsEnabled"/> is false and roles stay deterministic.</summary>
public sealed class ModelGateway : IDisposable
{
    private readonly IChatClient? _transport;
    private readonly RecordingStore? _store;
    private readonly ILoggerFactory _loggerFactory;

    private ModelGateway(ModelOptions options, IChatClient? transport, RecordingStore? store, ILoggerFactory loggerFactory, AgentTelemetry telemetry)
    {
        Options = options;
        _transport = transport;
        _store = store;
        _loggerFactory = loggerFactory;
        Telemetry = telemetry;
        Ledger = new BudgetLedger(options.Limits.MaxTokensPerJob, options.Limits.MaxCostPerJobUsd);
    }

    public ModelOptions Options { get; }

    public BudgetLedger Ledger { get; }

    public AgentTelemetry Telemetry { get; }

    public bool IsEnabled => _transport is not null || (Options.Replay && _store is not null);

    /// <summary>The provider name as recorded in decisions and traces.</summary>
    public string ProviderName => Options.Provider switch
    {
        ModelProvider.Anthropic => "anthropic",
        ModelProvider.OpenAICompatible => "openai",
        _ => Options.Replay ? "replay" : "none",
    };

    /// <summary>A gateway that never calls a model (provider none): the default.</summary>
    public static ModelGateway Deterministic(AgentTelemetry telemetry) =>
        new(new ModelOptions(), null, null, NullLoggerFactory.Instance, telemetry);

    /// <summary>Builds the gateway from options and the environment. <paramref name="providerClient"/>
    /// replaces the SDK client (tests); <paramref name="onRetry"/> observes the resilience policy.</summary>
    public static ModelGateway Create(
        ModelOptions options,
        AgentTelemetry telemetry,
        ILoggerFactory? loggerFactory = null,
        Func<string, string?>? environment = null,
        HttpMessageHandler? handler = null,
        IChatClient? providerClient = null,
        Action<RetryNotice>? onRetry = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var store = options.RecordingsDirectory is { Length: > 0 } dir ? new RecordingStore(dir) : null;
        if (options.Replay)
        {
            if (store is null)
            {
                throw new ModelConfigurationException("Replay needs a recordings directory (llm.recordings).");
            }

            return new ModelGateway(options, null, store, loggerFactory, telemetry);
        }

        var provider = providerClient ?? ModelClientFactory.CreateProviderClient(options, environment, handler);
        IChatClient? transport = provider is null
            ? null
            : new ResilientChatClient(
                new CompleteOutputChatClient(provider),
                options.Resilience,
                loggerFactory.CreateLogger<ModelGateway>(),
                onRetry,
                timeProvider);
        return new ModelGateway(options, transport, store, loggerFactory, telemetry);
    }

    /// <summary>The chat pipeline for one judgment of <paramref name="role"/>, charging
    /// <paramref name="budget"/> and <paramref name="meter"/> and allowing only <paramref name="allowedTools"/>.</summary>
    internal IChatClient CreateJudgmentClient(RoleId role, JobBudget budget, UsageMeter meter, IReadOnlyCollection<string> allowedTools)
    {
        var roleName = RoleNames.Snake(role);
        IChatClient inner;
        if (Options.Replay)
        {
            inner = new CompleteOutputChatClient(new ReplayingChatClient(_store!, roleName, ProviderName, Options.Model));
        }
        else if (_transport is not null)
        {
            inner = _store is null ? new NonDisposing(_transport) : new RecordingChatClient(new NonDisposing(_transport), _store, roleName);
        }
        else
        {
            throw new InvalidOperationException("No model is configured (provider none); roles run their deterministic implementation.");
        }

        return new ChatClientBuilder(inner)
            .UseFunctionInvocation(_loggerFactory, f =>
            {
                f.MaximumIterationsPerRequest = Options.Limits.MaxToolRounds;
                f.TerminateOnUnknownCalls = true;
                f.IncludeDetailedErrors = false;
            })
            .Use(next => new ToolCallGuardChatClient(next, allowedTools, Options.Limits.MaxIdenticalToolCalls))
            .Use(next => new BudgetChatClient(next, budget, meter, Options.PriceOf(Options.Model)))
            .UseOpenTelemetry(_loggerFactory, AgentTelemetry.SourceName, otel => otel.EnableSensitiveData = false)
            .Build();
    }

    public void Dispose() => _transport?.Dispose();

    /// <summary>The shared transport outlives each judgment's pipeline.</summary>
    private sealed class NonDisposing(IChatClient inner) : DelegatingChatClient(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The gateway disposes the shared transport.
        }
    }
}
