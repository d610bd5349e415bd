using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Modernizer.Samples;

namespace Modernizer.Bench;

/// <summary>Scale generator: <c>modernize sample --jobs 10000 --days 365</c> must write the portfolio in
/// at most 60 s; the time of each step is printed. Anchor: DuckDB writing 10 M generated
/// rows to Parquet with one thread in the same process — the floor any set-based generator pays.</summary>
internal sealed class SampleScaleBench : IBench
{
    public string Name => "sample-scale";

    public string Description => "portfolio generator: --jobs 10000 --days 365 (options: jobs days [lake] [--parallelism N])";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var jobs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var days = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 365;
        var lake = args.Contains("lake");
        var parallelismAt = Array.IndexOf(args, "--parallelism");
        var options = new SampleOptions { Jobs = jobs, Days = days, IncludeLake = lake };
        if (parallelismAt >= 0 && parallelismAt + 1 < args.Length)
        {
            options = options with { Parallelism = int.Parse(args[parallelismAt + 1], CultureInfo.InvariantCulture) };
        }

        var root = Path.Combine(Path.GetTempPath(), "modernizer-bench-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            var anchor = await AnchorAsync(Path.Combine(root, "anchor.parquet"), cancellationToken);
            var watch = Stopwatch.StartNew();
            var steps = new StepClock(watch);
            var summary = await SampleWorkspaceWriter.WriteAsync(
                Path.Combine(root, "ws"), options, steps, cancellationToken);
            var elapsed = watch.Elapsed;

            await using var db = new DuckDBConnection("DataSource=:memory:");
            await db.OpenAsync(cancellationToken);
            var runs = await ScalarAsync(db, $"SELECT count(DISTINCT run_id) FROM read_parquet('{Path.Combine(summary.Directory, "catalog/lakeflow/job_run_timeline.parquet")}')", cancellationToken);
            var slices = await ScalarAsync(db, $"SELECT count(*) FROM read_parquet('{Path.Combine(summary.Directory, "catalog/lakeflow/job_run_timeline.parquet")}')", cancellationToken);
            var billing = await ScalarAsync(db, $"SELECT count(*) FROM read_parquet('{Path.Combine(summary.Directory, "finops/billing/usage/*.parquet")}')", cancellationToken);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample-scale jobs={jobs} days={days} lake={lake} parallelism={options.Parallelism}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  elapsed            {elapsed.TotalSeconds,8:0.0} s   (target <= 60 s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runs               {runs,12:N0}   timeline rows {slices:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  billing rows       {billing,12:N0}"));
            foreach (var area in summary.Areas)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {area.Name,-18} {area.Files,6} files {area.Bytes / 1048576.0,8:0.0} MB"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  anchor (10M rows to Parquet, 1 thread) {anchor.TotalSeconds:0.00} s; ratio {elapsed.TotalSeconds / anchor.TotalSeconds:0.0}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores; load average {CliProcess.LoadAverage()}"));
            Console.WriteLine("  steps (finished at, since the previous step):");
            foreach (var line in steps.Lines)
            {
                Console.WriteLine("    " + line);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak working set   {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,8:0} MB"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Records when each step of the writer finished (synchronously: Progress&lt;T&gt; would post later).</summary>
    private sealed class StepClock(Stopwatch watch) : IProgress<SampleProgress>
    {
        private readonly List<string> _lines = [];
        private TimeSpan _previous;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Report(SampleProgress value)
        {
            lock (_lines)
            {
                var now = watch.Elapsed;
                _lines.Add(string.Create(CultureInfo.InvariantCulture, $"{now.TotalSeconds,7:0.0} s  +{(now - _previous).TotalSeconds,6:0.0} s  {value.Step}"));
                _previous = now;
            }
        }
    }

    private static async Task<TimeSpan> AnchorAsync(string file, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        await using var command = db.CreateCommand();
        command.CommandText = $"SET threads = 1; COPY (SELECT range AS id, hash(range) % 1000 AS a, range::DOUBLE / 7 AS b FROM range(10000000)) TO '{file}' (FORMAT parquet, COMPRESSION zstd)";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return watch.Elapsed;
    }

    private static async Task<long> ScalarAsync(DuckDBConnection db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
