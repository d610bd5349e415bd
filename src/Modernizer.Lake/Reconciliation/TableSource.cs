using System.Collections.Immutable;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Reconciliation;

/// <summary>A table rendered as a relation expression for one dialect, with its bound parameters.</summary>
internal sealed record SourceRelation(string Sql, ImmutableArray<QueryParameter> Parameters, TableInfo Info, string? ParquetGlob);

/// <summary>Bad input: names the table and the problem (the CLI turns it into exit code 2).</summary>
public sealed class ReconciliationInputException : Exception
{
    public ReconciliationInputException(string message)
        : base(message)
    {
    }

    public ReconciliationInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The seam through which the reconciler opens its two tables. Paths are bound as
/// parameters, never spliced into SQL.</summary>
internal interface ITableSource
{
    SourceRelation Open(TableRef table, string parameterName, ReconcileDialect dialect);
}

/// <summary>Plain Parquet files or folders and CSV files (explicit options, header row).</summary>
internal sealed class FileTableSource : ITableSource
{
    public static FileTableSource Instance { get; } = new();

    public SourceRelation Open(TableRef table, string parameterName, ReconcileDialect dialect)
    {
        var path = Path.GetFullPath(table.Path);
        var format = table.Format == TableFormat.Auto ? Detect(path) : table.Format;
        if (format == TableFormat.Delta)
        {
            throw new ReconciliationInputException($"Cannot read table '{table.Path}': Delta tables need the Delta reader, which this build does not include.");
        }

        if (table.Version is not null)
        {
            throw new ReconciliationInputException($"Cannot read table '{table.Path}' at version {table.Version}: only Delta tables have versions.");
        }

        var location = Directory.Exists(path)
            ? Path.Combine(path, "**", format == TableFormat.Csv ? "*.csv" : "*.parquet")
            : path;
        var info = new TableInfo(table.Path, format == TableFormat.Csv ? "csv" : "parquet", null);
        if (dialect.Dialect == SqlDialect.SparkSql)
        {
            // Spark reads a path as an identifier (`parquet.`/dir``); the path is quoted, not bound.
            var reader = format == TableFormat.Csv ? "csv" : "parquet";
            return new SourceRelation($"{reader}.{dialect.Quote(Directory.Exists(path) ? path : location)}", [], info, null);
        }

        var parameter = new QueryParameter(parameterName, location);
        var sql = format == TableFormat.Csv
            ? $"read_csv({dialect.Parameter(parameterName)}, header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = true)"
            : $"read_parquet({dialect.Parameter(parameterName)})";
        return new SourceRelation(sql, [parameter], info, format == TableFormat.Parquet ? location : null);
    }

    private static TableFormat Detect(string path)
    {
        if (Directory.Exists(path))
        {
            if (Directory.Exists(Path.Combine(path, "_delta_log")))
            {
                return TableFormat.Delta;
            }

            if (Directory.EnumerateFiles(path, "*.parquet", SearchOption.AllDirectories).Any())
            {
                return TableFormat.Parquet;
            }

            if (Directory.EnumerateFiles(path, "*.csv", SearchOption.AllDirectories).Any())
            {
                return TableFormat.Csv;
            }

            throw new ReconciliationInputException($"Cannot read table '{path}': the folder holds no Parquet or CSV files and no _delta_log.");
        }

        if (!File.Exists(path))
        {
            throw new ReconciliationInputException($"Cannot read table '{path}': no such file or folder.");
        }

        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".PARQUET" or ".PQ" => TableFormat.Parquet,
            ".CSV" or ".TXT" => TableFormat.Csv,
            _ => throw new ReconciliationInputException($"Cannot read table '{path}': unknown file type (expected .parquet or .csv, a Parquet folder or a Delta table)."),
        };
    }
}
