using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Modernizer.Agents.Models;

/// <summary>One retry the resilience middleware made: after which failure, how long it waited.</summary>
public sealed record RetryNotice(int Attempt, TimeSpan Delay, string Reason);

/// <summary>Chat middleware (Polly): retries with jittered exponential backoff on 429, 5xx and 529 answers,
/// honouring the server's retry-after; a timeout per request; a circuit breaker that stops calling a
/// failing service. A request that still fails becomes a <see cref="ModelUnavailableException"/>.</summary>
internal sealed partial class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public ResilientChatClient(IChatClient inner, ResilienceOptions options, ILogger? logger = null, Action<RetryNotice>? onRetry = null, TimeProvider? timeProvider = null)
        : base(inner)
    {
        _logger = logger ?? NullLogger.Instance;
        var shouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && ModelErrors.Classify(e).Transient)
            .Handle<TimeoutRejectedException>();
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                DelayGenerator = args =>
                {
                    var retryAfter = args.Outcome.Exception is { } e ? ModelErrors.Classify(e).RetryAfter : null;
                    return ValueTask.FromResult(retryAfter is { } wait ? Min(wait, options.MaxRetryAfter) : (TimeSpan?)null);
                },
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.GetType().Name ?? "unknown";
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, reason);
                    onRetry?.Invoke(new RetryNotice(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? reason));
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = shouldHandle,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = Math.Max(2, options.BreakerMinimumThroughput),
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var materialized = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        try
        {
            return await _pipeline.ExecuteAsync(
                async token => await base.GetResponseAsync(materialized, options, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            throw new ModelUnavailableException("The model service circuit is open after repeated failures; roles use their deterministic results.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not ModelUnavailableException && ModelErrors.Classify(e).Transient)
        {
            throw new ModelUnavailableException($"The model service still failed after retries: {e.Message}", e);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A stream cannot be retried once it has yielded; the whole answer is fetched under the policy
        // and replayed as updates, so a half-received stream never reaches the caller.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model call attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, double delayMs, string reason);
}
