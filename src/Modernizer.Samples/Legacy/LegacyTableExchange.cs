using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Modernizer.Lake.Delta.Writing;
using Modernizer.Lake.Tables;

namespace Modernizer.Samples.Legacy;

/// <summary>The runner protocol's file format (legacy/README.md): a table is
/// <c>&lt;schema.table&gt;.jsonl</c> (one JSON object a row; decimals as strings, timestamps as
/// ISO-8601 UTC with microseconds, dates as YYYY-MM-DD) plus <c>&lt;schema.table&gt;.schema.json</c>
/// (<c>{"table": ..., "columns": [{"name": ..., "type": delta type}]}</c>).</summary>
internal static class LegacyTableExchange
{
    /// <summary>Files of a table folder: the live files of a Delta table, or every Parquet file.
    /// A Delta table is opened by the data plane's reader, so every path its log names passes the
    /// same check as everywhere else (inside the table folder, decoded once).</summary>
    public static async Task<IReadOnlyList<string>> DataFilesAsync(string tableFolder, CancellationToken cancellationToken)
    {
        if (Directory.Exists(DeltaCommitLog.LogFolder(tableFolder)))
        {
            var snapshot = await LakeTable.OpenAsync(tableFolder, null, cancellationToken);
            return [.. snapshot.Files.Select(f => f.FullPath)];
        }

        if (!Directory.Exists(tableFolder))
        {
            throw new DirectoryNotFoundException($"{tableFolder}: input table folder does not exist");
        }

        var files = Directory.EnumerateFiles(tableFolder, "*.parquet", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.Contains("_delta_log", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Count > 0 ? files : throw new InvalidDataException($"{tableFolder}: neither a Delta table nor a folder of Parquet files");
    }

    public static async Task ExportAsync(Generation.SampleDb db, string tableName, string tableFolder, string outFolder, CancellationToken cancellationToken)
    {
        var files = await DataFilesAsync(tableFolder, cancellationToken);
        var source = files.Count == 0
            ? throw new InvalidDataException($"{tableFolder}: table has no data files")
            : $"read_parquet([{string.Join(", ", files.Select(f => "'" + Sql(f) + "'"))}], hive_partitioning = true)";
        var state = await DeltaCommitLog.ReadAsync(tableFolder, cancellationToken);
        var columns = await DescribeAsync(db, source, cancellationToken);
        if (state is not null)
        {
            // keep the table's column order (a partition column comes back last from read_parquet)
            var order = SchemaOrder(state.SchemaString);
            columns = [.. columns.OrderBy(c => order.IndexOf(c.Name))];
        }

        var select = string.Join(", ", columns.Select(c => ExportExpression(c.Name, c.DuckDbType)));
        var jsonl = Path.Combine(outFolder, tableName + ".jsonl");
        await db.ExecuteAsync($"COPY (SELECT {select} FROM {source}) TO '{Sql(jsonl)}' (FORMAT json)", cancellationToken);
        await WriteSchemaAsync(Path.Combine(outFolder, tableName + ".schema.json"), tableName, columns, cancellationToken);
    }

    /// <summary>Reads an output table written by a reference program and writes it as Parquet.</summary>
    public static async Task<string> ImportAsync(Generation.SampleDb db, string jsonlFolder, string tableName, string parquetFile, CancellationToken cancellationToken)
    {
        var select = await ImportSelectAsync(jsonlFolder, tableName, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(parquetFile)!);
        await db.ExecuteAsync($"COPY ({select}) TO '{Sql(parquetFile)}' (FORMAT parquet, COMPRESSION snappy)", cancellationToken);
        return parquetFile;
    }

    /// <summary>A SELECT over the JSONL that gives each column its declared type.</summary>
    public static async Task<string> ImportSelectAsync(string jsonlFolder, string tableName, CancellationToken cancellationToken)
    {
        var schemaPath = Path.Combine(jsonlFolder, tableName + ".schema.json");
        var dataPath = Path.Combine(jsonlFolder, tableName + ".jsonl");
        if (!File.Exists(schemaPath) || !File.Exists(dataPath))
        {
            throw new FileNotFoundException($"{jsonlFolder}: output table {tableName} needs {tableName}.jsonl and {tableName}.schema.json");
        }

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(schemaPath, cancellationToken));
        var columns = doc.RootElement.GetProperty("columns").EnumerateArray()
            .Select(c => (Name: c.GetProperty("name").GetString()!, Type: c.GetProperty("type").GetString()!))
            .ToList();
        var jsonColumns = string.Join(", ", columns.Select(c => $"'{Literal(c.Name)}': '{JsonReadType(schemaPath, c.Name, c.Type)}'"));
        var casts = string.Join(", ", columns.Select(c => $"{CastFromJson(c.Name, c.Type)} AS {Quote(c.Name)}"));
        var empty = new FileInfo(dataPath).Length == 0;
        return empty
            ? $"SELECT {string.Join(", ", columns.Select(c => $"CAST(NULL AS {DuckType(c.Type)}) AS {Quote(c.Name)}"))} WHERE false"
            : $"SELECT {casts} FROM read_json('{Sql(dataPath)}', format = 'newline_delimited', columns = {{{jsonColumns}}})";
    }

    private static async Task<ImmutableArray<(string Name, string DuckDbType)>> DescribeAsync(Generation.SampleDb db, string source, CancellationToken cancellationToken)
    {
        var rows = await db.RowsAsync($"DESCRIBE SELECT * FROM {source}", cancellationToken);
        return [.. rows.Select(r => ((string)r[0]!, (string)r[1]!))];
    }

    private static List<string> SchemaOrder(string schemaString)
    {
        using var doc = JsonDocument.Parse(schemaString);
        return [.. doc.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)];
    }

    private static string ExportExpression(string name, string duckType)
    {
        var c = Quote(name);
        var type = duckType.ToUpperInvariant();
        return type switch
        {
            _ when type.StartsWith("DECIMAL", StringComparison.Ordinal) => $"CAST({c} AS VARCHAR) AS {c}",
            "TIMESTAMP WITH TIME ZONE" => $"strftime({c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS {c}",
            "TIMESTAMP" => $"strftime({c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS {c}",
            "DATE" => $"strftime({c}, '%Y-%m-%d') AS {c}",
            _ => c,
        };
    }

    private static async Task WriteSchemaAsync(string path, string tableName, ImmutableArray<(string Name, string DuckDbType)> columns, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        builder.Append("{\"table\": ").Append(JsonSerializer.Serialize(tableName)).Append(", \"columns\": [");
        for (var i = 0; i < columns.Length; i++)
        {
            var deltaType = JsonSerializer.Deserialize<string>(DeltaTypeOf(columns[i].Name, columns[i].DuckDbType))!;
            builder.Append(i == 0 ? string.Empty : ", ")
                .Append("{\"name\": ").Append(JsonSerializer.Serialize(columns[i].Name))
                .Append(", \"type\": ").Append(JsonSerializer.Serialize(deltaType)).Append('}');
        }

        builder.Append("]}\n");
        await File.WriteAllTextAsync(path, builder.ToString(), cancellationToken);
    }

    private static string DeltaTypeOf(string name, string duckType) =>
        duckType.Equals("TIMESTAMP", StringComparison.OrdinalIgnoreCase) ? "\"timestamp\"" : DeltaSchemaMapper.DeltaType(name, duckType);

    private static string JsonReadType(string file, string column, string deltaType) => deltaType switch
    {
        "long" => "BIGINT",
        "integer" => "INTEGER",
        "short" => "SMALLINT",
        "byte" => "TINYINT",
        "double" => "DOUBLE",
        "float" => "FLOAT",
        "boolean" => "BOOLEAN",
        "string" or "date" or "timestamp" => "VARCHAR",
        _ when deltaType.StartsWith("decimal(", StringComparison.Ordinal) => "VARCHAR",
        _ => throw new InvalidDataException($"{file}: column {column} has type {deltaType}, which the runner protocol does not carry"),
    };

    private static string CastFromJson(string name, string deltaType) => deltaType switch
    {
        "date" => $"CAST({Quote(name)} AS DATE)",
        "timestamp" => $"CAST({Quote(name)} AS TIMESTAMPTZ)",
        _ when deltaType.StartsWith("decimal(", StringComparison.Ordinal) => $"CAST({Quote(name)} AS {DuckType(deltaType)})",
        _ => Quote(name),
    };

    private static string DuckType(string deltaType) => deltaType switch
    {
        "long" => "BIGINT",
        "integer" => "INTEGER",
        "short" => "SMALLINT",
        "byte" => "TINYINT",
        "double" => "DOUBLE",
        "float" => "FLOAT",
        "boolean" => "BOOLEAN",
        "string" => "VARCHAR",
        "date" => "DATE",
        "timestamp" => "TIMESTAMPTZ",
        _ when deltaType.StartsWith("decimal(", StringComparison.Ordinal) => deltaType.ToUpperInvariant(),
        _ => "VARCHAR",
    };

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal static string Literal(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    internal static string Sql(string path) => Path.GetFullPath(path).Replace('\\', '/').Replace("'", "''", StringComparison.Ordinal);
}
