using System.Collections.Immutable;

namespace Modernizer.Lake.Delta.Writing;

/// <summary>A data file of the table as an add action describes it.</summary>
/// <param name="Path">Relative to the table folder, forward slashes, not URL-encoded.</param>
public sealed record DeltaFileEntry(
    string Path,
    ImmutableSortedDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    string? Stats);
