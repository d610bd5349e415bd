using System.Collections.Immutable;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>One column of a staged export: the name it gets in the staging table, its DuckDB type,
/// the export column it comes from and, for nested values, the field inside it (a struct field in
/// Parquet, a JSON path in CSV/JSONL text). <see cref="Json"/> keeps the value as JSON text.</summary>
internal sealed record ExportColumn(string Name, string Type, bool Required = false, string? Source = null, string? Field = null, bool Json = false)
{
    public string SourceColumn => Source ?? Name;
}

/// <summary>An export to stage: where it lives (path without extension, relative to the workspace)
/// and the columns the product reads. Columns absent from a file are null. <see cref="UniqueKey"/>
/// names the column that identifies a row in an export that holds one row per thing (a job): a
/// second row with the same value is a bad row, reported and left out, never a silent overwrite.</summary>
internal sealed record ExportSpec(string Table, string RelativeBase, ImmutableArray<ExportColumn> Columns)
{
    public string? UniqueKey { get; init; }
}

internal enum ExportFormat
{
    Parquet,
    Csv,
    Jsonl,
}

/// <summary>A located export file.</summary>
internal sealed record ExportFile(string FullPath, string RelativePath, ExportFormat Format);
