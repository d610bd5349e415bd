using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Modernizer.Samples.Generation;

/// <summary>One piece of the generator's work: what it is called, the items whose results it reads,
/// and the work itself, given a connection of its own to the generator's database.</summary>
internal sealed record WorkItem(string Name, ImmutableArray<string> After, Func<SampleDb, CancellationToken, Task> Run);

/// <summary>Runs work items once the items they name are done, up to <c>parallelism</c> at a time, each on
/// its own connection to the generator's database. Every statement runs on one thread (see
/// <see cref="SampleDb"/>) and reads only what the items it names wrote, so the order in which
/// independent items finish changes nothing in what they write: the output stays byte-identical.</summary>
internal sealed class StepGraph
{
    private readonly List<WorkItem> _items = [];

    public void Add(string name, IEnumerable<string> after, Func<SampleDb, CancellationToken, Task> run)
    {
        var dependencies = after.ToImmutableArray();
        if (_items.Any(i => i.Name == name))
        {
            throw new InvalidOperationException($"work item '{name}' is added twice");
        }

        // Added in an order that respects the dependencies, so the graph has no cycle by construction.
        if (dependencies.FirstOrDefault(d => _items.All(i => i.Name != d)) is { } missing)
        {
            throw new InvalidOperationException($"work item '{name}' runs after '{missing}', which is not added before it");
        }

        _items.Add(new WorkItem(name, dependencies, run));
    }

    /// <summary>Runs every item. The first failure stops the items not yet started and is rethrown once the
    /// running ones have ended.</summary>
    public async Task RunAsync(SampleDb db, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var sessions = new ConcurrentBag<SampleDb> { db };
        var duplicates = new List<SampleDb>();
        try
        {
            for (var i = 1; i < Math.Min(parallelism, _items.Count); i++)
            {
                var duplicate = await db.DuplicateAsync(cancellationToken);
                duplicates.Add(duplicate);
                sessions.Add(duplicate);
            }

            using var gate = new SemaphoreSlim(sessions.Count);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var running = new Dictionary<string, Task>(StringComparer.Ordinal);
            foreach (var item in _items)
            {
                running[item.Name] = RunItemAsync(item, [.. item.After.Select(a => running[a])]);
            }

            try
            {
                await Task.WhenAll(running.Values);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Stopped because another item failed: that failure is the one to report.
            }

            var failure = running.Values.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            cancellationToken.ThrowIfCancellationRequested();

            async Task RunItemAsync(WorkItem item, Task[] dependencies)
            {
                await Task.WhenAll(dependencies);
                await gate.WaitAsync(stop.Token);
                try
                {
                    if (!sessions.TryTake(out var session))
                    {
                        throw new InvalidOperationException("no free connection although the gate let the work item in");
                    }

                    try
                    {
                        // The database calls block their thread: each item gets a thread-pool thread of its own.
                        await Task.Run(() => item.Run(session, stop.Token), stop.Token);
                    }
                    finally
                    {
                        sessions.Add(session);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await stop.CancelAsync();
                    throw;
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        finally
        {
            foreach (var duplicate in duplicates)
            {
                await duplicate.DisposeAsync();
            }
        }
    }
}
