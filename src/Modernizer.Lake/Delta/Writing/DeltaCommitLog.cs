using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Modernizer.Lake.Delta.Writing;

/// <summary>Replays the JSON commits of a table written by <see cref="DeltaTableWriter"/> (add,
/// remove, metaData) to get the live files. Not a general Delta reader: it ignores checkpoints and
/// reader features because the writer always keeps every JSON commit.</summary>
public static class DeltaCommitLog
{
    public static string LogFolder(string tablePath) => Path.Combine(tablePath, "_delta_log");

    public static string CommitFile(string tablePath, long version) =>
        Path.Combine(LogFolder(tablePath), version.ToString("D20", CultureInfo.InvariantCulture) + ".json");

    /// <summary>Null when the folder has no Delta log.</summary>
    public static async Task<DeltaTableState?> ReadAsync(string tablePath, CancellationToken cancellationToken)
    {
        var log = LogFolder(tablePath);
        if (!Directory.Exists(log))
        {
            return null;
        }

        var commits = Directory.EnumerateFiles(log, "*.json")
            .Select(f => (File: f, Name: Path.GetFileNameWithoutExtension(f)))
            .Where(c => c.Name.Length == 20 && c.Name.All(char.IsAsciiDigit))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        if (commits.Count == 0)
        {
            return null;
        }

        var files = new SortedDictionary<string, DeltaFileEntry>(StringComparer.Ordinal);
        var tombstones = new SortedDictionary<string, DeltaRemovedFile>(StringComparer.Ordinal);
        string? id = null, schema = null;
        var partitions = ImmutableArray<string>.Empty;
        long created = 0, version = -1;
        foreach (var (file, name) in commits)
        {
            version = long.Parse(name, CultureInfo.InvariantCulture);
            var lines = await File.ReadAllLinesAsync(file, cancellationToken);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length == 0)
                {
                    continue;
                }

                using var doc = ParseLine(file, i, lines[i]);
                var root = doc.RootElement;
                if (root.TryGetProperty("metaData", out var meta))
                {
                    id = meta.GetProperty("id").GetString();
                    schema = meta.GetProperty("schemaString").GetString();
                    partitions = [.. meta.GetProperty("partitionColumns").EnumerateArray().Select(e => e.GetString()!)];
                    created = meta.TryGetProperty("createdTime", out var ct) && ct.ValueKind == JsonValueKind.Number ? ct.GetInt64() : created;
                }
                else if (root.TryGetProperty("add", out var add))
                {
                    var entry = new DeltaFileEntry(
                        Uri.UnescapeDataString(add.GetProperty("path").GetString()!),
                        PartitionValues(add),
                        add.GetProperty("size").GetInt64(),
                        add.GetProperty("modificationTime").GetInt64(),
                        add.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.String ? stats.GetString() : null);
                    files[entry.Path] = entry;
                    tombstones.Remove(entry.Path);
                }
                else if (root.TryGetProperty("remove", out var remove))
                {
                    var path = Uri.UnescapeDataString(remove.GetProperty("path").GetString()!);
                    files.Remove(path);
                    tombstones[path] = new DeltaRemovedFile(
                        path,
                        remove.TryGetProperty("deletionTimestamp", out var ts) ? ts.GetInt64() : 0,
                        PartitionValues(remove),
                        remove.TryGetProperty("size", out var size) ? size.GetInt64() : 0);
                }
            }
        }

        if (id is null || schema is null)
        {
            throw new InvalidDataException($"{log}: no metaData action in versions 0..{version}");
        }

        return new DeltaTableState(version, id, schema, partitions, created, [.. files.Values], [.. tombstones.Values]);
    }

    private static JsonDocument ParseLine(string file, int index, string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: line {index + 1} is not a JSON action ({e.Message})", e);
        }
    }

    private static ImmutableSortedDictionary<string, string?> PartitionValues(JsonElement action) =>
        action.TryGetProperty("partitionValues", out var values) && values.ValueKind == JsonValueKind.Object
            ? values.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString(), StringComparer.Ordinal)
            : ImmutableSortedDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal);
}
