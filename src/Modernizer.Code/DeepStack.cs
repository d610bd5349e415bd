namespace Modernizer.Code;

/// <summary>Runs work that walks syntax trees and plans on a dedicated thread with a large stack.
/// Legacy code nests deeply (a 10,000-step <c>withColumn</c> chain is a 10,000-deep plan); a
/// thread-pool stack (1.5 MB) would overflow where this one does not. The walks also check
/// <see cref="System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack"/>,
/// so even deeper input ends in a clear error, never in a process crash.</summary>
public static class DeepStack
{
    /// <summary>Stack size of the walking threads: reserved address space, committed only as used.</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    public static Task RunAsync(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync<object?>(() =>
        {
            work();
            return null;
        });
    }

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.SetResult(work());
                }
                catch (OperationCanceledException canceled)
                {
                    completion.SetCanceled(canceled.CancellationToken);
                }
                catch (Exception error)
                {
                    completion.SetException(error);
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = "modernizer-deep-walk",
        };
        thread.Start();
        return completion.Task;
    }

    /// <summary>Runs <paramref name="count"/> independent items on up to <paramref name="workers"/>
    /// large-stack threads.</summary>
    public static async Task ForEachAsync(int count, int workers, Action<int> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var next = -1;
        var threads = Enumerable.Range(0, Math.Max(1, Math.Min(workers, count))).Select(_ => RunAsync(() =>
        {
            int item;
            while ((item = Interlocked.Increment(ref next)) < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(item);
            }
        }));
        await Task.WhenAll(threads);
    }
}
