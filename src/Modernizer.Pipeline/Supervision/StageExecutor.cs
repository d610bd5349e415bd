using System.Data.Common;
using System.Net.Sockets;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Stages;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Modernizer.Pipeline.Supervision;

/// <summary>Runs one stage's work with the limits enforced in code: a timeout per attempt and
/// retries with exponential backoff (Polly) for transient failures only. A transient failure is
/// an I/O, network, timeout or transient database error; anything else fails the stage at once.</summary>
internal sealed class StageExecutor
{
    private readonly ResiliencePipeline _pipeline;

    public StageExecutor(BudgetSettings budgets, RetrySettings retry, TimeProvider clock)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (budgets.AttemptsPerStage > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = budgets.AttemptsPerStage - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(retry.BaseDelayMs),
                MaxDelay = TimeSpan.FromMilliseconds(Math.Max(retry.MaxDelayMs, retry.BaseDelayMs)),
                UseJitter = retry.Jitter,
            });
        }

        builder.AddTimeout(TimeSpan.FromSeconds(budgets.StageTimeoutSeconds));
        _pipeline = builder.Build();
    }

    /// <summary>Runs the stage; returns its outcome and the attempts made, or throws the last error.</summary>
    public async Task<(StageOutcome Outcome, int Attempts)> RunAsync(IStageWork work, Func<int, StageContext> context, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var outcome = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await work.RunAsync(context(attempts), token);
                },
                cancellationToken);
            return (outcome, attempts);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new StageFailedException(attempts, e);
        }
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        TimeoutRejectedException or TimeoutException or IOException or HttpRequestException or SocketException => true,
        DbException db => db.IsTransient,
        _ => false,
    };
}

/// <summary>A stage that threw after its attempts; the supervisor records it as failed.</summary>
internal sealed class StageFailedException(int attempts, Exception inner)
    : Exception($"{inner.GetType().Name}: {inner.Message}", inner)
{
    public int Attempts { get; } = attempts;
}
