using System.Collections.Immutable;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.Escalations;
using Modernizer.Pipeline.Harness;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Supervision;
using Modernizer.Pipeline.Tests.State;

namespace Modernizer.Pipeline.Tests.Supervision;

/// <summary>R5.2 supervisor behaviour on both stores: stage graph, phases, selection, skipping by
/// input hash, escalations and failures blocking only their job, retries, roles not available.</summary>
public sealed class SupervisorTests
{
    private static ModernizeSettings Settings(int maxJobs = 2, int attempts = 3) => ModernizeSettings.Default with
    {
        Concurrency = new ConcurrencySettings(maxJobs),
        Budgets = BudgetSettings.Default with { AttemptsPerStage = attempts },
        Retry = new RetrySettings(1, 5, false),
    };

    private static void AddJobs(TestStore test, params string[] jobs)
    {
        foreach (var job in jobs)
        {
            var folder = Path.Combine(test.Workspace.Paths.Jobs, job);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "main.py"), $"# {job}\nspark.table('raw.orders').write.saveAsTable('curated.{job}')\n");
        }
    }

    private static async Task<(Supervisor Supervisor, IStateStore Store)> Create(TestStore test, ModernizeSettings settings, IEnumerable<IStageWork> works)
    {
        var store = await test.OpenAsync();
        return (new Supervisor(settings with { State = test.Settings }, test.Workspace.Paths, store, works, TimeProvider.System), store);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Every_selected_job_moves_through_every_stage_and_a_second_run_skips_them_all(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, "job_a", "job_b", "job_c");
        var (supervisor, store) = await Create(test, Settings(), SyntheticStage.All());

        var first = await supervisor.RunAsync(null, CancellationToken.None);
        Assert.Equal(JobState.Done, first.Portfolio!.State);
        Assert.Equal(["job_a", "job_b", "job_c", "job_nocode"], first.Jobs.Select(j => j.JobKey));
        Assert.Equal(3, first.Count(JobState.Done));
        Assert.Equal(JobState.NoCode, first.Jobs.Single(j => j.JobKey == "job_nocode").State);
        Assert.Equal(3 + (3 * 12), first.StagesRun);
        Assert.Equal(0, first.ExitCode);

        var second = await (await Create(test, Settings(), SyntheticStage.All())).Supervisor.RunAsync(null, CancellationToken.None);
        Assert.Equal(0, second.StagesRun);
        Assert.Equal(3 + (3 * 12), second.StagesSkipped);

        var verification = await ChainVerifier.VerifyFileAsync(test.Workspace.Paths.DecisionsJsonl, CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(39, verification.Entries);
        Assert.True(File.Exists(Path.Combine(test.Workspace.Paths.Output, "jobs", "job_b", "deploy.json")));
        _ = store;
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_changed_input_reruns_its_stage_and_everything_downstream_only_for_that_job(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, "job_a", "job_b");
        await (await Create(test, Settings(), SyntheticStage.All())).Supervisor.RunAsync(null, CancellationToken.None);

        await File.AppendAllTextAsync(Path.Combine(test.Workspace.Paths.Jobs, "job_a", "main.py"), "# edited\n");
        var rerun = await (await Create(test, Settings(), SyntheticStage.All())).Supervisor.RunAsync(null, CancellationToken.None);

        // Tier 1 hashes no job code; job_a's first stage hashes its code and the rest follow the artifacts.
        Assert.Equal(12, rerun.StagesRun);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task An_escalation_blocks_only_its_job_until_approved_and_a_rejection_stops_it_with_the_reason(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, "job_a", "job_b_esc", "job_c_esc");
        var (supervisor, store) = await Create(test, Settings(), SyntheticStage.All());
        var first = await supervisor.RunAsync(null, CancellationToken.None);
        Assert.Equal(1, first.ExitCode);
        Assert.Equal(JobState.Done, first.Jobs.Single(j => j.JobKey == "job_a").State);
        var waiting = first.Jobs.Single(j => j.JobKey == "job_b_esc");
        Assert.Equal(JobState.Escalated, waiting.State);
        Assert.Equal("spec", waiting.Stage);
        Assert.Contains("regulatory_low_confidence", waiting.Message, StringComparison.Ordinal);

        var queue = new EscalationQueue(store, test.Workspace.Paths, TimeProvider.System);
        var open = await queue.ListAsync(CancellationToken.None);
        Assert.Equal(2, open.Length);
        await queue.ResolveAsync(open.Single(e => e.JobId == "job_b_esc").Id, approve: true, "ana", "confirmed with finance", CancellationToken.None);
        await queue.ResolveAsync(open.Single(e => e.JobId == "job_c_esc").Id, approve: false, "ana", "out of scope this quarter", CancellationToken.None);

        var second = await (await Create(test, Settings(), SyntheticStage.All())).Supervisor.RunAsync(null, CancellationToken.None);
        Assert.Equal(JobState.Done, second.Jobs.Single(j => j.JobKey == "job_b_esc").State);
        var rejected = second.Jobs.Single(j => j.JobKey == "job_c_esc");
        Assert.Equal(JobState.Rejected, rejected.State);
        Assert.Contains("out of scope this quarter", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(8, second.StagesRun);

        var log = await store.ReadDecisionsAsync(0, CancellationToken.None);
        Assert.Contains(log, e => e.Kind == "escalation_approved" && e.JobId == "job_b_esc");
        Assert.Contains(log, e => e.Kind == "escalation_rejected" && e.JobId == "job_c_esc");
        Assert.Contains("\"status\": \"rejected\"", await File.ReadAllTextAsync(test.Workspace.Paths.EscalationsJson), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_failed_stage_records_its_error_and_blocks_only_its_job_while_a_transient_one_is_retried(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, "job_a_flaky", "job_b_fail");
        var works = SyntheticStage.All();
        var (supervisor, store) = await Create(test, Settings(), works);
        var summary = await supervisor.RunAsync(null, CancellationToken.None);

        Assert.Equal(JobState.Done, summary.Jobs.Single(j => j.JobKey == "job_a_flaky").State);
        var failed = summary.Jobs.Single(j => j.JobKey == "job_b_fail");
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("test_data", failed.Stage);
        Assert.Contains("InvalidDataException", failed.Message, StringComparison.Ordinal);
        Assert.Equal(1, summary.ExitCode);

        var runs = await store.ReadStageRunsAsync("job_a_flaky", CancellationToken.None);
        Assert.Equal(2, runs.Single(r => r.Stage == "code_review").Attempts);
        var failedRun = (await store.ReadStageRunsAsync("job_b_fail", CancellationToken.None)).Single(r => r.Stage == "test_data");
        Assert.Equal(StageStatus.Failed, failedRun.Status);
        Assert.Equal(1, failedRun.Attempts);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_role_without_an_implementation_is_not_available_and_its_jobs_wait_there(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, "job_a", "job_b");
        var works = SyntheticStage.All(include: r => r.Stage != StageId.Spec);
        var summary = await (await Create(test, Settings(), works)).Supervisor.RunAsync(null, CancellationToken.None);
        foreach (var job in summary.Jobs.Where(j => j.JobKey != "job_nocode"))
        {
            Assert.Equal(JobState.Blocked, job.State);
            Assert.Equal("spec", job.Stage);
            Assert.Contains("Spec Writer (R2.3) is not available", job.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Phases_limit_the_stages_and_selection_follows_pilot_then_list_then_top_n(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, "job_a", "job_b", "job_c");
        var pilot = Settings() with { Selection = SelectionSettings.Default with { Pilot = "job_b", Jobs = ["job_a"] } };
        var phase2 = await (await Create(test, pilot, SyntheticStage.All())).Supervisor.RunAsync(2, CancellationToken.None);
        var only = Assert.Single(phase2.Jobs);
        Assert.Equal("job_b", only.JobKey);
        Assert.Equal(JobState.Done, only.State);
        Assert.Equal("spec", only.Stage);
        Assert.Equal("done through phase 2", only.Message);
        Assert.Equal(3 + 4, phase2.StagesRun);

        var topTwo = Settings() with { Selection = SelectionSettings.Default with { TopN = 2 } };
        var scaled = await (await Create(test, topTwo, SyntheticStage.All())).Supervisor.RunAsync(null, CancellationToken.None);
        Assert.Equal(["job_a", "job_b"], scaled.Jobs.Select(j => j.JobKey));
        Assert.Equal(12 + 8, scaled.StagesRun);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Two_supervisors_sharing_one_store_never_run_the_same_stage_twice(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        AddJobs(test, Enumerable.Range(1, 8).Select(i => $"job_{i:00}").ToArray());
        var one = await Create(test, Settings(maxJobs: 2), SyntheticStage.All(delayMs: 2));
        var two = await Create(test, Settings(maxJobs: 2), SyntheticStage.All(delayMs: 2));
        var results = await Task.WhenAll(one.Supervisor.RunAsync(null, CancellationToken.None), two.Supervisor.RunAsync(null, CancellationToken.None));

        Assert.Equal(3 + (8 * 12), results.Sum(r => r.StagesRun));
        var history = await one.Store.ReadStageHistoryAsync(CancellationToken.None);
        Assert.Equal(history.Length, history.Select(h => (h.JobKey, h.Stage)).Distinct().Count());
        Assert.Equal(99, history.Length);
        Assert.All(results, r => Assert.Equal(8, r.Count(JobState.Done)));
        var verification = await ChainVerifier.VerifyFileAsync(test.Workspace.Paths.DecisionsJsonl, CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(99, verification.Entries);
    }

    [Fact]
    public void The_stage_graph_orders_every_stage_after_its_dependencies_and_leaves_out_the_supervisor()
    {
        var graph = StageGraph.FromCatalog();
        Assert.Equal(15, graph.Roles.Length);
        var position = graph.Roles.Select((r, i) => (r.Stage, i)).ToDictionary(p => p.Stage, p => p.i);
        Assert.All(graph.Roles, r => Assert.All(r.DependsOn, d => Assert.True(position[d] < position[r.Stage])));
        Assert.Equal(3, graph.Stages(StageScope.Portfolio, new HashSet<int> { 1 }).Length);
        Assert.Equal(12, graph.Stages(StageScope.Job, new HashSet<int> { 1, 2, 3, 4 }).Length);
        Assert.Equal([StageId.Deploy], graph.Stages(StageScope.Job, new HashSet<int> { 4 }).Select(r => r.Stage));
    }

    [Fact]
    public async Task A_job_stage_whose_dependency_is_in_a_disabled_phase_is_blocked_with_the_reason()
    {
        await using var test = await TestStore.CreateAsync("sqlite");
        AddJobs(test, "job_a");
        var settings = Settings() with { Phases = new PhaseSettings([1, 3]), Selection = SelectionSettings.Default with { Jobs = ["job_a"] } };
        var summary = await (await Create(test, settings, SyntheticStage.All())).Supervisor.RunAsync(null, CancellationToken.None);
        var job = Assert.Single(summary.Jobs);
        Assert.Equal(JobState.Blocked, job.State);
        Assert.Equal("test_design", job.Stage);
        Assert.Contains("needs spec, whose phase 2 is not enabled", job.Message, StringComparison.Ordinal);
    }
}
