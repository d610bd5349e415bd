using System.Collections.Immutable;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Reconciliation;

/// <summary>A table rendered as a relation expression for one dialect, with its bound parameters,
/// and the declared nullability of its columns where the format records it.</summary>
internal sealed record SourceRelation(
    string Sql,
    ImmutableArray<QueryParameter> Parameters,
    TableInfo Info,
    ImmutableArray<string> ParquetFiles,
    ImmutableDictionary<string, bool>? Nullability);

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

    public ReconciliationInputException()
        : base("The reconciliation input cannot be read.")
    {
    }
}

/// <summary>The seam through which the reconciler opens its two tables.</summary>
internal interface ITableSource
{
    Task<SourceRelation> OpenAsync(TableRef table, string parameterName, ReconcileDialect dialect, CancellationToken cancellationToken);
}

/// <summary>Delta tables and Parquet folders or files through the data plane's table opener
/// (<see cref="LakeTable"/>: log replay, time travel, deletion vectors, column mapping); CSV files
/// read by DuckDB with explicit options and the path bound as a parameter. For Spark SQL the
/// table is addressed by path (<c>delta.`/dir`</c>), where the warehouse reads it itself.</summary>
internal sealed class LakeTableSource : ITableSource
{
    public static LakeTableSource Instance { get; } = new();

    public async Task<SourceRelation> OpenAsync(TableRef table, string parameterName, ReconcileDialect dialect, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(table.Path);
        var format = table.Format == TableFormat.Auto ? Detect(path) : table.Format;
        if (format == TableFormat.Csv)
        {
            return OpenCsv(table, path, parameterName, dialect);
        }

        if (dialect.Dialect == SqlDialect.SparkSql)
        {
            var reader = format == TableFormat.Delta ? "delta" : "parquet";
            var versionClause = table.Version is long v ? " VERSION AS OF " + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            return new SourceRelation($"{reader}.{dialect.Quote(path)}{versionClause}", [], new TableInfo(table.Path, reader, table.Version), [], null);
        }

        TableSnapshot snapshot;
        try
        {
            snapshot = await LakeTable.OpenAsync(path, table.Version is long version ? TableVersionSpec.AtVersion(version) : null, cancellationToken);
        }
        catch (LakeTableException e)
        {
            throw new ReconciliationInputException($"Cannot read table '{table.Path}': {e.Problem}.", e);
        }

        var isDelta = snapshot.Format == Tables.TableFormat.Delta;
        var nullability = isDelta ? snapshot.Schema.ToImmutableDictionary(f => f.Name, f => f.Nullable, StringComparer.Ordinal) : null;
        return new SourceRelation(
            DuckDbRelation.Render(snapshot),
            [],
            new TableInfo(table.Path, isDelta ? "delta" : "parquet", snapshot.Version),
            isDelta ? [] : [.. snapshot.Files.Select(f => f.FullPath)],
            nullability);
    }

    private static SourceRelation OpenCsv(TableRef table, string path, string parameterName, ReconcileDialect dialect)
    {
        if (table.Version is not null)
        {
            throw new ReconciliationInputException($"Cannot read table '{table.Path}' at version {table.Version}: only Delta tables have versions.");
        }

        var location = Directory.Exists(path) ? Path.Combine(path, "**", "*.csv") : path;
        var info = new TableInfo(table.Path, "csv", null);
        if (dialect.Dialect == SqlDialect.SparkSql)
        {
            return new SourceRelation($"csv.{dialect.Quote(path)}", [], info, [], null);
        }

        var sql = $"read_csv({dialect.Parameter(parameterName)}, header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = true)";
        return new SourceRelation(sql, [new QueryParameter(parameterName, location)], info, [], null);
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
            ".PARQUET" => TableFormat.Parquet,
            ".CSV" or ".TXT" => TableFormat.Csv,
            _ => throw new ReconciliationInputException($"Cannot read table '{path}': unknown file type (expected .parquet or .csv, a Parquet folder or a Delta table)."),
        };
    }
}
