using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;

namespace Modernizer.Cli.Tests;

/// <summary>X5 with real processes (the harness's synthetic workload): a stage that takes its process down
/// (a stack overflow) is started by at most <c>budgets.crashes_per_stage</c> processes, then marked failed
/// while the other jobs finish and none is left interrupted; Ctrl+C (SIGINT) cancels the stage in
/// progress, records nothing half-done, exits 130, and the next run resumes.</summary>
public sealed class CrashAndInterruptTests
{
    [Fact]
    public async Task A_stage_that_crashes_the_process_is_marked_failed_after_two_crashes_and_the_other_jobs_finish()
    {
        using var folder = new TempFolder();
        var paths = await CreateAsync(folder, "concurrency:\n  max_jobs: 2\n", "job_01", "job_02_crash", "job_03");

        // Two processes end inside job_02_crash's code review (the first may take job_01 down with it).
        for (var crash = 1; crash <= 2; crash++)
        {
            var crashed = await HarnessProcess.RunAsync(["--trace", "run", "--workspace", paths.Root]);
            Assert.True(crashed.ExitCode is not (0 or 1 or 2), $"run {crash} should have crashed: exit {crashed.ExitCode}\n{crashed.Output}");
            Assert.Contains("Stack overflow", crashed.Errors, StringComparison.Ordinal);
            Assert.Contains("RUN job_02_crash/code_review", crashed.Output, StringComparison.Ordinal);
        }

        var third = await HarnessProcess.RunAsync(["--trace", "run", "--workspace", paths.Root]);

        Assert.Equal(1, third.ExitCode);
        Assert.DoesNotContain("RUN job_02_crash/code_review", third.Output, StringComparison.Ordinal);
        var jobs = await JobsAsync(paths);
        Assert.Equal(JobState.Failed, jobs["job_02_crash"].State);
        Assert.Equal("code_review", jobs["job_02_crash"].Stage);
        Assert.Contains("the process ended while running this stage twice", jobs["job_02_crash"].Message, StringComparison.Ordinal);
        Assert.Equal(JobState.Done, jobs["job_01"].State);
        Assert.Equal(JobState.Done, jobs["job_03"].State);
        Assert.DoesNotContain(jobs.Values, j => j.State is JobState.Running or JobState.Pending);

        // The stage stays failed on its unchanged input: a fourth run does not start it again.
        var fourth = await HarnessProcess.RunAsync(["--trace", "run", "--workspace", paths.Root]);
        Assert.Equal(1, fourth.ExitCode);
        Assert.DoesNotContain("RUN job_02_crash/code_review", fourth.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_stage_in_progress_cleanly_and_the_next_run_resumes()
    {
        using var folder = new TempFolder();
        var paths = await CreateAsync(folder, "concurrency:\n  max_jobs: 1\n", "job_01", "job_02");

        var interrupted = await HarnessProcess.RunAsync(["--trace", "--hang-at", "code_review", "run", "--workspace", paths.Root],
            async (line, process) =>
            {
                if (line == "RUN job_01/code_review")
                {
                    await HarnessProcess.InterruptAsync(process);
                }
            });

        Assert.Equal(130, interrupted.ExitCode);
        Assert.Contains("interrupted:", interrupted.Output, StringComparison.Ordinal);
        Assert.Contains("Run the same command again to resume", interrupted.Output, StringComparison.Ordinal);
        var jobs = await JobsAsync(paths);
        Assert.Equal(JobState.Pending, jobs["job_01"].State);
        Assert.Contains("interrupted in stage code_review", jobs["job_01"].Message, StringComparison.Ordinal);
        Assert.Null(jobs["job_01"].LeaseOwner);
        await using (var store = await StateStoreFactory.OpenAsync(paths, StateSettings.Default, CancellationToken.None))
        {
            Assert.Empty(await store.ReadStageStartsAsync(null, CancellationToken.None));
            Assert.DoesNotContain(await store.ReadStageRunsAsync("job_01", CancellationToken.None), r => r.Stage == "code_review");
            var (file, stored) = await ChainVerifier.VerifyWorkspaceAsync(store, paths, CancellationToken.None);
            Assert.True(file.Intact, file.Problem);
            Assert.True(stored.Intact, stored.Problem);
        }

        // Nothing half-written: no artifact of the cancelled stage, no temporary file left behind.
        Assert.False(File.Exists(Path.Combine(paths.JobOutput(new("job_01")), "code_review.json")));
        Assert.Empty(Directory.EnumerateFiles(paths.Output, "*.tmp", SearchOption.AllDirectories));

        var resumed = await HarnessProcess.RunAsync(["--trace", "run", "--workspace", paths.Root]);

        Assert.Equal(0, resumed.ExitCode);
        Assert.DoesNotContain("RUN (portfolio)/scan", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("RUN job_01/code_review", resumed.Output, StringComparison.Ordinal);
        jobs = await JobsAsync(paths);
        Assert.Equal(JobState.Done, jobs["job_01"].State);
        Assert.Equal(JobState.Done, jobs["job_02"].State);
        await using (var store = await StateStoreFactory.OpenAsync(paths, StateSettings.Default, CancellationToken.None))
        {
            var completions = (await store.ReadStageHistoryAsync(CancellationToken.None)).Where(h => h.Status == "completed")
                .GroupBy(h => h.JobKey + "/" + h.Stage).Where(g => g.Count() > 1).Select(g => g.Key);
            Assert.Empty(completions);
        }
    }

    private static async Task<WorkspacePaths> CreateAsync(TempFolder folder, string yaml, params string[] jobs)
    {
        var paths = new WorkspacePaths(folder.Path);
        Directory.CreateDirectory(paths.Lake);
        foreach (var job in jobs)
        {
            Directory.CreateDirectory(Path.Combine(paths.Jobs, job));
            await File.WriteAllTextAsync(Path.Combine(paths.Jobs, job, "main.py"), $"# {job}\ndf = spark.table('raw.orders')\n");
        }

        await File.WriteAllTextAsync(paths.ConfigFile, yaml + "retry:\n  base_delay_ms: 1\n  max_delay_ms: 2\n");
        return paths;
    }

    private static async Task<Dictionary<string, JobRecord>> JobsAsync(WorkspacePaths paths)
    {
        await using var store = await StateStoreFactory.OpenAsync(paths, StateSettings.Default, CancellationToken.None);
        return (await store.ReadJobsAsync(CancellationToken.None)).Where(j => j.Selected).ToDictionary(j => j.JobKey);
    }
}
