using System.Collections.Immutable;

namespace Modernizer.Lake.Delta.Writing;

/// <summary>Settings of one commit. The commit time is given, not read from the clock, so the same
/// inputs give byte-identical logs.</summary>
/// <param name="TableName">Logical name (e.g. <c>raw.orders</c>); seeds the table id in metaData.</param>
/// <param name="CommitTime">Timestamp of commitInfo, file modification times and tombstones.</param>
/// <param name="PartitionColumns">Hive-style partition columns; only used when the table is created.</param>
/// <param name="Operation">commitInfo.operation (WRITE, MERGE, DELETE, ...).</param>
public sealed record DeltaCommitOptions(string TableName, DateTimeOffset CommitTime)
{
    public ImmutableArray<string> PartitionColumns { get; init; } = [];

    public string Operation { get; init; } = "WRITE";

    /// <summary>Extra commitInfo.operationParameters (string values, as Spark writes them).</summary>
    public ImmutableDictionary<string, string> OperationParameters { get; init; } = ImmutableDictionary<string, string>.Empty;
}
