using System.Collections.Immutable;

namespace Modernizer.Lake.Tables;

public enum TableFormat
{
    Delta,
    Parquet,
}

public enum ColumnMappingMode
{
    None,
    Name,
    Id,
}

/// <summary>One consistent version of a table: what Spark would read (ARCHITECTURE "Delta reader").
/// Render it for DuckDB with <see cref="DuckDbRelation.Render(TableSnapshot)"/>.</summary>
public sealed record TableSnapshot(
    string TablePath,
    TableFormat Format,
    long? Version,
    DateTimeOffset? Timestamp,
    ImmutableArray<StructField> Schema,
    ImmutableArray<string> PartitionColumns,
    ColumnMappingMode ColumnMapping,
    ImmutableArray<DataFile> Files,
    DeltaProtocol? Protocol,
    DeltaMetadata? Metadata)
{
    public long Bytes => Files.Sum(f => f.Size);

    /// <summary>Top-level physical column names present in at least one data file, with the
    /// DuckDB type the union of the files has (filled when the snapshot is opened).</summary>
    internal ImmutableDictionary<string, string> PhysicalColumns { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Things a reader should know but that did not stop the read (e.g. a stale
    /// <c>_last_checkpoint</c> hint).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    public StructField? Column(string name) =>
        Schema.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A live data file of the snapshot: <see cref="Path"/> as the table names it (a Delta
/// log's path decoded once), <see cref="FullPath"/> the local file read. <see cref="DeletedRows"/> are the row positions its
/// deletion vector removes, as sorted, disjoint, half-open ranges.</summary>
public sealed record DataFile(
    string Path,
    string FullPath,
    long Size,
    ImmutableSortedDictionary<string, string?> PartitionValues,
    DeletionVectorDescriptor? DeletionVector,
    long? NumRecords)
{
    public ImmutableArray<RowRange> DeletedRows { get; init; } = [];
}

/// <summary>Rows [Start, End) of a data file.</summary>
public readonly record struct RowRange(long Start, long End)
{
    public long Count => End - Start;
}

/// <summary>PROTOCOL "Deletion Vector Descriptor Schema".</summary>
public sealed record DeletionVectorDescriptor(char StorageType, string PathOrInlineDv, int? Offset, int SizeInBytes, long Cardinality)
{
    /// <summary>Identifies the DV of a file during log replay (same path, another DV = another logical file).</summary>
    public string UniqueId => Offset is { } offset
        ? $"{StorageType}{PathOrInlineDv}@{offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : $"{StorageType}{PathOrInlineDv}";
}

public sealed record DeltaProtocol(int MinReaderVersion, int MinWriterVersion, ImmutableArray<string> ReaderFeatures, ImmutableArray<string> WriterFeatures)
{
    /// <summary>Whether the action has a <c>readerFeatures</c> list at all (reader version 3
    /// requires one, even an empty one).</summary>
    public bool ReaderFeaturesListed { get; init; } = true;
}

public sealed record DeltaMetadata(
    string Id,
    string? Name,
    string? SchemaString,
    ImmutableArray<string> PartitionColumns,
    ImmutableSortedDictionary<string, string> Configuration,
    long? CreatedTime);
