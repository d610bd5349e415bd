using System.Diagnostics;
using System.Globalization;
using System.Text;
using Modernizer.Code.Analysis;

namespace Modernizer.Bench;

/// <summary>Code Reviewer engine at portfolio scale (R2.1): 10,000 generated job files of about
/// 250 lines, templated from the retail sample's PySpark jobs (table names, constants and targets
/// varied per job), analyzed end to end (python3 ast bridge, frontend, rules, defects, lineage).
/// Target: at most 90 s. Anchor: python3 parsing the same files with <c>ast.parse</c> alone, one
/// process per core, measured in the same run — the floor of any CPython-based analysis.</summary>
internal sealed class CodeAnalysisBench : IBench
{
    private const int BatchSize = 2000;

    public string Name => "code-analysis";

    public string Description => "analyze 10,000 generated ~250-line PySpark jobs (options: files)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var root = Path.Combine(Path.GetTempPath(), "modernizer-bench-code-" + Guid.NewGuid().ToString("N"));
        try
        {
            var templates = LoadTemplates();
            var lines = Generate(root, count, templates);
            var anchor = await AnchorAsync(root, cancellationToken);

            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var bridgeWatch = Stopwatch.StartNew();
            var bridge = new Modernizer.Code.Python.PythonAstBridge();
            var all = Directory.EnumerateFiles(root, "main.py", SearchOption.AllDirectories).Select(f => new Modernizer.Code.Python.PythonSource(f, File.ReadAllText(f))).ToArray();
            for (var i = 0; i < all.Length; i += BatchSize)
            {
                _ = await bridge.ParseAsync(all[i..Math.Min(all.Length, i + BatchSize)], cancellationToken);
            }

            var bridgeElapsed = bridgeWatch.Elapsed;
            var bridgeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
            var analyzer = new JobAnalyzer();
            var jobs = Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(JobSource.FromFolder).ToArray();
            var watch = Stopwatch.StartNew();
            long findings = 0, defects = 0, tables = 0;
            for (var i = 0; i < jobs.Length; i += BatchSize)
            {
                var results = await analyzer.AnalyzeManyAsync(jobs[i..Math.Min(jobs.Length, i + BatchSize)], cancellationToken);
                findings += results.Sum(r => r.AntiPatterns.Length);
                defects += results.Sum(r => r.SuspectedDefects.Length);
                tables += results.Sum(r => r.Sources.Length + r.Targets.Length);
            }

            var elapsed = watch.Elapsed;
            var analysisCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart - bridgeCpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code-analysis files={jobs.Length} lines={lines:N0} (avg {lines / (double)jobs.Length:0} per file) cores={Environment.ProcessorCount}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  elapsed            {elapsed.TotalSeconds,8:0.0} s   (target <= 90 s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput         {jobs.Length / elapsed.TotalSeconds,8:0} files/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  found              {findings:N0} anti-patterns, {defects:N0} suspected defects, {tables:N0} table references"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  syntax bridge only {bridgeElapsed.TotalSeconds,8:0.0} s   (parse + compact JSON + decode); .NET CPU {bridgeCpu.TotalSeconds:0.0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  .NET CPU full analysis {analysisCpu.TotalSeconds:0.0} s ({analysisCpu.TotalMilliseconds / jobs.Length:0.0} ms per file)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  anchor (python3 ast.parse only, {Environment.ProcessorCount} procs) {anchor.TotalSeconds:0.0} s; ratio {elapsed.TotalSeconds / anchor.TotalSeconds:0.0}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak working set   {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,8:0} MB"));
            return elapsed.TotalSeconds <= 90 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static List<string> LoadTemplates()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var jobs = Path.Combine(directory.FullName, "samples", "retail", "jobs");
            if (Directory.Exists(jobs))
            {
                return [.. Directory.EnumerateFiles(jobs, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText)];
            }
        }

        throw new DirectoryNotFoundException("samples/retail/jobs not found (the bench templates from the sample's jobs).");
    }

    /// <summary>Writes one job folder per file; each file is a sample job with its tables and
    /// constants renamed, padded with realistic helper code to about 250 lines.</summary>
    private static long Generate(string root, int count, List<string> templates)
    {
        long lines = 0;
        for (var i = 0; i < count; i++)
        {
            var template = templates[i % templates.Count];
            var text = new StringBuilder(template
                .Replace("raw.", $"raw{i % 40}.", StringComparison.Ordinal)
                .Replace("curated.", $"curated{i % 25}.", StringComparison.Ordinal));
            var n = 0;
            while (text.ToString().Count(c => c == '\n') < 240)
            {
                text.Append(CultureInfo.InvariantCulture, $"""


                    def check_{n}_{i}(df, column="amount", limit={100 + n}):
                        '''Data quality check {n}: rows over the limit are logged, not dropped.'''
                        over = df.filter(F.col(column) > F.lit(limit))
                        sample = over.limit(5).collect()
                        for row in sample:
                            logger.info("over limit: %s", row)
                        return over.select("*").withColumn("check", F.lit("check_{n}"))
                    """);
                n++;
            }

            var folder = Path.Combine(root, "job_" + i.ToString("00000", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var content = text.ToString();
            lines += content.Count(c => c == '\n');
            File.WriteAllText(Path.Combine(folder, "main.py"), content);
        }

        return lines;
    }

    private static async Task<TimeSpan> AnchorAsync(string root, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(root, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var workers = Environment.ProcessorCount;
        var watch = Stopwatch.StartNew();
        var tasks = new List<Task>();
        for (var w = 0; w < workers; w++)
        {
            var share = files.Where((_, i) => i % workers == w).ToArray();
            var list = Path.Combine(root, $"anchor-{w}.txt");
            await File.WriteAllLinesAsync(list, share, cancellationToken);
            var start = new ProcessStartInfo("python3") { UseShellExecute = false };
            foreach (var arg in new[] { "-I", "-S", "-c", "import ast,sys\nfor p in open(sys.argv[1]).read().split():\n    ast.parse(open(p, encoding='utf-8').read())", list })
            {
                start.ArgumentList.Add(arg);
            }

            tasks.Add(Task.Run(async () =>
            {
                using var process = Process.Start(start)!;
                await process.WaitForExitAsync(cancellationToken);
            }, cancellationToken));
        }

        await Task.WhenAll(tasks);
        return watch.Elapsed;
    }
}
