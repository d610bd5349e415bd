using System.Collections.Immutable;
using Modernizer.Domain.Decisions;
using Modernizer.Pipeline.Decisions;

namespace Modernizer.Pipeline.State;

/// <summary>The durable state of a workspace (X5): jobs and their leases, stage runs, the
/// hash-chained decision log and the escalation queue. Two implementations, SQLite (the default,
/// <c>.modernize/state.db</c>) and PostgreSQL (for a team: several processes share it).</summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>Applies the versioned migrations not yet applied; returns the schema version.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Makes the given jobs known (new ones pending) and marks exactly them as selected.</summary>
    Task SelectJobsAsync(IReadOnlyList<JobSlot> jobs, CancellationToken cancellationToken);

    /// <summary>Takes the job's lease when it is free, expired, held by a dead local process, or
    /// already held by <paramref name="owner"/>. False when another live worker holds it.</summary>
    Task<bool> TryAcquireLeaseAsync(string jobKey, LeaseOwner owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends the lease and records the stage in progress; throws <see cref="LeaseLostException"/>
    /// when the lease is no longer held by <paramref name="owner"/>.</summary>
    Task RenewLeaseAsync(string jobKey, LeaseOwner owner, string? runningStage, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends every lease <paramref name="owner"/> holds (the worker's heartbeat).</summary>
    Task RenewLeasesAsync(LeaseOwner owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Sets the job's state and frees its lease (only if held by <paramref name="owner"/>).</summary>
    Task ReleaseLeaseAsync(string jobKey, LeaseOwner owner, JobState state, string? stage, string? message, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobRecord?> GetJobAsync(string jobKey, CancellationToken cancellationToken);

    Task<ImmutableArray<JobRecord>> ReadJobsAsync(CancellationToken cancellationToken);

    Task<ImmutableArray<StageRunRecord>> ReadStageRunsAsync(string? jobKey, CancellationToken cancellationToken);

    /// <summary>Records a stage's outcome, its decisions and its escalations in one transaction.
    /// Returns the decision entries appended.</summary>
    Task<ImmutableArray<DecisionEntry>> CommitStageAsync(StageCommit commit, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records, before a stage's work starts, that <paramref name="owner"/> started it on this
    /// input (fenced by the lease). The commit of the stage removes the row; a row whose owner is gone
    /// is a process that ended inside the stage.</summary>
    Task RecordStageStartAsync(string jobKey, string stage, string inputHash, LeaseOwner owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="owner"/>'s unfinished start of the stage: the stage ended without
    /// a commit for a reason that is not a crash (cancelled, lease lost).</summary>
    Task ClearStageStartAsync(string jobKey, string stage, LeaseOwner owner, CancellationToken cancellationToken);

    /// <summary>Unfinished stage starts, of one job or of all (<paramref name="jobKey"/> null).</summary>
    Task<ImmutableArray<StageStartRecord>> ReadStageStartsAsync(string? jobKey, CancellationToken cancellationToken);

    /// <summary>Number of completed runs ever recorded for a stage of a job (history, never overwritten).</summary>
    Task<ImmutableArray<StageHistoryRecord>> ReadStageHistoryAsync(CancellationToken cancellationToken);

    Task<ImmutableArray<DecisionEntry>> ReadDecisionsAsync(long afterSeq, CancellationToken cancellationToken);

    /// <summary>Where the decision chain ends, as the store committed it with the last append (X2):
    /// the seq and hash any complete copy of the log must end with.</summary>
    Task<ChainHead> ReadChainHeadAsync(CancellationToken cancellationToken);

    Task<ImmutableArray<EscalationRecord>> ReadEscalationsAsync(CancellationToken cancellationToken);

    /// <summary>Closes an open escalation as approved or rejected and appends the human's decision to
    /// the log, in one transaction. Returns null when no open escalation has that id.</summary>
    Task<EscalationRecord?> ResolveEscalationAsync(string id, bool approve, string by, string reason, DecisionDraft decision, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A stage start its process has not finished: a crash, once its owner is gone.</summary>
public sealed record StageStartRecord(long Id, string JobKey, string Stage, string InputHash, string Owner, string StartedAt);

/// <summary>One recorded stage transition (kept forever, for audit and for the tests that prove no
/// stage ran twice).</summary>
public sealed record StageHistoryRecord(long Id, string JobKey, string Stage, string Status, string InputHash, string Owner, string FinishedAt);
