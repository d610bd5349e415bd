using System.Collections.Concurrent;
using System.Text.Json;

namespace Modernizer.Web.Workspace;

/// <summary>An artifact file as the dashboard found it: absent (not produced yet), unreadable (with
/// the problem, naming the file), or its parsed JSON.</summary>
public sealed record JsonArtifact(string RelativePath, JsonElement? Root, string? Problem)
{
    public bool Present => Root is not null;

    public bool Absent => Root is null && Problem is null;
}

/// <summary>A text file (legacy code, rewrite SQL) as the dashboard found it.</summary>
public sealed record TextArtifact(string RelativePath, string? Text, string? Problem)
{
    public bool Present => Text is not null;
}

/// <summary>Reads artifacts under the workspace, caching each parsed file until its size or time of
/// last write changes (another process rewrites artifacts while the dashboard serves). Parsed JSON
/// is kept as immutable <see cref="JsonElement"/>s, safe to share between requests.</summary>
public sealed class ArtifactReader
{
    /// <summary>Larger files are refused with a clear problem instead of being loaded.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private readonly string _root;
    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, JsonArtifact Artifact)> _cache = new(StringComparer.Ordinal);

    public ArtifactReader(string workspaceRoot)
    {
        _root = Path.GetFullPath(workspaceRoot);
    }

    /// <summary>Reads <paramref name="relativePath"/> (relative to the workspace root, '/'-separated).</summary>
    public async Task<JsonArtifact> JsonAsync(string relativePath, CancellationToken cancellationToken)
    {
        var path = Resolve(relativePath);
        if (path is null || !File.Exists(path))
        {
            return new JsonArtifact(relativePath, null, null);
        }

        var file = new FileInfo(path);

        if (_cache.TryGetValue(path, out var cached) && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length)
        {
            return cached.Artifact;
        }

        JsonArtifact artifact;
        if (file.Length > MaxBytes)
        {
            artifact = new JsonArtifact(relativePath, null, $"{relativePath}: {file.Length} bytes, more than the dashboard reads ({MaxBytes})");
        }
        else
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
                artifact = new JsonArtifact(relativePath, JsonSerializer.Deserialize<JsonElement>(bytes), null);
            }
            catch (JsonException e)
            {
                artifact = new JsonArtifact(relativePath, null, $"{relativePath}: not valid JSON ({e.Message})");
            }
            catch (IOException e)
            {
                return new JsonArtifact(relativePath, null, $"{relativePath}: could not be read ({e.Message})");
            }
        }

        _cache[path] = (file.LastWriteTimeUtc, file.Length, artifact);
        return artifact;
    }

    public async Task<TextArtifact> TextAsync(string relativePath, CancellationToken cancellationToken)
    {
        var path = Resolve(relativePath);
        if (path is null || !File.Exists(path))
        {
            return new TextArtifact(relativePath, null, null);
        }

        var file = new FileInfo(path);

        if (file.Length > MaxBytes)
        {
            return new TextArtifact(relativePath, null, $"{relativePath}: {file.Length} bytes, more than the dashboard reads ({MaxBytes})");
        }

        try
        {
            return new TextArtifact(relativePath, await File.ReadAllTextAsync(path, cancellationToken), null);
        }
        catch (IOException e)
        {
            return new TextArtifact(relativePath, null, $"{relativePath}: could not be read ({e.Message})");
        }
    }

    /// <summary>The files of a folder of the workspace (relative paths, ordinal order), or none.</summary>
    public IReadOnlyList<string> Files(string relativeFolder, string pattern, bool recursive)
    {
        var folder = Resolve(relativeFolder);
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The full path of a workspace-relative path, or null when it would leave the workspace
    /// (a job id or a file name from an artifact is data, never a way out of the folder).</summary>
    public string? Resolve(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var full = Path.GetFullPath(Path.Combine(_root, relativePath));
        var inside = full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || full == _root;
        return inside ? full : null;
    }
}
