using System.Collections.Immutable;

namespace Modernizer.Delivery.Analysis;

/// <summary>How bad a finding is. <see cref="Error"/> blocks delivery; the rest are for the reviewer.</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>One finding of one tool on one file and line (validation.json <c>findings[]</c>). File
/// paths are relative to the folder analysed (the rewrite or the bundle).</summary>
public sealed record Finding(string Tool, string Rule, Severity Severity, string File, int? Line, string Message)
{
    public bool Blocking => Severity == Severity.Error;
}

/// <summary>Whether a tool ran, and its version or why it did not.</summary>
public sealed record ToolRun(string Tool, string Status, string? Version, string? Detail);

/// <summary>validation.json: every finding, the tools that ran, and whether delivery is blocked. The
/// rewrite hash says which version of the rewrite was analysed (a later edit makes it stale).</summary>
public sealed record ValidationReport(
    string JobId,
    string RewriteHash,
    ImmutableArray<Finding> Findings,
    ImmutableArray<ToolRun> Tools,
    bool Blocking)
{
    public static ValidationReport Of(string jobId, string rewriteHash, IEnumerable<Finding> findings, IEnumerable<ToolRun> tools)
    {
        var ordered = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Rule, StringComparer.Ordinal).ToImmutableArray();
        var runs = tools.ToImmutableArray();
        // A tool that could not run leaves the rewrite unchecked: that blocks like a finding.
        return new ValidationReport(jobId, rewriteHash, ordered, runs, ordered.Any(f => f.Blocking) || runs.Any(t => t.Status == "failed"));
    }

    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);
}
