using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Modernizer.Pipeline.Supervision;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Live;

/// <summary>The live kanban (R5.2): a server-sent event "board" with the whole status each time
/// the jobs, escalations or decision log change. Other processes (<c>modernize run</c>) write the
/// store, so it is polled: a cheap fingerprint every interval, the full status only on a change.</summary>
public sealed class BoardFeed(DashboardWorkspace workspace, TimeSpan interval, TimeProvider clock)
{
    public const string EventName = "board";

    public async IAsyncEnumerable<SseItem<StatusReport>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lastSeq = 0;
        string? last = null;
        using var timer = new PeriodicTimer(interval, clock);
        while (true)
        {
            lastSeq = await workspace.LastDecisionSeqAsync(lastSeq, cancellationToken);
            var fingerprint = await workspace.FingerprintAsync(lastSeq, cancellationToken);
            if (fingerprint != last)
            {
                last = fingerprint;
                yield return new SseItem<StatusReport>(await workspace.StatusAsync(cancellationToken), EventName) { EventId = fingerprint };
            }

            if (!await timer.WaitForNextTickAsync(cancellationToken))
            {
                yield break;
            }
        }
    }
}
