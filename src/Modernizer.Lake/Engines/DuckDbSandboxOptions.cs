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

    /// <summary>Where DuckDB spills when a query exceeds <see cref="MemoryLimit"/>. Null: a private
    /// folder under the system temp directory, deleted when the engine is disposed.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>DuckDB memory_limit, e.g. "2GB".</summary>
    public string MemoryLimit { get; init; } = "2GB";

    public int Threads { get; init; } = 2;

    /// <summary>No file access at all: only in-memory data.</summary>
    public static DuckDbSandboxOptions Closed { get; } = new();

    public static DuckDbSandboxOptions ForRoots(params string[] roots) => new() { ReadableRoots = [.. roots] };
}
