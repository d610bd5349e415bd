using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.Escalations;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Tests.State;

/// <summary>One suite, both stores (X5: state persists; X2: the chain; X3: the queue).</summary>
public sealed class StateStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Migrations_are_versioned_and_applying_them_twice_changes_nothing(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await test.OpenAsync();
        Assert.Equal(Migrations.Latest, await store.MigrateAsync(CancellationToken.None));
        Assert.Equal(Migrations.Latest, await store.MigrateAsync(CancellationToken.None));
        Assert.Equal(2, Migrations.Latest);
        var second = await test.OpenAsync();
        Assert.Empty(await second.ReadJobsAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_commit_records_the_run_its_decisions_and_escalations_together(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await test.OpenAsync();
        var owner = LeaseOwner.ForCurrentProcess();
        await store.SelectJobsAsync([new JobSlot("job_a", 0)], CancellationToken.None);
        Assert.True(await store.TryAcquireLeaseAsync("job_a", owner, Now, Ttl, CancellationToken.None));

        var request = new EscalationRequest(new JobId("job_a"), StageId.Profile, RoleId.DataProfiler, EscalationKind.DataCorruption, "curated rows far above raw", []);
        var escalation = new EscalationRecord(EscalationQueue.IdFor(request, "h1"), "job_a", "profile", "data_profiler", EscalationKind.DataCorruption,
            request.Summary, [], "h1", EscalationStatus.Open, string.Empty, null, null, null);
        var commit = new StageCommit("job_a", owner.ToString(),
            new StageRunRecord("job_a", "profile", StageStatus.Escalated, "h1", 1, null, [new ArtifactRef("jobs/job_a/profile.json", "abc")], string.Empty),
            [Draft("job_a", "first"), Draft("job_a", "second")], [escalation], JobState.Escalated, "waits");
        var appended = await store.CommitStageAsync(commit, Now, CancellationToken.None);

        Assert.Equal([1L, 2L], appended.Select(e => e.Seq));
        Assert.Equal(DecisionEntry.GenesisHash, appended[0].PrevHash);
        Assert.Equal(appended[0].Hash, appended[1].PrevHash);
        var run = Assert.Single(await store.ReadStageRunsAsync("job_a", CancellationToken.None));
        Assert.Equal(StageStatus.Escalated, run.Status);
        Assert.Equal("jobs/job_a/profile.json", Assert.Single(run.Artifacts).Path);
        var stored = Assert.Single(await store.ReadEscalationsAsync(CancellationToken.None));
        Assert.Equal(EscalationStatus.Open, stored.Status);
        Assert.Equal(appended, await store.ReadDecisionsAsync(0, CancellationToken.None), DecisionComparer.Instance);
        var job = await store.GetJobAsync("job_a", CancellationToken.None);
        Assert.Equal(JobState.Escalated, job!.State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_worker_that_lost_its_lease_cannot_commit(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await test.OpenAsync();
        var first = LeaseOwner.ForCurrentProcess();
        var second = LeaseOwner.ForCurrentProcess();
        Assert.True(await store.TryAcquireLeaseAsync("job_a", first, Now, Ttl, CancellationToken.None));
        Assert.False(await store.TryAcquireLeaseAsync("job_a", second, Now, Ttl, CancellationToken.None));

        // After expiry the second worker takes over; the first worker's late commit is refused whole.
        Assert.True(await store.TryAcquireLeaseAsync("job_a", second, Now + Ttl + TimeSpan.FromSeconds(1), Ttl, CancellationToken.None));
        var late = new StageCommit("job_a", first.ToString(), new StageRunRecord("job_a", "scan", StageStatus.Completed, "h", 1, null, [], string.Empty),
            [Draft("job_a", "late")], [], JobState.Done, null);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.CommitStageAsync(late, Now, CancellationToken.None));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RenewLeaseAsync("job_a", first, "scan", Now, Ttl, CancellationToken.None));
        Assert.Empty(await store.ReadDecisionsAsync(0, CancellationToken.None));
        Assert.Empty(await store.ReadStageRunsAsync("job_a", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_lease_held_by_a_dead_local_process_is_free_at_once(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await test.OpenAsync();
        var dead = new LeaseOwner(Environment.MachineName, int.MaxValue - 7, 1, "gone");
        Assert.True(await store.TryAcquireLeaseAsync("job_a", dead, Now, TimeSpan.FromHours(1), CancellationToken.None));
        Assert.True(await store.TryAcquireLeaseAsync("job_a", LeaseOwner.ForCurrentProcess(), Now, Ttl, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resolving_an_escalation_closes_it_and_logs_the_human_decision(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await test.OpenAsync();
        var owner = LeaseOwner.ForCurrentProcess();
        Assert.True(await store.TryAcquireLeaseAsync("job_a", owner, Now, Ttl, CancellationToken.None));
        var request = new EscalationRequest(new JobId("job_a"), StageId.Spec, RoleId.SpecWriter, EscalationKind.RegulatoryLowConfidence, "SOX rule at 0.4", []);
        var id = EscalationQueue.IdFor(request, "h");
        await store.CommitStageAsync(new StageCommit("job_a", owner.ToString(), new StageRunRecord("job_a", "spec", StageStatus.Escalated, "h", 1, null, [], string.Empty),
            [Draft("job_a", "escalate")], [new EscalationRecord(id, "job_a", "spec", "spec_writer", request.Kind, request.Summary, [], "h", EscalationStatus.Open, string.Empty, null, null, null)],
            JobState.Escalated, null), Now, CancellationToken.None);

        var queue = new EscalationQueue(store, test.Workspace.Paths, TimeProvider.System);
        var closed = await queue.ResolveAsync(id, approve: false, "ana", "the rule is wrong on purpose", CancellationToken.None);
        Assert.Equal(EscalationStatus.Rejected, closed!.Status);
        Assert.Equal("ana", closed.ClosedBy);
        Assert.Null(await queue.ResolveAsync(id, approve: true, "bob", "again", CancellationToken.None));

        var log = await store.ReadDecisionsAsync(0, CancellationToken.None);
        Assert.Equal("escalation_rejected", log[^1].Kind);
        Assert.Contains("ana", log[^1].Rationale, StringComparison.Ordinal);
        Assert.True((await ChainVerifier.VerifyFileAsync(test.Workspace.Paths.DecisionsJsonl, CancellationToken.None)).Intact);
        Assert.Contains(id, await File.ReadAllTextAsync(test.Workspace.Paths.EscalationsJson), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_commits_of_many_jobs_keep_one_unbroken_chain(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var stores = new[] { await test.OpenAsync(), await test.OpenAsync() };
        await Parallel.ForEachAsync(Enumerable.Range(0, 16), async (i, ct) =>
        {
            var store = stores[i % 2];
            var owner = LeaseOwner.ForCurrentProcess();
            var key = "job_" + i;
            Assert.True(await store.TryAcquireLeaseAsync(key, owner, Now, Ttl, ct));
            await store.CommitStageAsync(new StageCommit(key, owner.ToString(), new StageRunRecord(key, "code_review", StageStatus.Completed, "h", 1, null, [], string.Empty),
                [Draft(key, "a"), Draft(key, "b")], [], JobState.Done, null), Now, ct);
        });

        await LogExporter.ExportAsync(stores[0], test.Workspace.Paths, CancellationToken.None);
        var verification = await ChainVerifier.VerifyFileAsync(test.Workspace.Paths.DecisionsJsonl, CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(32, verification.Entries);
    }

    internal static DecisionDraft Draft(string job, string kind) =>
        new(new JobId(job), StageId.CodeReview, RoleId.CodeReviewer, kind, DecisionOutcome.Autonomous, new Confidence(0.8), "R2.1.test",
            "because", ["other"], [new Evidence(EvidenceKind.CodeSpan, "jobs/x/main.py:1-2")])
        { Tokens = 3, CostUsd = 0.25m };

    private sealed class DecisionComparer : IEqualityComparer<DecisionEntry>
    {
        public static DecisionComparer Instance { get; } = new();

        public bool Equals(DecisionEntry? x, DecisionEntry? y) =>
            x is not null && y is not null && DecisionHasher.ToJsonLine(x) == DecisionHasher.ToJsonLine(y);

        public int GetHashCode(DecisionEntry obj) => obj.Hash.GetHashCode(StringComparison.Ordinal);
    }
}
