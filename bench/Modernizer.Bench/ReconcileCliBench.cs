using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Bench;

/// <summary>R4.4 as users run it: <c>modernize reconcile</c> timed as a process (start-up, table
/// reading, comparison, reconciliation.json and the HTML report included) beside its anchor, the
/// hand-written DuckDB FULL OUTER JOIN counting query run as a process of the same runtime with
/// the same sandbox settings (<c>reconcile-floor</c>). Runs alternate (warm-up first), hyperfine
/// style, and the load average is printed before and after. Cases: (a) Parquet, --rows (10M) x 8
/// columns; (b) CSV, --csv-rows (2M) x 8 columns; a few hundred planted differences each.
/// Targets: (a) &lt;= 1.3x the anchor; (b) &gt;= 8x faster than datacompy 0.9's pandas backend,
/// whose 4.8 s was measured elsewhere (no PyPI here), i.e. &lt;= 0.6 s.</summary>
internal sealed class ReconcileCliBench : IBench
{
    private const double DatacompySecondsMeasuredElsewhere = 4.8;

    public string Name => "reconcile-cli";

    public string Description => "modernize reconcile as a process vs the FULL OUTER JOIN anchor as a process (--rows, --csv-rows, --runs, --warmup, --data DIR, --cli PATH)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rows = Option(args, "--rows", 10_000_000);
        var csvRows = Option(args, "--csv-rows", 2_000_000);
        var runs = Math.Max(1, (int)Option(args, "--runs", 5));
        var warmup = (int)Option(args, "--warmup", 1);
        var cli = Text(args, "--cli") is { } cliPath ? [cliPath] : DefaultCli();
        var given = Text(args, "--data");
        var dir = Path.GetFullPath(given ?? Path.Combine(Path.GetTempPath(), "modernize-bench-reconcile-cli-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(dir);
        try
        {
            var cases = new List<(string Format, long Rows)>();
            if (rows > 0)
            {
                cases.Add(("parquet", rows));
            }

            if (csvRows > 0)
            {
                cases.Add(("csv", csvRows));
            }

            await GenerateAsync(dir, cases, cancellationToken);
            if (args.Contains("--explain"))
            {
                foreach (var (format, n) in cases)
                {
                    await ExplainAsync(dir, format, n, cancellationToken);
                }

                return 0;
            }

            if (args.Contains("--profile"))
            {
                foreach (var (format, n) in cases)
                {
                    await ProfileAsync(dir, format, n, cancellationToken);
                }

                return 0;
            }

            Console.WriteLine($"cli: {string.Join(' ', cli)}");
            Console.WriteLine($"load average before: {LoadAverage()}");
            var summaries = new List<string>();
            foreach (var (format, n) in cases)
            {
                var (b, c) = Files(dir, format, n);
                var reconcile = cli.Concat(["reconcile", "--baseline", b, "--candidate", c, "--key", "id", "--json", Path.Combine(dir, $"out-{format}.json"), "--html", Path.Combine(dir, $"out-{format}.html")]).ToArray();
                string[] floor = [.. Self(), "reconcile-floor", b, c];
                var (rec, anchor) = await AlternateAsync(reconcile, floor, runs, warmup, expectExit: 1, cancellationToken);
                Console.WriteLine(Invariant($"[{format} {n:N0}] modernize reconcile: {rec}"));
                Console.WriteLine(Invariant($"[{format} {n:N0}] anchor (FULL OUTER JOIN count): {anchor}"));
                var line = Invariant($"({format}) {n:N0} rows x 8: reconcile median {rec.Wall.Median:F2}s wall / {rec.Cpu.Median:F2}s cpu, anchor median {anchor.Wall.Median:F2}s wall / {anchor.Cpu.Median:F2}s cpu; ratio {rec.Wall.Median / anchor.Wall.Median:F2}x wall, {rec.Cpu.Median / anchor.Cpu.Median:F2}x cpu");
                if (format == "csv")
                {
                    line += Invariant($"; vs datacompy 0.9 pandas at {DatacompySecondsMeasuredElsewhere:F1}s (measured elsewhere, not run here): {DatacompySecondsMeasuredElsewhere / rec.Wall.Median:F1}x faster by wall time (target >= 8x)");
                }
                else
                {
                    line += " (target <= 1.30x)";
                }

                summaries.Add(line);
            }

            Console.WriteLine($"load average after: {LoadAverage()}");
            Console.WriteLine();
            summaries.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            if (given is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    internal sealed record Stats(double Mean, double StdDev, double Min, double Median, double Max, int Runs)
    {
        public override string ToString() => Invariant($"mean {Mean:F3}s ± {StdDev:F3} (min {Min:F3}, median {Median:F3}, max {Max:F3}; {Runs} runs)");

        public static Stats Of(List<double> seconds)
        {
            var sorted = seconds.Order().ToArray();
            var mean = sorted.Average();
            var sd = Math.Sqrt(sorted.Sum(s => (s - mean) * (s - mean)) / Math.Max(1, sorted.Length - 1));
            var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            return new Stats(mean, sd, sorted[0], median, sorted[^1], sorted.Length);
        }
    }

    /// <summary>Where the time goes, in process: engine start, each statement the reconciler sends
    /// (slowest first), and the report writers.</summary>
    private static async Task ProfileAsync(string dir, string format, long rows, CancellationToken ct)
    {
        var (b, c) = Files(dir, format, rows);
        var watch = Stopwatch.StartNew();
        await using var engine = new TimingEngine(await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(dir), ct));
        var open = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var verdict = await new Reconciler(engine).ReconcileAsync(new ReconcileRequest(new TableRef(b), new TableRef(c), ["id"], ReconcileOptions.Default), ct);
        var reconcile = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var routing = ReconciliationRouting.Route(verdict, RoutingPolicy.Default);
        await ReconciliationReportWriter.WriteJsonAsync(Path.Combine(dir, "profile.json"), verdict, routing, ct);
        var json = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await ReconciliationReportWriter.WriteHtmlAsync(Path.Combine(dir, "profile.html"), verdict, routing, ct);
        var html = watch.Elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"[{format} {rows:N0}] {verdict.Status}: engine open {open:F3}s, reconcile {reconcile:F3}s, json {json:F3}s, html {html:F3}s; statements, slowest first:"));
        engine.PrintSlowest(12);
    }

    /// <summary>EXPLAIN ANALYZE of the comparison pass and of the anchor, in one engine.</summary>
    private static async Task ExplainAsync(string dir, string format, long rows, CancellationToken ct)
    {
        var (b, c) = Files(dir, format, rows);
        var d = ReconcileDialect.For(SqlDialect.DuckDb);
        var bs = await LakeTableSource.Instance.OpenAsync(new TableRef(b), "rc_baseline", d, ct);
        var cs = await LakeTableSource.Instance.OpenAsync(new TableRef(c), "rc_candidate", d, ct);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(dir), ct);
        var cols = (await engine.QueryAsync($"DESCRIBE SELECT * FROM {bs.Sql}", bs.Parameters, ct)).Rows
            .Select(r => new SideColumn((string)r[0]!, (string)r[1]!)).ToImmutableArray();
        var compared = cols.Skip(1).Select(x => ColumnComparison.Create(x.Name, x.Type, x.Type)).ToImmutableArray();
        var query = new ReconciliationQuery(d, bs, cs, cols, cols, [cols[0].Name], compared, ReconcileOptions.Default);
        await PrintPlanAsync(engine, "comparison pass", query.KeyedPass(null), query.Parameters, ct);
        await PrintPlanAsync(engine, "anchor", FloorSql(b), [new QueryParameter("b", b), new QueryParameter("c", c)], ct);
    }

    private static async Task PrintPlanAsync(DuckDbEngine engine, string title, string sql, IReadOnlyList<QueryParameter> parameters, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var plan = await engine.QueryAsync("EXPLAIN ANALYZE " + sql, parameters.Count == 0 ? null : parameters, ct);
        Console.WriteLine(Invariant($"==== {title}: {watch.Elapsed.TotalSeconds:F3}s"));
        foreach (var row in plan.Rows)
        {
            Console.WriteLine(row[^1]);
        }
    }

    internal sealed record Timing(Stats Wall, Stats Cpu)
    {
        public override string ToString() => Invariant($"wall {Wall}; cpu (user+sys) {Cpu}");
    }

    /// <summary>Alternates the two commands so drifting machine load hits both alike.</summary>
    private static async Task<(Timing Command, Timing Anchor)> AlternateAsync(string[] command, string[] anchor, int runs, int warmup, int expectExit, CancellationToken ct)
    {
        for (var i = 0; i < warmup; i++)
        {
            await TimeAsync(command, expectExit, ct);
            await TimeAsync(anchor, 0, ct);
        }

        List<(double Wall, double Cpu)> a = [], b = [];
        for (var i = 0; i < runs; i++)
        {
            a.Add(await TimeAsync(command, expectExit, ct));
            b.Add(await TimeAsync(anchor, 0, ct));
        }

        return (new Timing(Stats.Of([.. a.Select(x => x.Wall)]), Stats.Of([.. a.Select(x => x.Cpu)])), new Timing(Stats.Of([.. b.Select(x => x.Wall)]), Stats.Of([.. b.Select(x => x.Cpu)])));
    }

    /// <summary>Wall time and the CPU time (user + system, all threads) the child used: on a busy
    /// machine the CPU time is the steadier measure of the work done.</summary>
    private static async Task<(double Wall, double Cpu)> TimeAsync(string[] command, int expectExit, CancellationToken ct)
    {
        var cpuBefore = ChildrenCpu.Seconds();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {command[0]}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = ChildrenCpu.Seconds() - cpuBefore;
        if (process.ExitCode != expectExit)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {process.ExitCode} (expected {expectExit}): {await stdout}{await stderr}");
        }

        return (seconds, cpu);
    }

    /// <summary>The anchor, run in its own process: the floor query with the sandbox settings the CLI uses.</summary>
    internal static async Task<int> FloorAsync(string[] args, CancellationToken ct)
    {
        var (b, c) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetDirectoryName(b)!, Path.GetDirectoryName(c)!), ct);
        var result = await engine.QueryAsync(FloorSql(b), [new QueryParameter("b", b), new QueryParameter("c", c)], ct);
        Console.WriteLine(string.Join(", ", result.Columns.Select((col, i) => $"{col.Name} {result.Rows[0][i]}")));
        return 0;
    }

    private static string FloorSql(string baseline)
    {
        var read = baseline.EndsWith(".csv", StringComparison.Ordinal)
            ? "read_csv($p, header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = true)"
            : "read_parquet($p)";
        return "SELECT count(*) FILTER (WHERE b.id IS NULL) AS extra, count(*) FILTER (WHERE c.id IS NULL) AS missing, "
            + "count(*) FILTER (WHERE b.id IS NOT NULL AND c.id IS NOT NULL AND (b.qty IS DISTINCT FROM c.qty OR b.name IS DISTINCT FROM c.name "
            + "OR b.price IS DISTINCT FROM c.price OR b.d IS DISTINCT FROM c.d OR b.flag IS DISTINCT FROM c.flag OR b.category IS DISTINCT FROM c.category "
            + "OR b.amount IS DISTINCT FROM c.amount)) AS changed, count(*) AS total "
            + $"FROM {read.Replace("$p", "$b", StringComparison.Ordinal)} b FULL OUTER JOIN {read.Replace("$p", "$c", StringComparison.Ordinal)} c ON b.id = c.id";
    }

    private static async Task GenerateAsync(string dir, List<(string Format, long Rows)> cases, CancellationToken ct)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(dir) with { MemoryLimit = "4GB" }, ct);
        foreach (var (format, n) in cases)
        {
            var (b, c) = Files(dir, format, n);
            if (File.Exists(b) && File.Exists(c))
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            await ReconcileBench.GenerateAsync(engine, b, c, n, format, ct);
            Console.WriteLine(Invariant($"[{format}] generated {n:N0} rows x 8 columns per side in {watch.Elapsed.TotalSeconds:F1}s"));
        }
    }

    private static (string Baseline, string Candidate) Files(string dir, string format, long rows) =>
        (Path.Combine(dir, Invariant($"baseline_{rows}.{format}")), Path.Combine(dir, Invariant($"candidate_{rows}.{format}")));

    /// <summary>The CLI built next to this bench (the project references it), run through its apphost when present.</summary>
    private static string[] DefaultCli()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "modernize.exe" : "modernize");
        return File.Exists(apphost) ? [apphost] : ["dotnet", Path.Combine(AppContext.BaseDirectory, "modernize.dll")];
    }

    private static string[] Self() =>
        Environment.ProcessPath is { } path && !Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [path]
            : ["dotnet", typeof(ReconcileCliBench).Assembly.Location];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    private static long Option(string[] args, string name, long fallback) =>
        Text(args, name) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The anchor of <see cref="ReconcileCliBench"/> as its own process.</summary>
internal sealed class ReconcileFloorBench : IBench
{
    public string Name => "reconcile-floor";

    public string Description => "the reconcile anchor alone: a hand-written FULL OUTER JOIN count over BASELINE CANDIDATE (used by reconcile-cli)";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken) => ReconcileCliBench.FloorAsync(args, cancellationToken);
}

/// <summary>CPU time of the reaped children of this process (getrusage RUSAGE_CHILDREN).</summary>
internal static partial class ChildrenCpu
{
    private const int RusageChildren = -1;

    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux() || GetRusage(RusageChildren, out var usage) != 0)
        {
            return double.NaN;
        }

        return usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int GetRusage(int who, out RUsage usage);
}
