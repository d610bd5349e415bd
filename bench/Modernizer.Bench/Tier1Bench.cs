using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;
using Modernizer.Samples;

namespace Modernizer.Bench;

/// <summary>All of tier 1 (scan, FinOps, prioritization, artifacts) over a generated portfolio
/// (default 10,000 jobs × 365 days: ≈3.65M run rows, ≈10M billing rows). Target: ≤ 30 s.
/// Anchor: one DuckDB pass counting the rows of the same exports (the floor of reading them).
/// Usage: tier1 [--jobs N] [--days N] [--dir DIR] [--as-user [--cli PATH]] (DIR is reused when it
/// already holds a catalog). In-process by default (the three roles on one engine, with the time of
/// each phase and the slowest statements); with --as-user, <c>modernize run --phase 1</c> in a child
/// process as a user runs it: process start, the supervisor, the three stages and the state store.</summary>
internal sealed class Tier1Bench : IBench
{
    public string Name => "tier1";

    public string Description => "tier 1 over a generated portfolio (--jobs 10000 --days 365 [--as-user]), target <= 30 s";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var jobs = Option(args, "--jobs", 10_000);
        var days = Option(args, "--days", 365);
        var dir = OptionText(args, "--dir") ?? Path.Combine(Path.GetTempPath(), $"modernizer-tier1-bench-{jobs}x{days}");
        var workspace = new WorkspacePaths(Path.GetFullPath(dir));
        if (!Directory.Exists(workspace.Catalog))
        {
            Console.WriteLine($"generating {jobs} jobs x {days} days into {workspace.Root} (sample scale generator, no lake)...");
            var generate = Stopwatch.StartNew();
            await SampleWorkspaceWriter.WriteAsync(workspace.Root, new SampleOptions { Jobs = jobs, Days = days, IncludeLake = false }, null, cancellationToken);
            Console.WriteLine($"generated in {generate.Elapsed.TotalSeconds:0.0} s");
        }

        if (Directory.Exists(workspace.Output))
        {
            Directory.Delete(workspace.Output, recursive: true);
        }

        var anchor = Stopwatch.StartNew();
        var (runRows, billingRows, otherRows) = await CountRowsAsync(workspace, cancellationToken);
        anchor.Stop();
        if (args.Contains("--as-user"))
        {
            return await RunAsUserAsync(workspace, args, anchor.Elapsed, runRows + billingRows + otherRows, cancellationToken);
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await using var engine = new TimingEngine(await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForWorkspace(workspace.Root), cancellationToken));
        var phase = Stopwatch.StartNew();
        var scan = await new PortfolioScanner(engine, PortfolioOptions.Default).ScanAsync(workspace, cancellationToken);
        var scanSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        var finops = await new FinOpsAnalyst(engine, PortfolioOptions.Default).AnalyzeAsync(workspace, scan, cancellationToken);
        var finopsSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        var backlog = await new Prioritizer(PortfolioOptions.Default).PrioritizeAsync(workspace, scan, finops, cancellationToken);
        var prioritizeSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        ImmutableArray<ArtifactRef> artifacts =
        [
            .. await PortfolioWriter.WriteInventoryAsync(workspace, scan.Inventory, cancellationToken),
            .. await PortfolioWriter.WriteFinOpsAsync(workspace, finops.Report, cancellationToken),
            .. await PortfolioWriter.WriteBacklogAsync(workspace, backlog.Backlog, cancellationToken),
        ];
        var writeSeconds = phase.Elapsed.TotalSeconds;
        var result = new Tier1Result(scan, finops, backlog, artifacts);
        watch.Stop();

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var rows = runRows + billingRows + otherRows;
        var seconds = watch.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"portfolio: {result.Scan.Inventory.Jobs.Length} jobs; run timeline rows {runRows:N0}; billing rows {billingRows:N0}; other export rows {otherRows:N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tier 1: {seconds:0.00} s (target <= 30 s) — {rows / seconds:N0} rows/s; peak working set {peak:N0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU time {cpu:0.0} s on {Environment.ProcessorCount} cores (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}): on an idle machine wall time is about CPU time / cores = {cpu / Environment.ProcessorCount:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phases: scan {scanSeconds:0.00} s, finops {finopsSeconds:0.00} s, prioritize {prioritizeSeconds:0.00} s, write {writeSeconds:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"anchor (count the rows of the same exports): {anchor.Elapsed.TotalSeconds:0.00} s; tier 1 / anchor = {seconds / anchor.Elapsed.TotalSeconds:0.0}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decisions {result.Decisions.Length}, escalations {result.Escalations.Length}, bad rows {result.Scan.Inventory.Ingestion.BadRowCount}"));
        Console.WriteLine("slowest statements:");
        engine.PrintSlowest(12);
        return seconds <= 30 ? 0 : 1;
    }

    /// <summary><c>modernize run --workspace DIR --phase 1</c> twice in child processes: from scratch, then
    /// again with nothing changed (every stage skipped on its input hash). Anchors in the same run: the
    /// row count above and <c>modernize --help</c> (the cost of starting the process).</summary>
    private static async Task<int> RunAsUserAsync(WorkspacePaths workspace, string[] args, TimeSpan anchor, long rows, CancellationToken cancellationToken)
    {
        var cli = CliProcess.Locate(args);
        var startup = await CliProcess.RunAsync(cli, ["--help"], cancellationToken);
        var first = await CliProcess.RunAsync(cli, ["run", "--workspace", workspace.Root, "--phase", "1"], cancellationToken);
        var again = await CliProcess.RunAsync(cli, ["run", "--workspace", workspace.Root, "--phase", "1"], cancellationToken);
        var seconds = first.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"command: {string.Join(' ', [cli.FileName, .. cli.Prefix])} run --workspace {workspace.Root} --phase 1"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  from scratch:        {first.Describe()} (target <= 30 s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  again, unchanged:    {again.Describe()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"anchor (count the {rows:N0} rows of the same exports, in process): {anchor.TotalSeconds:0.00} s; command / anchor = {seconds / anchor.TotalSeconds:0.0}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"anchor (process start, modernize --help): {startup.Describe()}"));
        Console.WriteLine("last lines of the first run:");
        foreach (var line in first.Output.Split('\n').TakeLast(6))
        {
            Console.WriteLine("  " + line);
        }

        return first.ExitCode is 0 or 1 && seconds <= 30 ? 0 : 1;
    }

    private static async Task<(long Runs, long Billing, long Other)> CountRowsAsync(WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForWorkspace(workspace.Root), cancellationToken);
        long runs = 0, billing = 0, other = 0;
        foreach (var file in Directory.EnumerateFiles(workspace.Catalog, "*", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(workspace.Finops, "*", SearchOption.AllDirectories)))
        {
            var reader = Path.GetExtension(file) switch
            {
                ".parquet" => "read_parquet($p)",
                ".csv" => "read_csv($p, header = true, all_varchar = true)",
                ".jsonl" => "read_json($p, format = 'newline_delimited')",
                _ => null,
            };
            if (reader is null || Path.GetFileNameWithoutExtension(file) == "job_task_run_timeline") // tier 1 does not read task runs
            {
                continue;
            }

            var count = Convert.ToInt64((await engine.QueryAsync($"SELECT count(*) FROM {reader}", [new QueryParameter("p", file)], cancellationToken)).Scalar, CultureInfo.InvariantCulture);
            // An export is a file or a folder of part files named after it (billing/usage/part-1.parquet).
            var name = Path.GetFileName(Path.GetDirectoryName(file)) == "usage" ? "usage" : Path.GetFileNameWithoutExtension(file);
            if (name == "job_run_timeline" || name == "runs" || name == "dag_run")
            {
                runs += count;
            }
            else if (name == "usage")
            {
                billing += count;
            }
            else
            {
                other += count;
            }
        }

        return (runs, billing, other);
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
