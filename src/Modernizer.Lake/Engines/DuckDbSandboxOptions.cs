using System.Collections.Immutable;

namespace Modernizer.Lake.Engines;

/// <summary>What the embedded DuckDB may touch (ARCHITECTURE "Query engines"; issue item 2).
/// Only <see cref="ReadableRoots"/> (and the engine's own temp directory) are reachable on disk;
/// everything else — other files, the network, extension downloads — is refused by DuckDB itself
/// and the configuration is locked so SQL cannot widen it again.</summary>
public sealed record DuckDbSandboxOptions
{
    /// <summary>Directories whose files queries may read (and, for result spills, write). Usually
    /// the workspace root, or a table directory for standalone commands.</summary>
    public ImmutableArray<string> ReadableRoots { get; init; } = [];

    /// <summary>Under which folder DuckDB spills when a query exceeds <see cref="MemoryLimit"/>; the
    /// engine makes its own subfolder there and deletes it when disposed. Null: the system temp
    /// directory.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>DuckDB memory_limit, e.g. "2GB".</summary>
    public string MemoryLimit { get; init; } = "2GB";

    public int Threads { get; init; } = 2;

    /// <summary>A workspace: its files are readable and spills go to <c>.modernize/tmp</c> inside it.</summary>
    public static DuckDbSandboxOptions ForWorkspace(string workspaceRoot) => new()
    {
        ReadableRoots = [workspaceRoot],
        TempDirectory = Path.Combine(workspaceRoot, ".modernize", "tmp"),
    };

    /// <summary>No file access at all: only in-memory data.</summary>
    public static DuckDbSandboxOptions Closed { get; } = new();

    public static DuckDbSandboxOptions ForRoots(params string[] roots) => new() { ReadableRoots = [.. roots] };

    /// <summary>Readable: the tables' folders, plus the folders of any data file a log points at
    /// outside its table (absolute paths).</summary>
    public static DuckDbSandboxOptions ForTables(params Tables.TableSnapshot[] snapshots)
    {
        var roots = new List<string>();
        foreach (var snapshot in snapshots)
        {
            var root = File.Exists(snapshot.TablePath) ? Path.GetDirectoryName(snapshot.TablePath)! : snapshot.TablePath;
            roots.Add(root);
            var prefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
            roots.AddRange(snapshot.Files
                .Where(f => !f.FullPath.StartsWith(prefix, StringComparison.Ordinal))
                .Select(f => Path.GetDirectoryName(f.FullPath)!));
        }

        return new() { ReadableRoots = [.. roots.Distinct(StringComparer.Ordinal)] };
    }
}
