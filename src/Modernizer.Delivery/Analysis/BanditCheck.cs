using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain.Configuration;

namespace Modernizer.Delivery.Analysis;

/// <summary>bandit (the Debian package) on a Python driver that remains beside the SQL (a notebook task).
/// HIGH and MEDIUM severity issues block; LOW ones are warnings.</summary>
public sealed class BanditCheck(StaticAnalysisSettings settings)
{
    public const string Tool = "bandit";

    public async Task<(ImmutableArray<Finding> Findings, ToolRun Run)> RunAsync(string folder, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return ([], new ToolRun(Tool, "skipped", null, "no Python driver remains: nothing to scan"));
        }

        var version = await ProcessRunner.VersionAsync(settings.Bandit, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return ([], new ToolRun(Tool, "failed", null, $"{settings.Bandit} is not installed (Debian: apt-get install bandit)"));
        }

        var result = await ProcessRunner.RunAsync(settings.Bandit, ["-f", "json", "-q", .. files.Select(f => Path.GetRelativePath(folder, f))], folder, cancellationToken).ConfigureAwait(false);
        // bandit exits 1 when it found issues; anything else but 0 is a failure to run.
        if (result.ExitCode is not (0 or 1))
        {
            return ([], new ToolRun(Tool, "failed", version, $"exit {result.ExitCode}: {result.StandardError.Trim()}"));
        }

        return (Parse(result.StandardOutput), new ToolRun(Tool, "ran", version, null));
    }

    /// <summary>bandit's JSON: <c>{results: [{filename, line_number, issue_severity, issue_confidence, test_id, issue_text}], errors: [...]}</c>.</summary>
    internal static ImmutableArray<Finding> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        foreach (var issue in document.RootElement.GetProperty("results").EnumerateArray())
        {
            var severity = issue.GetProperty("issue_severity").GetString() switch
            {
                "HIGH" or "MEDIUM" => Severity.Error,
                _ => Severity.Warning,
            };
            findings.Add(new Finding(Tool, issue.GetProperty("test_id").GetString() ?? "?", severity,
                (issue.GetProperty("filename").GetString() ?? "?").Replace('\\', '/').TrimStart('.', '/'),
                issue.GetProperty("line_number").GetInt32(),
                $"{issue.GetProperty("issue_text").GetString()} (confidence {issue.GetProperty("issue_confidence").GetString()?.ToLowerInvariant()})"));
        }

        if (document.RootElement.TryGetProperty("errors", out var errors))
        {
            foreach (var error in errors.EnumerateArray())
            {
                findings.Add(new Finding(Tool, "parse", Severity.Error, error.GetProperty("filename").GetString() ?? "?", null, error.GetProperty("reason").GetString() ?? "bandit could not read the file"));
            }
        }

        return findings.ToImmutable();
    }
}
