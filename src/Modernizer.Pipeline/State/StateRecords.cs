using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Stages;

namespace Modernizer.Pipeline.State;

/// <summary>Where a job stands, as the kanban shows it (R5.2).</summary>
public enum JobState
{
    Pending,
    Running,
    Blocked,
    Escalated,
    Rejected,
    Failed,
    NoCode,
    Done,
}

/// <summary>The key of the portfolio in the jobs table: tier 1 moves through its stages like a job.</summary>
public static class JobKeys
{
    public const string Portfolio = "";

    public static string Of(JobId? job) => job?.Value ?? Portfolio;

    public static JobId? ToJobId(string key) => key.Length == 0 ? null : new JobId(key);

    public static string Display(string key) => key.Length == 0 ? "(portfolio)" : key;
}

/// <summary>A row of the jobs table: the job's state, the stage it is at, a message, and its lease.</summary>
public sealed record JobRecord(
    string JobKey,
    long Position,
    bool Selected,
    JobState State,
    string? Stage,
    string? Message,
    string? LeaseOwner,
    long? LeaseExpiresMs,
    string? UpdatedAt);

/// <summary>The last run of one stage of one job.</summary>
public sealed record StageRunRecord(
    string JobKey,
    string Stage,
    StageStatus Status,
    string InputHash,
    int Attempts,
    string? Message,
    ImmutableArray<ArtifactRef> Artifacts,
    string FinishedAt);

/// <summary>Where an escalation stands.</summary>
public enum EscalationStatus
{
    Open,
    Approved,
    Rejected,
}

/// <summary>An escalation in the queue (X3). Its id is derived from its content, so a stage that
/// is re-run on the same input after a crash opens the same escalation, not a second one.</summary>
public sealed record EscalationRecord(
    string Id,
    string? JobId,
    string Stage,
    string Role,
    EscalationKind Kind,
    string Summary,
    ImmutableArray<Evidence> Evidence,
    string InputHash,
    EscalationStatus Status,
    string OpenedAt,
    string? ClosedAt,
    string? ClosedBy,
    string? Reason);

/// <summary>Everything a finished stage leaves, committed in one transaction: the stage run, the
/// decisions appended to the chain, the escalations opened and the job's new state. The commit
/// is fenced by the lease: it fails if <see cref="Owner"/> no longer holds the job.</summary>
public sealed record StageCommit(
    string JobKey,
    string Owner,
    StageRunRecord Run,
    ImmutableArray<DecisionDraft> Decisions,
    ImmutableArray<EscalationRecord> Escalations,
    JobState JobState,
    string? JobMessage)
{
    /// <summary>The stage the job's row shows after the commit; the run's stage when null (a job
    /// that goes on shows the stage it moves to, so one commit serves as the next stage's marker).</summary>
    public string? JobStage { get; init; }
}

/// <summary>A job to be known to the store, at a position in the selection.</summary>
public sealed record JobSlot(string JobKey, long Position);

/// <summary>Thrown when a worker commits for a job whose lease it no longer holds (it expired and
/// another worker took the job over). Nothing of the commit is kept.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException()
    {
    }

    public LeaseLostException(string message)
        : base(message)
    {
    }

    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
