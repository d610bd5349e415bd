using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Modernizer.Lake.Tables;

/// <summary>The one check every file a table names passes before anything reads it: data files,
/// deletion vectors, change files, removes and checkpoint sidecars of a Delta log, and the files of
/// a Parquet folder. A path must lie inside the table folder or under an allowed root
/// (<see cref="LakeTableOptions.AllowedRoots"/>), both as written (after <c>..</c> is resolved)
/// and once symbolic links are followed, so a hostile log cannot make the reader open
/// <c>/etc/passwd</c> or another table's files.
///
/// Paths written in a Delta log are RFC 2396 URI references (PROTOCOL "Add File and Remove
/// File"): they are percent-decoded exactly once. What remains is the name on disk, which may
/// itself hold Hive escapes such as <c>%3A</c> in partition folder names; those are never decoded
/// again.</summary>
internal sealed partial class TableFileGuard
{
    private const int MaxLinkHops = 40;

    private readonly string _tablePath;
    private readonly ImmutableArray<string> _allowed;
    private readonly ConcurrentDictionary<string, string> _realDirectories = new(StringComparer.Ordinal);
    private ImmutableArray<string> _realRoots;

    public TableFileGuard(string tablePath, LakeTableOptions? options)
    {
        _tablePath = tablePath;
        Root = Normalize(tablePath);
        _allowed = [.. (options ?? LakeTableOptions.Default).AllowedRoots.Select(Normalize)];
    }

    /// <summary>The table folder, absolute, without a trailing separator.</summary>
    public string Root { get; }

    /// <summary>Resolves a path written in the log (<paramref name="what"/> names the action and
    /// where it was read, e.g. <c>00000000000000000003.json line 2: add</c>). Relative paths are
    /// relative to <paramref name="baseFolder"/> (the table folder when null).</summary>
    public string FromLog(string logPath, string what, string? baseFolder = null)
    {
        var decoded = DecodeOnce(logPath, what);
        return Inside(decoded, what, logPath, baseFolder);
    }

    /// <summary>Resolves a path that is already a file name (not URI-encoded), relative to the
    /// table folder or absolute.</summary>
    public string FromName(string path, string what) => Inside(path, what, path, null);

    /// <summary>Checks the file that would really be opened once symbolic links are followed.</summary>
    public void CheckLinks(string fullPath, string what)
    {
        string real;
        try
        {
            real = RealPath(fullPath, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LakeTableException(_tablePath, $"{what} '{fullPath}' cannot be inspected: {e.Message}", e);
        }

        if (_realRoots.IsDefault)
        {
            _realRoots = [.. new[] { Root }.Concat(_allowed).Select(r => RealPath(r, 0))];
        }

        if (!_realRoots.Any(r => IsUnder(real, r)))
        {
            throw new LakeTableException(_tablePath, $"{what} '{fullPath}' is a symbolic link to '{real}', {OutsideWords}");
        }
    }

    private string OutsideWords => _allowed.IsEmpty
        ? "which is outside the table folder; a table is read only from its own folder unless the folder a path points into is given as an allowed root"
        : $"which is outside the table folder and every allowed root ({string.Join(", ", _allowed)})";

    private string Inside(string path, string what, string shown, string? baseFolder)
    {
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new LakeTableException(_tablePath, $"{what} path '{shown}' is not a valid file path");
        }

        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseFolder ?? Root, path));
        if (!IsUnder(full, Root) && !_allowed.Any(a => IsUnder(full, a)))
        {
            throw new LakeTableException(_tablePath, $"{what} path '{shown}' resolves to '{full}', {OutsideWords}");
        }

        return full;
    }

    /// <summary>RFC 2396: a scheme-less reference (relative, or an absolute path) or a <c>file:</c>
    /// URI (<c>file:/p</c>, <c>file:///p</c>, <c>file://localhost/p</c>); other schemes are remote
    /// storage this reader does not open.</summary>
    private string DecodeOnce(string logPath, string what)
    {
        var scheme = SchemePrefix().Match(logPath);
        if (!scheme.Success)
        {
            return Uri.UnescapeDataString(logPath);
        }

        var name = scheme.Groups[1].Value;
        if (!name.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            throw new LakeTableException(_tablePath, $"{what} path '{logPath}' is on '{name}' storage; only local files are read (read remote tables on the Databricks engine)");
        }

        var rest = logPath[scheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            var host = slash < 0 ? rest[2..] : rest[2..slash];
            if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw new LakeTableException(_tablePath, $"{what} path '{logPath}' names the host '{host}'; only local files are read");
            }

            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        if (!rest.StartsWith('/'))
        {
            throw new LakeTableException(_tablePath, $"{what} path '{logPath}' is not an absolute file URI");
        }

        return Uri.UnescapeDataString(rest);
    }

    /// <summary>The path with every symbolic link on the way resolved (directory answers cached).</summary>
    private string RealPath(string full, int hops)
    {
        var parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return full;
        }

        if (!_realDirectories.TryGetValue(parent, out var realParent))
        {
            realParent = RealPath(parent, hops);
            _realDirectories[parent] = realParent;
        }

        var candidate = Path.Join(realParent, Path.GetFileName(full));
        var target = new FileInfo(candidate).LinkTarget;
        if (target is null)
        {
            return candidate;
        }

        if (hops >= MaxLinkHops)
        {
            throw new IOException($"more than {MaxLinkHops} symbolic links to follow (a loop?)");
        }

        return RealPath(Path.GetFullPath(target, realParent), hops + 1);
    }

    private static string Normalize(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

    private static bool IsUnder(string full, string root)
    {
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex SchemePrefix();
}
