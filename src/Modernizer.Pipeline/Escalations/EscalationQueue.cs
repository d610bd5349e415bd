using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Escalations;

/// <summary>The escalation queue (X3): list, approve, reject. An approval or a rejection is itself
/// a decision in the log (who, why); an approved job continues on the next run, a rejected job
/// stops with the reason.</summary>
public sealed class EscalationQueue
{
    private readonly IStateStore _store;
    private readonly WorkspacePaths _workspace;
    private readonly TimeProvider _clock;

    public EscalationQueue(IStateStore store, WorkspacePaths workspace, TimeProvider clock)
    {
        _store = store;
        _workspace = workspace;
        _clock = clock;
    }

    public Task<ImmutableArray<EscalationRecord>> ListAsync(CancellationToken cancellationToken) => _store.ReadEscalationsAsync(cancellationToken);

    /// <summary>Approves or rejects an open escalation; null when no open escalation has this id.</summary>
    public async Task<EscalationRecord?> ResolveAsync(string id, bool approve, string by, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var open = (await _store.ReadEscalationsAsync(cancellationToken)).FirstOrDefault(e => e.Id == id && e.Status == EscalationStatus.Open);
        if (open is null)
        {
            return null;
        }

        var verb = approve ? "approved" : "rejected";
        var decision = new DecisionDraft(
            open.JobId is null ? null : new JobId(open.JobId),
            new StageId(open.Stage),
            RoleId.Supervisor,
            approve ? "escalation_approved" : "escalation_rejected",
            DecisionOutcome.Autonomous,
            Confidence.Certain,
            "X3.human_review",
            $"Escalation {open.Id} ({SqlStateStore.KindName(open.Kind)}) {verb} by {by}: {reason}",
            [approve ? "reject" : "approve"],
            [new Evidence(EvidenceKind.Human, by, reason), new Evidence(EvidenceKind.Decision, "escalation:" + open.Id, open.Summary)]);
        var closed = await _store.ResolveEscalationAsync(id, approve, by, reason, decision, _clock.GetUtcNow(), cancellationToken);
        if (closed is not null)
        {
            await LogExporter.ExportAsync(_store, _workspace, cancellationToken);
        }

        return closed;
    }

    /// <summary>The id of an escalation: a function of what it is about and of the stage input it
    /// was raised on, so that re-running the same stage on the same input (after a crash) does not
    /// open it twice.</summary>
    public static string IdFor(EscalationRequest request, string inputHash)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = string.Join('\u001f', request.JobId?.Value ?? string.Empty, request.Stage.Name, request.Kind.ToString(), request.Summary, inputHash);
        return "esc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
