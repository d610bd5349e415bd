using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Modernizer.Lake.Delta;

internal enum CheckpointKind
{
    Classic,
    MultiPart,
    Uuid,
}

/// <summary>A checkpoint usable for a version: all its files (every part of a multi-part one).</summary>
internal sealed record Checkpoint(long Version, CheckpointKind Kind, ImmutableArray<string> Files);

/// <summary>What <c>_delta_log</c> holds: commits by version and the complete checkpoints
/// (multi-part checkpoints with a missing part are ignored, as the protocol requires).</summary>
internal sealed partial record DeltaLogListing(
    string LogPath,
    ImmutableSortedDictionary<long, string> Commits,
    ImmutableArray<Checkpoint> Checkpoints)
{
    public long? LatestVersion
    {
        get
        {
            long? latest = Commits.Count > 0 ? Commits.Keys.Last() : null;
            foreach (var checkpoint in Checkpoints)
            {
                if (latest is null || checkpoint.Version > latest)
                {
                    latest = checkpoint.Version;
                }
            }

            return latest;
        }
    }

    public static DeltaLogListing List(string logPath)
    {
        var commits = ImmutableSortedDictionary.CreateBuilder<long, string>();
        var classic = new List<Checkpoint>();
        var parts = new Dictionary<(long Version, int Total), SortedDictionary<int, string>>();
        foreach (var path in Directory.EnumerateFiles(logPath))
        {
            var name = Path.GetFileName(path);
            if (CommitName().Match(name) is { Success: true } commit)
            {
                commits[long.Parse(commit.Groups[1].ValueSpan, CultureInfo.InvariantCulture)] = path;
            }
            else if (ClassicName().Match(name) is { Success: true } single)
            {
                classic.Add(new Checkpoint(long.Parse(single.Groups[1].ValueSpan, CultureInfo.InvariantCulture), CheckpointKind.Classic, [path]));
            }
            else if (UuidName().Match(name) is { Success: true } uuid)
            {
                classic.Add(new Checkpoint(long.Parse(uuid.Groups[1].ValueSpan, CultureInfo.InvariantCulture), CheckpointKind.Uuid, [path]));
            }
            else if (MultiPartName().Match(name) is { Success: true } part)
            {
                var version = long.Parse(part.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                var index = int.Parse(part.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
                var total = int.Parse(part.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
                if (!parts.TryGetValue((version, total), out var files))
                {
                    parts[(version, total)] = files = [];
                }

                files[index] = path;
            }
        }

        foreach (var ((version, total), files) in parts)
        {
            if (files.Count == total && files.Keys.First() == 1 && files.Keys.Last() == total)
            {
                classic.Add(new Checkpoint(version, CheckpointKind.MultiPart, [.. files.Values]));
            }
        }

        return new DeltaLogListing(logPath, commits.ToImmutable(), [.. classic.OrderBy(c => c.Version).ThenBy(c => c.Kind)]);
    }

    public static string CommitFileName(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    [GeneratedRegex(@"^(\d{20})\.json$")]
    private static partial Regex CommitName();

    [GeneratedRegex(@"^(\d{20})\.checkpoint\.parquet$")]
    private static partial Regex ClassicName();

    [GeneratedRegex(@"^(\d{20})\.checkpoint\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\.(json|parquet)$")]
    private static partial Regex UuidName();

    [GeneratedRegex(@"^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$")]
    private static partial Regex MultiPartName();
}
