using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.Escalations;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Supervision;

/// <summary>The Supervisor/Orchestrator (R5.2): moves the portfolio through tier 1, then every
/// selected job through its enabled stages, one stage of a job at a time and up to
/// <c>concurrency.max_jobs</c> jobs at once. A stage whose input hash equals its last completed
/// run is skipped; its outcome, decisions and escalations are committed in one transaction
/// (X5). An escalation, a failure or a missing role stops only its own job. Several processes
/// may share one store: each job is leased, and a commit is fenced by the lease.
/// <para>A stage that takes its process down (a stack overflow, the OOM killer) cannot be caught, so
/// every start is recorded before the work begins and removed by its commit. A job with starts left
/// by a process that ended runs first and alone, so it can take down nothing else; once a stage of a
/// job has been left unfinished by <c>budgets.crashes_per_stage</c> processes on the same input, it
/// is marked failed instead of started again and the run goes on. A cancelled run (Ctrl+C) records
/// nothing of the stage it was in, frees its jobs and exports the log; the next run resumes.</para></summary>
public sealed class Supervisor
{
    private readonly ModernizeSettings _settings;
    private readonly WorkspacePaths _workspace;
    private readonly IStateStore _store;
    private readonly ImmutableDictionary<StageId, IStageWork> _works;
    private readonly StageGraph _graph;
    private readonly TimeProvider _clock;
    private readonly StageExecutor _executor;
    private readonly LeaseOwner _owner = LeaseOwner.ForCurrentProcess();
    private readonly SemaphoreSlim _exportGate = new(1, 1);
    private readonly TimeSpan _leaseTtl;
    private long _lastExportTicks;
    private long _stagesRun;
    private long _stagesSkipped;

    public Supervisor(
        ModernizeSettings settings,
        WorkspacePaths workspace,
        IStateStore store,
        IEnumerable<IStageWork> works,
        TimeProvider clock,
        StageGraph? graph = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _graph = graph ?? StageGraph.FromCatalog();
        _works = (works ?? throw new ArgumentNullException(nameof(works))).ToImmutableDictionary(w => w.Stage);
        _executor = new StageExecutor(settings.Budgets, settings.Retry, clock);
        _leaseTtl = TimeSpan.FromSeconds(settings.State.LeaseSeconds);
    }

    /// <summary>Reported after each job visit.</summary>
    public event EventHandler<SupervisorProgress>? Progress;

    /// <summary>The phases a run with <c>--phase N</c> covers: the enabled ones up to N.</summary>
    public IReadOnlySet<int> Phases(int? maxPhase) =>
        _settings.Phases.Enabled.Where(p => maxPhase is null || p <= maxPhase).ToHashSet();

    public async Task<RunSummary> RunAsync(int? maxPhase, CancellationToken cancellationToken)
    {
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewLeasesAsync(heartbeat.Token);
        try
        {
            return await RunCoreAsync(maxPhase, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // What was committed before the cancellation is the log's content: the file shows all of it.
            await ExportAsync(force: true, CancellationToken.None);
            throw;
        }
        finally
        {
            await heartbeat.CancelAsync();
            await renewing;
        }
    }

    private async Task<RunSummary> RunCoreAsync(int? maxPhase, CancellationToken cancellationToken)
    {
        // A run resumed after a kill starts from a complete export: roles read the logged spend from it.
        await ExportAsync(force: true, cancellationToken);
        var phases = Phases(maxPhase);
        var portfolioStages = _graph.Stages(StageScope.Portfolio, phases);
        var jobStages = _graph.Stages(StageScope.Job, phases);

        if (!portfolioStages.IsEmpty)
        {
            await VisitUntilDoneAsync(JobKeys.Portfolio, portfolioStages, phases, cancellationToken);
        }

        var selection = await JobSelector.SelectAsync(_settings.Selection, _workspace, cancellationToken);
        await _store.SelectJobsAsync(selection.Jobs.Select((j, i) => new JobSlot(j.Value, i)).ToArray(), cancellationToken);

        if (!jobStages.IsEmpty && !selection.Jobs.IsEmpty)
        {
            await RunJobsAsync(selection.Jobs.Select(j => j.Value).ToArray(), jobStages, phases, cancellationToken);
        }

        await ExportAsync(force: true, cancellationToken);
        var jobs = await _store.ReadJobsAsync(cancellationToken);
        return new RunSummary(
            jobs.FirstOrDefault(j => j.JobKey == JobKeys.Portfolio),
            jobs.Where(j => j.Selected && j.JobKey != JobKeys.Portfolio).ToImmutableArray(),
            selection,
            Interlocked.Read(ref _stagesRun),
            Interlocked.Read(ref _stagesSkipped));
    }

    private async Task RunJobsAsync(IReadOnlyList<string> keys, ImmutableArray<RoleDefinition> stages, IReadOnlySet<int> phases, CancellationToken cancellationToken)
    {
        var escalations = await LoadEscalationsAsync(cancellationToken);
        var progress = new JobCount(keys.Count);

        // Jobs a process ended inside go first and one at a time: if one takes the process down again,
        // no other job is interrupted with it, and the jobs that did not crash keep their order.
        var mine = _owner.ToString();
        var suspects = (await _store.ReadStageStartsAsync(null, cancellationToken))
            .Where(s => s.Owner != mine).Select(s => s.JobKey).ToHashSet(StringComparer.Ordinal);
        var first = keys.Where(suspects.Contains).ToArray();
        var rest = keys.Where(k => !suspects.Contains(k)).ToArray();
        await RunQueueAsync(first, 1, stages, phases, escalations, progress, cancellationToken);
        await RunQueueAsync(rest, Math.Max(1, Math.Min(_settings.Concurrency.MaxJobs, rest.Length)), stages, phases, escalations, progress, cancellationToken);
    }

    private async Task RunQueueAsync(
        IReadOnlyList<string> keys,
        int workers,
        ImmutableArray<RoleDefinition> stages,
        IReadOnlySet<int> phases,
        ConcurrentDictionary<string, ImmutableArray<EscalationRecord>> escalations,
        JobCount progress,
        CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<string>(keys);
        var deferred = new ConcurrentQueue<string>();
        while (!queue.IsEmpty)
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (queue.TryDequeue(out var key))
                {
                    var state = await VisitAsync(key, stages, phases, escalations, cancellationToken);
                    if (state is null)
                    {
                        deferred.Enqueue(key);
                        continue;
                    }

                    var done = progress.Finish();
                    Progress?.Invoke(this, new SupervisorProgress(key, null, state.Value, done, progress.Total));
                }
            }, cancellationToken)));

            if (!deferred.IsEmpty)
            {
                // Another live worker holds these jobs; come back when it is likely done with them.
                await Task.Delay(TimeSpan.FromMilliseconds(200), _clock, cancellationToken);
                while (deferred.TryDequeue(out var key))
                {
                    queue.Enqueue(key);
                }
            }
        }
    }

    private async Task VisitUntilDoneAsync(string key, ImmutableArray<RoleDefinition> stages, IReadOnlySet<int> phases, CancellationToken cancellationToken)
    {
        while (await VisitAsync(key, stages, phases, await LoadEscalationsAsync(cancellationToken), cancellationToken) is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _clock, cancellationToken);
        }
    }

    private async Task<ConcurrentDictionary<string, ImmutableArray<EscalationRecord>>> LoadEscalationsAsync(CancellationToken cancellationToken)
    {
        var all = await _store.ReadEscalationsAsync(cancellationToken);
        return new ConcurrentDictionary<string, ImmutableArray<EscalationRecord>>(
            all.GroupBy(e => e.JobId ?? JobKeys.Portfolio).Select(g => KeyValuePair.Create(g.Key, g.ToImmutableArray())));
    }

    /// <summary>Moves one job as far as it can go; null when another worker holds it.</summary>
    private async Task<JobState?> VisitAsync(
        string key,
        ImmutableArray<RoleDefinition> stages,
        IReadOnlySet<int> phases,
        ConcurrentDictionary<string, ImmutableArray<EscalationRecord>> escalations,
        CancellationToken cancellationToken)
    {
        if (!await _store.TryAcquireLeaseAsync(key, _owner, _clock.GetUtcNow(), _leaseTtl, cancellationToken))
        {
            return null;
        }

        try
        {
            var (state, stage, message) = await MoveAsync(key, stages, phases, escalations, cancellationToken);
            await _store.ReleaseLeaseAsync(key, _owner, state, stage, message, _clock.GetUtcNow(), cancellationToken);
            return state;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled (Ctrl+C): the stage in progress left nothing; the job waits for the next run.
            var stage = (await _store.GetJobAsync(key, CancellationToken.None))?.Stage;
            await _store.ReleaseLeaseAsync(key, _owner, JobState.Pending, stage,
                $"interrupted{(stage is null ? string.Empty : " in stage " + stage)}: the run was cancelled; the next run resumes here",
                _clock.GetUtcNow(), CancellationToken.None);
            throw;
        }
        catch (LeaseLostException)
        {
            // Another worker took the job over (our lease expired): nothing of ours was recorded for it.
            // Come back to it later like any job another worker holds.
            return null;
        }
    }

    private async Task<(JobState State, string? Stage, string? Message)> MoveAsync(
        string key,
        ImmutableArray<RoleDefinition> stages,
        IReadOnlySet<int> phases,
        ConcurrentDictionary<string, ImmutableArray<EscalationRecord>> escalations,
        CancellationToken cancellationToken)
    {
        var job = JobKeys.ToJobId(key);
        if (job is { } id && !JobSelector.HasCode(_workspace, id))
        {
            return (JobState.NoCode, null, $"no code in jobs/{WorkspacePaths.JobFolder(id)}/: stops after tier 1");
        }

        if (Gate(escalations.GetValueOrDefault(key, [])) is { } gate)
        {
            return gate;
        }

        var runs = (await _store.ReadStageRunsAsync(key, cancellationToken)).ToDictionary(r => r.Stage, StringComparer.Ordinal);
        var mine = _owner.ToString();
        var abandoned = (await _store.ReadStageStartsAsync(key, cancellationToken)).Where(s => s.Owner != mine).ToArray();
        var included = stages.Select(s => s.Stage).ToHashSet();
        string? marked = null;
        for (var index = 0; index < stages.Length; index++)
        {
            var role = stages[index];
            var stage = role.Stage.Name;
            if (role.DependsOn.FirstOrDefault(d => !included.Contains(d) && _graph.Find(d) is { Scope: var scope } && scope == role.Scope) is { Name: not null } missing)
            {
                return (JobState.Blocked, stage, $"stage {stage} needs {missing}, whose phase {_graph.Find(missing)!.Phase} is not enabled");
            }

            if (!_works.TryGetValue(role.Stage, out var work))
            {
                return (JobState.Blocked, stage, $"waits at {stage}: role {role.DisplayName} ({role.RequirementId}) is not available");
            }

            string inputHash;
            try
            {
                inputHash = await work.ComputeInputHashAsync(Context(job, 0), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return await RecordFailureAsync(key, stage, string.Empty, 1, $"computing the input hash failed: {e.GetType().Name}: {e.Message}", cancellationToken);
            }

            if (runs.TryGetValue(stage, out var previous) && previous.InputHash == inputHash)
            {
                switch (previous.Status)
                {
                    case StageStatus.Completed:
                        Interlocked.Increment(ref _stagesSkipped);
                        continue;
                    case StageStatus.Escalated:
                        // Goes on only when every escalation about this job is approved. Read them again:
                        // another process may have raised them after this one loaded the queue.
                        var current = (await _store.ReadEscalationsAsync(cancellationToken))
                            .Where(e => (e.JobId ?? JobKeys.Portfolio) == key).ToImmutableArray();
                        escalations[key] = current;
                        if (Gate(current) is { } waiting)
                        {
                            return waiting;
                        }

                        Interlocked.Increment(ref _stagesSkipped);
                        continue;
                    case StageStatus.NoCode:
                        return (JobState.NoCode, stage, previous.Message);
                    case StageStatus.Rejected:
                        return (JobState.Rejected, stage, previous.Message);
                }
            }

            // This worker holds the lease: every other owner's unfinished start of this stage on this
            // input is a process that ended inside it.
            var crashes = abandoned.Where(s => s.Stage == stage && s.InputHash == inputHash).ToArray();
            if (crashes.Length >= _settings.Budgets.CrashesPerStage)
            {
                return await RecordFailureAsync(key, stage, inputHash, 0, CrashMessage(crashes), cancellationToken);
            }

            if (marked != stage)
            {
                // The job's row shows the stage in progress; later stages are marked by the commit before them.
                await _store.RenewLeaseAsync(key, _owner, stage, _clock.GetUtcNow(), _leaseTtl, cancellationToken);
            }

            var next = index + 1 < stages.Length ? stages[index + 1].Stage.Name : null;
            var result = await RunStageAsync(key, job, role, work, inputHash, next, escalations, cancellationToken);
            if (result is { } stop)
            {
                return stop;
            }

            marked = next;
        }

        var last = stages.IsEmpty ? null : stages[^1].Stage.Name;
        return (JobState.Done, last, phases.Count < 4 ? $"done through phase {phases.Max()}" : null);
    }

    /// <summary>Runs one stage and commits what it left; returns where the job stops, or null to go on.</summary>
    private async Task<(JobState, string?, string?)?> RunStageAsync(
        string key,
        JobId? job,
        RoleDefinition role,
        IStageWork work,
        string inputHash,
        string? nextStage,
        ConcurrentDictionary<string, ImmutableArray<EscalationRecord>> escalations,
        CancellationToken cancellationToken)
    {
        var stage = role.Stage.Name;
        StageOutcome outcome;
        int attempts;
        await _store.RecordStageStartAsync(key, stage, inputHash, _owner, _clock.GetUtcNow(), cancellationToken);
        try
        {
            (outcome, attempts) = await _executor.RunAsync(work, attempt => Context(job, attempt), cancellationToken);
        }
        catch (StageFailedException e) when (!cancellationToken.IsCancellationRequested)
        {
            return await RecordFailureAsync(key, stage, inputHash, e.Attempts, e.Message, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or StageFailedException)
        {
            // Cancelled: not a failure of the stage and not a crash. Its start is withdrawn (the commit that
            // would have removed it never comes) and nothing of it is recorded.
            await _store.ClearStageStartAsync(key, stage, _owner, CancellationToken.None);
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new OperationCanceledException("The run was cancelled during stage " + stage + ".", e, cancellationToken);
        }

        Interlocked.Increment(ref _stagesRun);
        var opened = outcome.Escalations.IsDefault ? [] : outcome.Escalations.Select(r => new EscalationRecord(
            EscalationQueue.IdFor(r, inputHash), r.JobId?.Value ?? job?.Value, r.Stage.Name, DecisionHasher.RoleName(r.Role), r.Kind, r.Summary,
            r.Evidence.IsDefault ? [] : r.Evidence, inputHash, EscalationStatus.Open, string.Empty, null, null, null)).ToImmutableArray();

        // A portfolio stage that escalates about named jobs goes on; only those jobs wait.
        var blocksThisJob = opened.Any(e => (e.JobId ?? JobKeys.Portfolio) == key);
        (JobState, string?, string?)? stop = outcome.Status switch
        {
            StageStatus.Completed or StageStatus.Escalated when !blocksThisJob => null,
            StageStatus.Escalated or StageStatus.Completed => (JobState.Escalated, stage, Waiting(opened.Where(e => (e.JobId ?? JobKeys.Portfolio) == key))),
            StageStatus.NoCode => (JobState.NoCode, stage, outcome.Message),
            StageStatus.Rejected => (JobState.Rejected, stage, outcome.Message),
            _ => (JobState.Failed, stage, outcome.Message ?? "the stage reported a failure"),
        };
        var status = outcome.Status == StageStatus.Completed && !opened.IsEmpty ? StageStatus.Escalated : outcome.Status;
        var jobState = stop?.Item1 ?? (nextStage is null ? JobState.Done : JobState.Running);
        var commit = new StageCommit(key, _owner.ToString(),
            new StageRunRecord(key, stage, status, inputHash, attempts, outcome.Message, outcome.Artifacts.IsDefault ? [] : outcome.Artifacts, string.Empty),
            outcome.Decisions.IsDefault ? [] : outcome.Decisions, opened, jobState, stop?.Item3)
        {
            JobStage = stop is null ? nextStage : null,
        };
        await CommitAsync(commit);

        foreach (var group in opened.GroupBy(e => e.JobId ?? JobKeys.Portfolio))
        {
            escalations.AddOrUpdate(group.Key, _ => group.ToImmutableArray(), (_, existing) => existing.AddRange(group));
        }

        if (!commit.Decisions.IsEmpty || !opened.IsEmpty)
        {
            await ExportAsync(force: false, cancellationToken);
        }

        return stop;
    }

    /// <summary>The heartbeat: every third of the lease time, extend every lease this worker holds.
    /// A commit is fenced by the lease, so a worker that missed its heartbeats cannot record anything.</summary>
    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_leaseTtl / 3, _clock, cancellationToken);
                await _store.RenewLeasesAsync(_owner, _clock.GetUtcNow(), _leaseTtl, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task<(JobState, string?, string?)> RecordFailureAsync(string key, string stage, string inputHash, int attempts, string message, CancellationToken cancellationToken)
    {
        var commit = new StageCommit(key, _owner.ToString(), new StageRunRecord(key, stage, StageStatus.Failed, inputHash, attempts, message, [], string.Empty),
            [], [], JobState.Failed, message);
        cancellationToken.ThrowIfCancellationRequested();
        await CommitAsync(commit);
        return (JobState.Failed, stage, message);
    }

    /// <summary>Commits a finished stage even when a cancellation arrives meanwhile: the work is done and
    /// the transaction is short. A commit refused for a lost lease withdraws the stage's start.</summary>
    private async Task CommitAsync(StageCommit commit)
    {
        try
        {
            await _store.CommitStageAsync(commit, _clock.GetUtcNow(), CancellationToken.None);
        }
        catch (LeaseLostException)
        {
            await _store.ClearStageStartAsync(commit.JobKey, commit.Run.Stage, _owner, CancellationToken.None);
            throw;
        }
    }

    private static string CrashMessage(StageStartRecord[] crashes)
    {
        var times = crashes.Length == 2 ? "twice" : crashes.Length.ToString(CultureInfo.InvariantCulture) + " times";
        return $"the process ended while running this stage {times} (started {string.Join(", ", crashes.Select(c => c.StartedAt))}); "
            + "it is not started again until its input changes";
    }

    private static (JobState, string?, string?)? Gate(ImmutableArray<EscalationRecord> escalations)
    {
        if (escalations.FirstOrDefault(e => e.Status == EscalationStatus.Rejected) is { } rejected)
        {
            return (JobState.Rejected, rejected.Stage, $"rejected by {rejected.ClosedBy}: {rejected.Reason} (escalation {rejected.Id})");
        }

        var open = escalations.Where(e => e.Status == EscalationStatus.Open).ToArray();
        return open.Length > 0 ? (JobState.Escalated, open[0].Stage, Waiting(open)) : null;
    }

    private static string Waiting(IEnumerable<EscalationRecord> open) =>
        "waits on " + string.Join("; ", open.Select(e => $"escalation {e.Id} ({SqlStateStore.KindName(e.Kind)}): {e.Summary}"));

    private StageContext Context(JobId? job, int attempt) => new(_workspace, job, _settings, attempt);

    private async Task ExportAsync(bool force, CancellationToken cancellationToken)
    {
        // The export rewrites whole files from the store: at most about once a second during a run.
        var now = _clock.GetTimestamp();
        if (!force && _clock.GetElapsedTime(Interlocked.Read(ref _lastExportTicks), now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        await _exportGate.WaitAsync(cancellationToken);
        try
        {
            await LogExporter.ExportAsync(_store, _workspace, cancellationToken);
            Interlocked.Exchange(ref _lastExportTicks, _clock.GetTimestamp());
        }
        finally
        {
            _exportGate.Release();
        }
    }
}

/// <summary>Jobs finished out of a total, shared by the workers of one run.</summary>
internal sealed class JobCount(int total)
{
    private int _finished;

    public int Total { get; } = total;

    public int Finish() => Interlocked.Increment(ref _finished);
}
