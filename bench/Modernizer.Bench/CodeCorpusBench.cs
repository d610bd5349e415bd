using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Modernizer.Code.Analysis;

namespace Modernizer.Bench;

/// <summary>The Code Reviewer on public PySpark code it has never seen (R2.1): every repository
/// folder under the corpus folder is analysed as <c>modernize analyze</c> would read it. Reports
/// crashes (target 0), files not understood with their reasons, and, against a hand-checked key,
/// precision per rule on a sample of findings (target ≥ 90%), recall on files with obvious driver
/// loops, collect, toPandas and UDFs (target ≥ 90%), and per-file lineage on a sample (target
/// ≥ 90%). The corpus is not part of the repository: docs/code-analysis.md names the
/// repositories and commits; the key (corpus-key.json) holds only paths, lines and verdicts.</summary>
internal sealed class CodeCorpusBench : IBench
{
    private const int SamplePerRule = 10;

    public string Name => "code-corpus";

    public string Description => "analyze a folder of public PySpark repositories (args: CORPUS [--key FILE] [--findings FILE])";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || !Directory.Exists(args[0]))
        {
            Console.WriteLine("usage: code-corpus CORPUS_FOLDER [--key corpus-key.json] [--findings findings.jsonl]");
            return 2;
        }

        var corpus = args[0];
        var keyFile = Option(args, "--key") ?? Path.Combine(AppContext.BaseDirectory, "corpus-key.json");
        var findingsFile = Option(args, "--findings");
        var key = File.Exists(keyFile) ? JsonSerializer.Deserialize<CorpusKey>(await File.ReadAllTextAsync(keyFile, cancellationToken), KeyJson)! : new CorpusKey([], [], [], []);

        var crashes = new List<string>();
        var results = new List<(string Repo, string Prefix, JobAnalysis Analysis)>();
        var files = 0;
        var watch = Stopwatch.StartNew();
        foreach (var repo in Directory.EnumerateDirectories(corpus).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(repo);
            files += Directory.EnumerateFiles(repo, "*", SearchOption.AllDirectories).Count(f => JobDiscovery.CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));
            try
            {
                var discovery = JobDiscovery.Discover(repo);
                var analyses = await new JobAnalyzer().AnalyzeManyAsync(discovery.Jobs, cancellationToken);
                results.AddRange(analyses.Select((a, i) => (name, PrefixOf(repo, discovery.Jobs[i]), a)));
                Console.WriteLine($"  {name}: {discovery.Mode}");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                crashes.Add($"{name}: {error.GetType().Name}: {error.Message}");
            }
        }

        var elapsed = watch.Elapsed;
        var internalErrors = results.SelectMany(r => r.Analysis.Problems.Where(p => p.Kind is ProblemKinds.AnalysisError).Select(p => $"{r.Repo}/{r.Prefix}{p.File}: {p.Message}")).ToArray();
        var notUnderstood = results.SelectMany(r => r.Analysis.NotUnderstood.Select(n => (r.Repo, File: r.Prefix + n.File, n.Reason, n.Detail))).ToArray();
        var findings = results.SelectMany(r => r.Analysis.AntiPatterns.Select(a => new Finding(r.Repo, r.Prefix + a.File, a.Line, a.EndLine, a.RuleId, a.Message))).ToArray();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code-corpus repositories={Directory.EnumerateDirectories(corpus).Count()} files={files} jobs={results.Count} elapsed={elapsed.TotalSeconds:0.0} s"));
        Console.WriteLine($"  crashes            {crashes.Count + internalErrors.Length} (target 0)");
        foreach (var crash in crashes.Concat(internalErrors))
        {
            Console.WriteLine("    " + crash);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  not understood     {notUnderstood.Length} file(s) ({100.0 * notUnderstood.Length / Math.Max(1, files):0.0}%)"));
        foreach (var group in notUnderstood.GroupBy(n => n.Reason).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {group.Key}: {group.Count()}");
            foreach (var file in group)
            {
                Console.WriteLine($"      {file.Repo}/{file.File}: {Shorten(file.Detail)}");
            }
        }

        Console.WriteLine("  findings per rule  " + string.Join(", ", findings.GroupBy(f => f.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        Precision(findings, key);
        Recall(findings, key);
        Lineage(results, key);

        if (findingsFile is not null)
        {
            await File.WriteAllLinesAsync(findingsFile, findings.Select(f => JsonSerializer.Serialize(f, KeyJson)), cancellationToken);
            await File.AppendAllLinesAsync(findingsFile, results.SelectMany(r => PerFileLineage(r.Repo, r.Prefix, r.Analysis)).Select(l => JsonSerializer.Serialize(l, KeyJson)), cancellationToken);
        }

        return crashes.Count + internalErrors.Length == 0 ? 0 : 1;
    }

    /// <summary>Up to ten findings per rule, spread evenly over the sorted findings: the sample the
    /// key's verdicts are taken on.</summary>
    private static void Precision(Finding[] findings, CorpusKey key)
    {
        Console.WriteLine("  precision on the hand-checked sample (target >= 90%)");
        var verdicts = key.Precision.ToDictionary(v => (v.Repo, v.File, v.Line, v.Rule), v => v.Verdict);
        int allTrue = 0, allChecked = 0, allUnchecked = 0;
        foreach (var rule in findings.GroupBy(f => f.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sorted = rule.OrderBy(f => f.Repo, StringComparer.Ordinal).ThenBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ToArray();
            var step = Math.Max(1, sorted.Length / SamplePerRule);
            var sample = sorted.Where((_, i) => i % step == 0).Take(SamplePerRule).ToArray();
            var checkedOnes = sample.Where(f => verdicts.ContainsKey((f.Repo, f.File, f.Line, f.Rule))).ToArray();
            var truePositives = checkedOnes.Count(f => verdicts[(f.Repo, f.File, f.Line, f.Rule)] == "tp");
            var notInKey = sample.Where(f => !verdicts.ContainsKey((f.Repo, f.File, f.Line, f.Rule))).ToArray();
            allTrue += truePositives;
            allChecked += checkedOnes.Length;
            allUnchecked += notInKey.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {rule.Key,-6} {truePositives}/{checkedOnes.Length} {Percent(truePositives, checkedOnes.Length)}{(notInKey.Length > 0 ? $"  ({notInKey.Length} sampled, not in the key)" : string.Empty)}"));
            foreach (var missing in notInKey)
            {
                Console.WriteLine($"      unchecked: {missing.Repo}/{missing.File}:{missing.Line} {missing.Message}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    all    {allTrue}/{allChecked} {Percent(allTrue, allChecked)}{(allUnchecked > 0 ? $"  ({allUnchecked} unchecked)" : string.Empty)}"));
    }

    private static void Recall(Finding[] findings, CorpusKey key)
    {
        var found = key.Recall.Where(e => findings.Any(f => f.Repo == e.Repo && f.File == e.File && f.Rule == e.Rule && f.Line <= e.Line && e.Line <= f.EndLine)).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  recall on obvious loops/collect/toPandas/UDFs  {found.Length}/{key.Recall.Count} {Percent(found.Length, key.Recall.Count)} (target >= 90%)"));
        foreach (var missed in key.Recall.Except(found))
        {
            Console.WriteLine($"    missed: {missed.Repo}/{missed.File}:{missed.Line} {missed.Rule} ({missed.Note})");
        }
    }

    private static void Lineage(List<(string Repo, string Prefix, JobAnalysis Analysis)> results, CorpusKey key)
    {
        var actual = results.SelectMany(r => PerFileLineage(r.Repo, r.Prefix, r.Analysis)).ToDictionary(l => (l.Repo, l.File));
        var correct = 0;
        foreach (var expected in key.Lineage)
        {
            var got = actual.GetValueOrDefault((expected.Repo, expected.File)) ?? new FileLineage(expected.Repo, expected.File, [], []);
            if (got.Reads.Order(StringComparer.Ordinal).SequenceEqual(expected.Reads.Order(StringComparer.Ordinal)) && got.Writes.Order(StringComparer.Ordinal).SequenceEqual(expected.Writes.Order(StringComparer.Ordinal)))
            {
                correct++;
            }
            else
            {
                Console.WriteLine($"    lineage differs: {expected.Repo}/{expected.File}: reads [{string.Join(", ", got.Reads)}] writes [{string.Join(", ", got.Writes)}]; expected reads [{string.Join(", ", expected.Reads)}] writes [{string.Join(", ", expected.Writes)}]");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  lineage on the hand-checked sample  {correct}/{key.Lineage.Count} {Percent(correct, key.Lineage.Count)} (target >= 90%)"));
    }

    /// <summary>What one file reads and writes (tables a file writes and then reads back are not reads).</summary>
    private static IEnumerable<FileLineage> PerFileLineage(string repo, string prefix, JobAnalysis analysis) =>
        analysis.Files.Select(file =>
        {
            var writes = analysis.Writes.Where(w => w.File == file).Select(w => w.Table).Distinct(StringComparer.Ordinal).ToArray();
            var reads = analysis.Reads.Where(r => r.File == file && !analysis.Writes.Any(w => w.File == file && w.Table == r.Table && w.Line < r.Line))
                .Select(r => r.Table).Distinct(StringComparer.Ordinal).ToArray();
            return new FileLineage(repo, prefix + file, reads, writes);
        });

    /// <summary>A job folder's path relative to its repository, with a trailing slash ("" for the repository itself).</summary>
    private static string PrefixOf(string repo, JobSource job)
    {
        if (File.Exists(job.Folder))
        {
            var folder = Path.GetRelativePath(repo, Path.GetDirectoryName(job.Folder)!).Replace('\\', '/');
            return folder == "." ? string.Empty : folder + "/";
        }

        var relative = Path.GetRelativePath(repo, job.Folder).Replace('\\', '/');
        return relative == "." ? string.Empty : relative + "/";
    }

    private static string Percent(int part, int whole) => whole == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.0}%");

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..140] + "…";

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static readonly JsonSerializerOptions KeyJson = new(JsonSerializerDefaults.Web) { WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    internal sealed record Finding(string Repo, string File, int Line, int EndLine, string Rule, string Message);

    internal sealed record FileLineage(string Repo, string File, string[] Reads, string[] Writes);

    internal sealed record Checked(string Repo, string File, int Line, string Rule, string Verdict, string? Note);

    internal sealed record Expected(string Repo, string File, int Line, string Rule, string? Note);

    internal sealed record CorpusKey(List<CorpusSource> Corpus, List<Checked> Precision, List<Expected> Recall, List<FileLineage> Lineage);

    internal sealed record CorpusSource(string Repo, string Commit, string Kind);
}
