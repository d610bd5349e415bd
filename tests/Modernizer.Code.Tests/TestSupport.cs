using System.Collections.Immutable;
using Modernizer.Code.Analysis;

namespace Modernizer.Code.Tests;

/// <summary>Temp job folders and one-call analysis for tests.</summary>
internal sealed class TempJob : IDisposable
{
    public TempJob(string jobId = "job_under_test")
    {
        Root = Path.Combine(Path.GetTempPath(), "modernizer-code-tests-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, jobId);
        Directory.CreateDirectory(Folder);
        JobId = jobId;
    }

    public string Root { get; }

    public string Folder { get; }

    public string JobId { get; }

    public TempJob With(string file, string text)
    {
        var path = Path.Combine(Folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return this;
    }

    public Task<JobAnalysis> AnalyzeAsync(AnalyzerOptions? options = null) =>
        new JobAnalyzer(options).AnalyzeAsync(new JobSource(JobId, Folder), CancellationToken.None);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

internal static class Findings
{
    public static ImmutableArray<(string Rule, int Line)> Rules(this JobAnalysis analysis) =>
        [.. analysis.AntiPatterns.Select(a => (a.RuleId, a.Line))];

    public static ImmutableArray<(string Kind, int Line)> Defects(this JobAnalysis analysis) =>
        [.. analysis.SuspectedDefects.Select(d => (d.Kind, d.Line))];

    /// <summary>1-based line of the first line containing <paramref name="marker"/>.</summary>
    public static int LineOf(string text, string marker)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        return index < 0 ? throw new ArgumentException($"marker '{marker}' not found") : index + 1;
    }
}
