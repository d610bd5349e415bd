using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Npgsql;
using Xunit.Abstractions;

namespace Modernizer.Cli.Tests;

/// <summary>X5 durability: `modernize run` (the harness registers a deterministic workload) is
/// killed with SIGKILL at random points and rerun; after every resume the final state, the
/// artifacts and the decision log equal those of an uninterrupted run, no stage is recorded twice,
/// and the hash chain is intact. On SQLite and on PostgreSQL.</summary>
public sealed class KillAndResumeTests(ITestOutputHelper output)
{
    private const int MinimumKills = 20;
    private const int KillsPerCycle = 4;
    private const int StageDelayMs = 3;
    private static readonly string[] Jobs = ["job_01", "job_02_esc", "job_03_fail", "job_04"];

    public static TheoryData<string> Kinds => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_run_killed_at_random_points_resumes_to_the_same_state_artifacts_and_decision_log(string kind)
    {
        var random = new Random(kind == "sqlite" ? 20260101 : 20260102);
        await using var reference = await Workspace.CreateAsync(kind);
        var started = Stopwatch.StartNew();
        Assert.False(await RunAsync(reference, kill: null));
        var expected = await SnapshotAsync(reference);
        Assert.Contains(expected, e => e.Key.EndsWith("job_04/deploy.json", StringComparison.Ordinal));
        output.WriteLine($"{kind}: uninterrupted run {started.ElapsedMilliseconds} ms, {expected.Count} facts compared");

        var kills = 0;
        var cycles = 0;
        while (kills < MinimumKills)
        {
            // One cycle: a fresh workspace, up to KillsPerCycle kills, then a run that finishes.
            await using var workspace = await Workspace.CreateAsync(kind);
            cycles++;
            for (var k = 0; k < KillsPerCycle; k++)
            {
                // A kill point: after the n-th stage has started, plus a random pause that lands it
                // in the stage's work, its artifact write, its commit, or the start of the next stage.
                var point = new KillPoint(random.Next(1, 10), random.Next(0, StageDelayMs + 6));
                if (!await RunAsync(workspace, point))
                {
                    break; // the run finished before the kill point: this cycle is complete
                }

                kills++;
            }

            Assert.False(await RunAsync(workspace, kill: null));
            var actual = await SnapshotAsync(workspace);
            var differences = expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
                .Where(key => expected.GetValueOrDefault(key) != actual.GetValueOrDefault(key))
                .Select(key => $"{key}: expected {expected.GetValueOrDefault(key) ?? "(none)"}, got {actual.GetValueOrDefault(key) ?? "(none)"}")
                .ToArray();
            Assert.True(differences.Length == 0, $"cycle {cycles}: " + string.Join(Environment.NewLine, differences.Take(10)));
        }

        output.WriteLine($"{kind}: {kills} kills over {cycles} resumed cycles, each compared with the uninterrupted run");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Two_processes_on_one_workspace_share_the_work_and_never_run_a_stage_twice(string kind)
    {
        await using var reference = await Workspace.CreateAsync(kind);
        var (_, alone) = await RunCountingAsync(reference, kill: null);
        var expected = await SnapshotAsync(reference);

        await using var shared = await Workspace.CreateAsync(kind);
        var both = await Task.WhenAll(RunCountingAsync(shared, kill: null), RunCountingAsync(shared, kill: null));
        var actual = await SnapshotAsync(shared);
        output.WriteLine($"{kind}: {alone} stages alone; {both[0].Started} + {both[1].Started} shared by two processes");

        // A failed stage is retried by a visit that starts after the failure was recorded, also by
        // the other process; every other stage runs exactly once across both processes.
        var retriedFailures = await FailedRecordsAsync(shared) - await FailedRecordsAsync(reference);
        Assert.Equal(alone + retriedFailures, both[0].Started + both[1].Started);
        Assert.Equal(string.Empty, actual["stages recorded more than once"]);
        // The two processes interleave their decisions, so the log's order (and its hashes) differ;
        // its chain must hold and everything else must equal the single process's result.
        Assert.StartsWith("intact=True", actual["decision chain"], StringComparison.Ordinal);
        Assert.Equal(expected["decision chain"], actual["decision chain"]);
        string[] ordered = ["file decisions.jsonl", "decision log (store)"];
        Assert.Equal(expected.Where(e => !ordered.Contains(e.Key)), actual.Where(e => !ordered.Contains(e.Key)));
    }

    private static async Task<int> FailedRecordsAsync(Workspace workspace)
    {
        await using var store = await StateStoreFactory.OpenAsync(workspace.Paths, workspace.State, CancellationToken.None);
        return (await store.ReadStageHistoryAsync(CancellationToken.None)).Count(h => h.Status == "failed");
    }

    /// <summary>Starts the harness; kills it (SIGKILL) at <paramref name="kill"/>. True when it was killed
    /// (false when it finished first).</summary>
    private static async Task<bool> RunAsync(Workspace workspace, KillPoint? kill) => (await RunCountingAsync(workspace, kill)).Killed;

    private static async Task<(bool Killed, int Started)> RunCountingAsync(Workspace workspace, KillPoint? kill)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Modernizer.Pipeline.Harness.dll"), "--fixed-clock", "--delay-ms",
                     StageDelayMs.ToString(CultureInfo.InvariantCulture), "--trace", "run", "--workspace", workspace.Paths.Root })
        {
            start.ArgumentList.Add(argument);
        }

        if (workspace.ConnectionString is { } connection)
        {
            start.Environment["MODERNIZE_POSTGRES"] = connection;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var seen = new StringBuilder();
        var started = 0;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            seen.AppendLine(line);
            if (!line.StartsWith("RUN ", StringComparison.Ordinal))
            {
                continue;
            }

            if (++started == kill?.AfterStages)
            {
                await Task.Delay(kill.PauseMs);
                process.Kill(entireProcessTree: true); // SIGKILL on Linux
                await process.WaitForExitAsync();
                await stderr;
                return (true, started);
            }
        }

        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        var stdout = Task.FromResult(seen.ToString());
        await Task.WhenAll(stdout, stderr);
        // The workload has an escalated and a failed job: a finished run exits 1 (findings), never 2.
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}: {await stdout}{await stderr}");
        return (false, started);
    }

    /// <summary>Everything a run leaves, as comparable facts: artifact bytes, stage runs, job states,
    /// and the decision log; plus the checks that no stage was recorded twice and the chain holds.</summary>
    private static async Task<SortedDictionary<string, string>> SnapshotAsync(Workspace workspace)
    {
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(workspace.Paths.Output, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("state.db", StringComparison.Ordinal) || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                continue; // the store is compared below; a killed writer's temp file is never an artifact
            }

            facts["file " + Path.GetRelativePath(workspace.Paths.Output, file)] = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        }

        await using var store = await StateStoreFactory.OpenAsync(workspace.Paths, workspace.State, CancellationToken.None);
        foreach (var job in await store.ReadJobsAsync(CancellationToken.None))
        {
            facts["job " + job.JobKey] = $"{job.State} {job.Stage} {job.Message} selected={job.Selected} lease={job.LeaseOwner}";
        }

        foreach (var run in await store.ReadStageRunsAsync(null, CancellationToken.None))
        {
            facts[$"run {run.JobKey}/{run.Stage}"] = $"{run.Status} {run.InputHash} {string.Join(",", run.Artifacts.Select(a => a.Path + "=" + a.Sha256))}";
        }

        var completions = (await store.ReadStageHistoryAsync(CancellationToken.None)).Where(h => h.Status != "failed")
            .GroupBy(h => $"{h.JobKey}/{h.Stage}").Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        facts["stages recorded more than once"] = string.Join(",", completions);

        var log = new StringBuilder();
        foreach (var entry in await store.ReadDecisionsAsync(0, CancellationToken.None))
        {
            log.Append(DecisionHasher.ToJsonLine(entry)).Append('\n');
        }

        facts["decision log (store)"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(log.ToString())));
        var chain = await ChainVerifier.VerifyFileAsync(workspace.Paths.DecisionsJsonl, CancellationToken.None);
        facts["decision chain"] = $"intact={chain.Intact} entries={chain.Entries} {chain.Problem}";
        return facts;
    }

    private sealed record KillPoint(int AfterStages, int PauseMs);

    private sealed class Workspace : IAsyncDisposable
    {
        private readonly TempFolder _folder = new();
        private string? _schema;
        private string? _admin;

        public WorkspacePaths Paths => new(_folder.Path);

        public string? ConnectionString { get; private set; }

        public StateSettings State => ConnectionString is null
            ? StateSettings.Default
            : StateSettings.Default with { Provider = StateProvider.Postgres, ConnectionString = ConnectionString };

        public static async Task<Workspace> CreateAsync(string kind)
        {
            var workspace = new Workspace();
            var root = workspace._folder.Path;
            Directory.CreateDirectory(Path.Combine(root, "lake"));
            foreach (var job in Jobs)
            {
                Directory.CreateDirectory(Path.Combine(root, "jobs", job));
                await File.WriteAllTextAsync(Path.Combine(root, "jobs", job, "main.py"), $"# {job}\ndf = spark.table('raw.orders')\n");
            }

            // Kills land in the same stage more than once; this test is about resuming, so no number of
            // kills marks a stage failed (CrashAndInterruptTests covers budgets.crashes_per_stage).
            var yaml = "concurrency:\n  max_jobs: 1\nretry:\n  base_delay_ms: 1\n  max_delay_ms: 2\nbudgets:\n  crashes_per_stage: 1000\n";
            if (kind == "postgres")
            {
                var admin = Environment.GetEnvironmentVariable("MODERNIZER_TEST_POSTGRES");
                Assert.False(string.IsNullOrWhiteSpace(admin), "MODERNIZER_TEST_POSTGRES is not set: run `export MODERNIZER_TEST_POSTGRES=$(bash scripts/postgres.sh)`.");
                workspace._admin = admin;
                workspace._schema = "k_" + Guid.NewGuid().ToString("N")[..16];
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE SCHEMA {workspace._schema}", connection);
                await create.ExecuteNonQueryAsync();
                workspace.ConnectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = workspace._schema }.ToString();
                yaml += "state:\n  provider: postgres\n";
            }

            await File.WriteAllTextAsync(Path.Combine(root, "modernize.yaml"), yaml);
            return workspace;
        }

        public async ValueTask DisposeAsync()
        {
            if (_schema is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(_admin);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }

            _folder.Dispose();
        }
    }
}
