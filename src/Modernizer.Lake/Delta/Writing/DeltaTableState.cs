using System.Collections.Immutable;

namespace Modernizer.Lake.Delta.Writing;

/// <summary>The state the writer needs to commit the next version: latest version, metadata and
/// live files. Built by replaying the JSON commits this writer produced.</summary>
public sealed record DeltaTableState(
    long Version,
    string TableId,
    string SchemaString,
    ImmutableArray<string> PartitionColumns,
    long CreatedTime,
    ImmutableArray<DeltaFileEntry> Files,
    ImmutableArray<DeltaRemovedFile> Tombstones);

/// <summary>A remove action kept as a tombstone.</summary>
public sealed record DeltaRemovedFile(string Path, long DeletionTimestamp, ImmutableSortedDictionary<string, string?> PartitionValues, long Size);

/// <summary>What a commit did.</summary>
public sealed record DeltaCommitResult(long Version, ImmutableArray<DeltaFileEntry> Added, ImmutableArray<string> Removed, long RowsWritten);
