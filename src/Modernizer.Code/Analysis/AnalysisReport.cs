using System.Collections.Immutable;

namespace Modernizer.Code.Analysis;

/// <summary>What <c>modernize analyze --json</c> writes, one shape whatever was analysed (a
/// file, a job folder, a workspace): how the path was read, the exit code and its meaning,
/// totals, and one analysis.json document per job (docs/code-analysis.md).</summary>
public sealed record AnalysisReport(
    int SchemaVersion,
    string Path,
    string Mode,
    ImmutableArray<string> Notes,
    int ExitCode,
    string Outcome,
    AnalysisTotals Totals,
    ImmutableArray<AnalysisDocument> Jobs)
{
    /// <summary>Nothing found and everything understood.</summary>
    public const int Clean = 0;

    /// <summary>Anti-patterns or suspected defects were found (bit 1).</summary>
    public const int FindingsBit = 1;

    /// <summary>Some file was not (fully) understood: not parsed, failed, SQL not parsed, or
    /// Spark code with no recognised Spark operation (bit 4). 5 = findings and gaps.</summary>
    public const int NotUnderstoodBit = 4;

    public static AnalysisReport Of(string path, JobDiscovery discovery, IReadOnlyList<JobAnalysis> results)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(results);
        var findings = results.Sum(r => r.AntiPatterns.Length + r.SuspectedDefects.Length);
        var gaps = results.Sum(r => r.NotUnderstood.Length);
        var exit = (findings > 0 ? FindingsBit : 0) | (gaps > 0 ? NotUnderstoodBit : 0);
        var outcome = exit switch
        {
            0 => "no findings; every file understood",
            FindingsBit => "findings; every file understood",
            NotUnderstoodBit => "no findings, but some files were not understood (see not_understood): no findings is not evidence of clean code",
            _ => "findings, and some files were not understood (see not_understood)",
        };
        var totals = new AnalysisTotals(
            results.Count,
            results.Sum(r => r.Files.Length),
            results.Sum(r => r.AntiPatterns.Length),
            results.Sum(r => r.SuspectedDefects.Length),
            results.Sum(r => r.Problems.Length),
            gaps);
        return new AnalysisReport(1, path, discovery.Mode, discovery.Notes, exit, outcome, totals, [.. results.Select(AnalysisWriter.ToDocument)]);
    }
}

public sealed record AnalysisTotals(int Jobs, int Files, int AntiPatterns, int SuspectedDefects, int Problems, int NotUnderstood);
