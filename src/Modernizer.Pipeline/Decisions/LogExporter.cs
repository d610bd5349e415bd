using System.Collections.Immutable;
using System.Text;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Decisions;

/// <summary>Writes the store's decision log to <c>.modernize/decisions.jsonl</c> and its escalation
/// queue to <c>.modernize/escalations.json</c>. The store is the source of truth; each export
/// replaces the file atomically, so a reader (or a kill) never sees a half-written file, and
/// several processes exporting the same store write the same bytes.</summary>
public static class LogExporter
{
    public static async Task ExportAsync(IStateStore store, WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(workspace);
        var decisions = await store.ReadDecisionsAsync(0, cancellationToken);
        var text = new StringBuilder();
        foreach (var entry in decisions)
        {
            text.Append(DecisionHasher.ToJsonLine(entry)).Append('\n');
        }

        await AtomicFile.WriteAllTextAsync(workspace.DecisionsJsonl, text.ToString(), cancellationToken);
        var escalations = await store.ReadEscalationsAsync(cancellationToken);
        await AtomicFile.WriteJsonAsync(workspace.EscalationsJson, new EscalationsFile(escalations.Select(EscalationView.From).ToImmutableArray()), cancellationToken);
    }
}

/// <summary>The shape of <c>escalations.json</c>.</summary>
public sealed record EscalationsFile(ImmutableArray<EscalationView> Escalations);

/// <summary>One escalation as files and <c>--json</c> show it.</summary>
public sealed record EscalationView(
    string Id,
    string? JobId,
    string Stage,
    string Role,
    string Kind,
    string Status,
    string Summary,
    ImmutableArray<Modernizer.Domain.Evidence> Evidence,
    string OpenedAt,
    string? ClosedAt,
    string? ClosedBy,
    string? Reason)
{
    public static EscalationView From(EscalationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.JobId, record.Stage, record.Role, SqlStateStore.KindName(record.Kind),
            record.Status.ToString().ToLowerInvariant(), record.Summary, record.Evidence, record.OpenedAt, record.ClosedAt, record.ClosedBy, record.Reason);
    }
}
