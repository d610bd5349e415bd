using System.Collections.Immutable;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Supervision;

/// <summary>What a run leaves: every selected job's state (and the portfolio's), and the exit code
/// docs/workspace.md defines for <c>modernize run</c>: 0 done, 1 when jobs wait on escalations or failed.</summary>
public sealed record RunSummary(JobRecord? Portfolio, ImmutableArray<JobRecord> Jobs, JobSelection Selection, long StagesRun, long StagesSkipped)
{
    public int Count(JobState state) => Jobs.Count(j => j.State == state);

    public bool HasFindings =>
        Portfolio is { State: JobState.Escalated or JobState.Failed }
        || Jobs.Any(j => j.State is JobState.Escalated or JobState.Failed);

    public int ExitCode => HasFindings ? 1 : 0;
}

/// <summary>Reported as jobs move, for progress bars.</summary>
public sealed record SupervisorProgress(string JobKey, string? Stage, JobState State, int JobsFinished, int JobsTotal);
