using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.Escalations;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Supervision;

namespace Modernizer.Web.Workspace;

/// <summary>What the dashboard reads and does on a workspace: the same state store and artifacts as
/// the CLI (SQLite or PostgreSQL), and the same escalation queue, so an approval here is the same
/// decision as <c>modernize escalations approve</c>. Other processes (<c>modernize run</c>) write
/// beside it; every read goes to the store or the file system again.</summary>
public sealed class DashboardWorkspace
{
    private readonly IStateStore _store;
    private readonly IReadOnlySet<StageId> _available;
    private readonly TimeProvider _clock;

    public DashboardWorkspace(IStateStore store, WorkspacePaths paths, IReadOnlySet<StageId> available, TimeProvider clock)
    {
        _store = store;
        Paths = paths;
        _available = available;
        _clock = clock;
        Artifacts = new ArtifactReader(paths.Root);
    }

    public WorkspacePaths Paths { get; }

    public ArtifactReader Artifacts { get; }

    public StageGraph Graph { get; } = StageGraph.FromCatalog();

    public bool IsAvailable(StageId stage) => _available.Contains(stage);

    public Task<StatusReport> StatusAsync(CancellationToken cancellationToken) =>
        StatusReport.BuildAsync(Paths.Root, _store, Graph, _available, _clock.GetUtcNow(), cancellationToken);

    public Task<JobRecord?> JobRecordAsync(string jobId, CancellationToken cancellationToken) => _store.GetJobAsync(jobId, cancellationToken);

    public Task<ImmutableArray<StageRunRecord>> StageRunsAsync(string jobId, CancellationToken cancellationToken) => _store.ReadStageRunsAsync(jobId, cancellationToken);

    public Task<ImmutableArray<EscalationRecord>> EscalationsAsync(CancellationToken cancellationToken) => _store.ReadEscalationsAsync(cancellationToken);

    public Task<ImmutableArray<DecisionEntry>> DecisionsAsync(CancellationToken cancellationToken) => _store.ReadDecisionsAsync(0, cancellationToken);

    /// <summary>Approves or rejects through the escalation queue: one decision in the hash-chained
    /// log naming <paramref name="by"/>, and the exported files rewritten. Null when no open
    /// escalation has the id.</summary>
    public Task<EscalationRecord?> ResolveAsync(string id, bool approve, string by, string reason, CancellationToken cancellationToken) =>
        new EscalationQueue(_store, Paths, _clock).ResolveAsync(id, approve, by, reason, cancellationToken);

    /// <summary>The hash chain of the exported <c>decisions.jsonl</c> and of the store, as
    /// <c>modernize decisions --verify</c> checks them.</summary>
    public async Task<ChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var file = await ChainVerifier.VerifyFileAsync(Paths.DecisionsJsonl, cancellationToken);
        var stored = await _store.ReadDecisionsAsync(0, cancellationToken);
        var store = ChainVerifier.Verify(stored.Select(DecisionHasher.ToJsonLine));
        return new ChainReport(ChainView.Of("decisions.jsonl", file), ChainView.Of("state store", store));
    }

    /// <summary>A short fingerprint of what the kanban shows (jobs, escalations, the last decision),
    /// cheap enough to poll; the live board is pushed when it changes.</summary>
    public async Task<string> FingerprintAsync(long lastSeq, CancellationToken cancellationToken)
    {
        var jobs = await _store.ReadJobsAsync(cancellationToken);
        var escalations = await _store.ReadEscalationsAsync(cancellationToken);
        var text = new StringBuilder();
        foreach (var job in jobs)
        {
            text.Append(job.JobKey).Append('\u001f').Append(job.State).Append('\u001f').Append(job.Stage).Append('\u001f')
                .Append(job.Message).Append('\u001f').Append(job.LeaseOwner).Append('\u001f').Append(job.UpdatedAt).Append('\u001e');
        }

        foreach (var escalation in escalations)
        {
            text.Append(escalation.Id).Append('\u001f').Append(escalation.Status).Append('\u001e');
        }

        text.Append(lastSeq);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The sequence number of the last decision after <paramref name="afterSeq"/> (reads only the new ones).</summary>
    public async Task<long> LastDecisionSeqAsync(long afterSeq, CancellationToken cancellationToken)
    {
        var newer = await _store.ReadDecisionsAsync(afterSeq, cancellationToken);
        return newer.IsEmpty ? afterSeq : newer[^1].Seq;
    }

    /// <summary>The workspace-relative folder of a job's artifacts, or null for an id that is not a
    /// plain folder name.</summary>
    public static string? JobFolder(string jobId) => IsPlainName(jobId) ? ".modernize/jobs/" + jobId : null;

    /// <summary>The workspace-relative folder of a job's legacy code, or null.</summary>
    public static string? CodeFolder(string jobId) => IsPlainName(jobId) ? "jobs/" + jobId : null;

    private static bool IsPlainName(string jobId) =>
        !string.IsNullOrWhiteSpace(jobId) && jobId is not ("." or "..") && jobId.IndexOfAny(['/', '\\', '\0']) < 0;
}

public sealed record ChainReport(ChainView File, ChainView Store)
{
    public bool Intact => File.Intact && Store.Intact;
}

/// <summary>One verified chain, shaped as <c>modernize decisions --verify --json</c> prints it.</summary>
public sealed record ChainView(string Source, bool Intact, long Entries, long? BrokenAtLine, long? BrokenAtSeq, string? Problem)
{
    public static ChainView Of(string source, ChainVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new(source, verification.Intact, verification.Entries, verification.BrokenAtLine, verification.BrokenAtSeq, verification.Problem);
    }
}
