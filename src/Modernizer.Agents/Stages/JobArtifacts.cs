using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Stages;

/// <summary>What the job stages read from the Code Reviewer's analysis.json (docs/workspace.md fields):
/// source and target tables, column lineage, and whether the code fans rows out (joins, explodes).</summary>
internal sealed record JobTables(
    ImmutableArray<string> Sources,
    ImmutableArray<string> Targets,
    ImmutableDictionary<string, ImmutableArray<string>> ColumnLineage,
    bool FansOut)
{
    public static string AnalysisPath(WorkspacePaths workspace, JobId job) => Path.Combine(workspace.JobOutput(job), "analysis.json");

    /// <summary>Null when the analysis does not exist; a malformed analysis is an error naming the file.</summary>
    public static async Task<JobTables?> ReadAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        var path = AnalysisPath(workspace, job);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            var root = document.RootElement;
            var lineage = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("column_lineage", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    lineage[entry.Name] = Strings(entry.Value);
                }
            }

            var fansOut = root.TryGetProperty("transformations", out var t) && t.ValueKind == JsonValueKind.Array
                && t.EnumerateArray().Any(x => x.TryGetProperty("kind", out var k) && k.GetString() is { } kind
                    && (kind.Contains("join", StringComparison.OrdinalIgnoreCase) || kind.Contains("explode", StringComparison.OrdinalIgnoreCase)));
            return new JobTables(Strings(root, "sources"), Strings(root, "targets"), lineage.ToImmutable(), fansOut);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid analysis ({e.Message}).", e);
        }
    }

    private static ImmutableArray<string> Strings(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) ? Strings(value) : [];

    private static ImmutableArray<string> Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}

/// <summary>Where a table the code names lives in the workspace lake (docs/workspace.md: <c>lake/&lt;schema&gt;/&lt;table&gt;/</c>
/// or <c>lake/&lt;catalog&gt;/&lt;schema&gt;/&lt;table&gt;/</c>; path references through <c>lake.mounts</c>).</summary>
internal static class LakeLocator
{
    public static string? Find(WorkspacePaths workspace, LakeSettings lake, string table)
    {
        var root = Path.GetFullPath(Path.Combine(workspace.Root, lake.Root));
        string candidate;
        var mount = lake.Mounts.Where(m => table.StartsWith(m.Key, StringComparison.Ordinal)).OrderByDescending(m => m.Key.Length).FirstOrDefault();
        if (mount.Key is not null)
        {
            candidate = Path.GetFullPath(Path.Combine(workspace.Root, mount.Value, table[mount.Key.Length..].TrimStart('/')));
        }
        else if (table.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }
        else
        {
            candidate = Path.Combine([root, .. table.Split('.', StringSplitOptions.RemoveEmptyEntries)]);
        }

        // Never leave the workspace, whatever the code names.
        var inside = candidate.StartsWith(Path.GetFullPath(workspace.Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside && Directory.Exists(candidate) ? candidate : null;
    }
}
