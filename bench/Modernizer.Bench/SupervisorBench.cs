using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Supervision;

namespace Modernizer.Bench;

/// <summary>R5.2/X5 throughput: N jobs × 10 trivial stages through the supervisor on SQLite (every
/// stage leased, input-hashed and committed in its own transaction). Anchor: the same number of bare
/// single-row SQLite transactions in WAL mode, the floor no durable supervisor can beat. Target:
/// at least 2,000 stage transitions per second on a 2-core machine.</summary>
internal sealed class SupervisorBench : IBench
{
    public string Name => "supervisor";

    public string Description => "10,000 jobs x 10 trivial stages through the supervisor on SQLite [--jobs N] [--max-jobs N]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var jobs = Option(args, "--jobs", 10_000);
        var maxJobs = Option(args, "--max-jobs", Environment.ProcessorCount);
        var root = Path.Combine(Path.GetTempPath(), "modernizer-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var workspace = new WorkspacePaths(root);
            var ids = Enumerable.Range(1, jobs).Select(i => $"job_{i:00000}").ToImmutableArray();
            foreach (var id in ids)
            {
                Directory.CreateDirectory(Path.Combine(workspace.Jobs, id));
                await File.WriteAllTextAsync(Path.Combine(workspace.Jobs, id, "main.py"), "df = spark.table('raw.t')\n", cancellationToken);
            }

            var roles = RoleCatalog.All.Where(r => r.Scope == StageScope.Job).Take(10).ToImmutableArray();
            var graph = new StageGraph(roles);
            var settings = ModernizeSettings.Default with
            {
                Selection = SelectionSettings.Default with { Jobs = ids },
                Concurrency = new ConcurrencySettings(maxJobs),
            };
            var works = roles.Select(r => (IStageWork)new TrivialStage(r)).ToArray();
            var transitions = (long)jobs * roles.Length;

            await using var store = await StateStoreFactory.OpenAsync(workspace, settings.State, cancellationToken);
            var supervisor = new Supervisor(settings, workspace, store, works, TimeProvider.System, graph);
            var clock = Stopwatch.StartNew();
            var first = await supervisor.RunAsync(null, cancellationToken);
            var firstSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var second = await new Supervisor(settings, workspace, store, works, TimeProvider.System, graph).RunAsync(null, cancellationToken);
            var secondSeconds = clock.Elapsed.TotalSeconds;
            if (first.StagesRun != transitions || second.StagesSkipped != transitions || first.Count(JobState.Done) != jobs)
            {
                Console.WriteLine($"unexpected result: ran {first.StagesRun}, skipped {second.StagesSkipped}, done {first.Count(JobState.Done)}");
                return 2;
            }

            var anchorSeconds = await AnchorAsync(Path.Combine(root, "anchor.db"), transitions, cancellationToken);
            var rate = transitions / firstSeconds;
            var anchorRate = transitions / anchorSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jobs: {jobs}, stages per job: {roles.Length}, cores: {Environment.ProcessorCount}, concurrency.max_jobs: {maxJobs}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first run:  {transitions} stage transitions in {firstSeconds:0.00} s = {rate:0} transitions/s (target >= 2000/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second run: {transitions} stages skipped by input hash in {secondSeconds:0.00} s = {transitions / secondSeconds:0} checks/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"anchor:     {transitions} bare SQLite WAL transactions in {anchorSeconds:0.00} s = {anchorRate:0}/s; supervisor/anchor = {rate / anchorRate:0.00}"));
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak memory: {process.PeakWorkingSet64 / (1024.0 * 1024.0):0} MiB"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<double> AnchorAsync(string path, long count, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)";
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = (SqliteTransaction)tx;
            insert.CommandText = "INSERT INTO t (k, v) VALUES (@k, 'completed')";
            insert.Parameters.AddWithValue("@k", i);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>A stage that does nothing but be hashed and recorded: measures the supervisor alone.</summary>
    private sealed class TrivialStage(RoleDefinition role) : IStageWork
    {
        public RoleId Role => role.Role;

        public StageId Stage => role.Stage;

        public Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken) =>
            Task.FromResult(role.Stage.Name + ":" + context.Job);

        public Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken) =>
            Task.FromResult(StageOutcome.Completed([], [], []));
    }
}
