using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain.Configuration;

namespace Modernizer.Delivery.Analysis;

/// <summary>sqlfluff (the Debian package), run as a process with JSON output on the Spark SQL
/// deliverable with the bundle's <c>.sqlfluff</c>. Style rules are warnings unless
/// <c>delivery.static_analysis.sqlfluff_blocks</c>; a file sqlfluff cannot parse is reported as such.</summary>
public sealed class SqlfluffCheck(StaticAnalysisSettings settings)
{
    public const string Tool = "sqlfluff";

    /// <summary>sqlfluff's parser can take many minutes on long nested statements (a lifted loop's window
    /// and CASE chains); past this it is stopped and reported, so one slow lint never holds a job.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>Lints <paramref name="files"/> (copied with <paramref name="config"/> into a private folder, so no
    /// user configuration takes part). Paths in findings are the files' names.</summary>
    public async Task<(ImmutableArray<Finding> Findings, ToolRun Run)> RunAsync(IReadOnlyList<string> files, string config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var version = await ProcessRunner.VersionAsync(settings.Sqlfluff, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return ([], new ToolRun(Tool, "failed", null, $"{settings.Sqlfluff} is not installed (Debian: apt-get install sqlfluff)"));
        }

        var folder = Directory.CreateTempSubdirectory("modernize-sqlfluff-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, SqlfluffConfig.FileName), config, cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Limit);
            ProcessResult result;
            try
            {
                result = await ProcessRunner.RunAsync(settings.Sqlfluff,
                    ["lint", "--format", "json", "--nofail", "--disable-progress-bar", .. files.Select(Path.GetFileName).OfType<string>()], folder, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Style lint only: it blocks delivery only where the configuration makes sqlfluff blocking.
                var detail = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stopped after {Limit.TotalSeconds:0} s without a result (the parser of sqlfluff is slow on long nested statements)");
                return ([], new ToolRun(Tool, settings.SqlfluffBlocks ? "failed" : "timed_out", version, detail));
            }

            if (result.ExitCode != 0)
            {
                return ([], new ToolRun(Tool, "failed", version, $"exit {result.ExitCode}: {result.StandardError.Trim()}"));
            }

            return (Parse(result.StandardOutput), new ToolRun(Tool, "ran", version, $"dialect {settings.SqlfluffDialect}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>sqlfluff's JSON: <c>[{filepath, violations: [{line_no, line_pos, code, description}]}]</c>.</summary>
    internal ImmutableArray<Finding> Parse(string json)
    {
        var start = json.IndexOf('[', StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        using var document = JsonDocument.Parse(json[start..]);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        foreach (var file in document.RootElement.EnumerateArray())
        {
            var path = file.GetProperty("filepath").GetString() ?? "?";
            foreach (var violation in file.GetProperty("violations").EnumerateArray())
            {
                var code = violation.GetProperty("code").GetString() ?? "?";
                var unparsable = code == "PRS";
                var severity = settings.SqlfluffBlocks ? Severity.Error : Severity.Warning;
                var message = violation.GetProperty("description").GetString() ?? string.Empty;
                findings.Add(new Finding(Tool, code, severity, Path.GetFileName(path), violation.TryGetProperty("line_no", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null,
                    unparsable ? "sqlfluff's grammar cannot parse this statement (not a Spark error by itself): " + message : message));
            }
        }

        return findings.ToImmutable();
    }
}
