using System.Collections.Immutable;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>A row that could not be read. <see cref="Line"/> is the physical line for CSV and JSONL
/// (header = line 1) and the 1-based row ordinal for Parquet.</summary>
public sealed record BadRow(string File, long? Line, string Problem);

/// <summary>One export file read: how many rows were kept and how many were bad.</summary>
public sealed record IngestedFile(string File, string Table, string Format, long RowsKept, long RowsBad);

/// <summary>What ingestion read. Every bad row is counted; the first ones are listed.</summary>
public sealed record IngestionReport(ImmutableArray<IngestedFile> Files, long BadRowCount, ImmutableArray<BadRow> BadRows)
{
    public static IngestionReport Empty { get; } = new([], 0, []);
}
