using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Lake.Engines;

namespace Modernizer.Specs.Data;

/// <summary>A column of a table in the legacy runner's exchange format: name and Delta/Spark type name
/// (<c>long</c>, <c>decimal(18,2)</c>, <c>timestamp</c>...).</summary>
public sealed record ProtocolColumn(string Name, string Type);

/// <summary>The legacy runner's table format (the workspace's <c>legacy/</c> protocol): <c>&lt;table&gt;.jsonl</c>,
/// one JSON object a row (decimals as strings, timestamps ISO-8601 UTC with microseconds, dates
/// YYYY-MM-DD), and <c>&lt;table&gt;.schema.json</c>. Tables move between DuckDB and files set-based:
/// one COPY out, one read_json in.</summary>
public static class ProtocolTables
{
    public static string DuckType(string type) => type switch
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
        _ when type.StartsWith("decimal(", StringComparison.Ordinal) => type.ToUpperInvariant(),
        _ => throw new InvalidDataException($"column type {type} is not carried by the legacy runner protocol"),
    };

    /// <summary>How a column travels as JSON: decimals, dates and timestamps as strings.</summary>
    private static string JsonType(string type) => type switch
    {
        "string" or "date" or "timestamp" => "VARCHAR",
        _ when type.StartsWith("decimal(", StringComparison.Ordinal) => "VARCHAR",
        _ => DuckType(type),
    };

    private static string Export(ProtocolColumn column)
    {
        var c = SqlText.Identifier(column.Name);
        return column.Type switch
        {
            _ when column.Type.StartsWith("decimal(", StringComparison.Ordinal) => $"CAST({c} AS VARCHAR) AS {c}",
            "timestamp" => $"strftime({c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS {c}",
            "date" => $"strftime({c}, '%Y-%m-%d') AS {c}",
            _ => c,
        };
    }

    /// <summary>Writes a relation (SQL over the session) as <c>&lt;name&gt;.jsonl</c> + schema, rows in the order given.</summary>
    public static async Task WriteAsync(IQueryEngine engine, string relation, string orderBy, string name, ImmutableArray<ProtocolColumn> columns, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, name + ".jsonl");
        var select = columns.IsEmpty ? "*" : string.Join(", ", columns.Select(Export));
        await engine.ExecuteAsync($"COPY (SELECT {select} FROM {relation} ORDER BY {orderBy}) TO {SqlText.Path(data)} (FORMAT json)", null, cancellationToken);
        await WriteSchemaAsync(folder, name, columns, cancellationToken);
    }

    public static Task WriteSchemaAsync(string folder, string name, ImmutableArray<ProtocolColumn> columns, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(folder, name + ".schema.json"),
            JsonSerializer.Serialize(new { table = name, columns = columns.Select(c => new { name = c.Name, type = c.Type }) }, JsonDefaults.Compact) + "\n", cancellationToken);

    public static async Task<ImmutableArray<ProtocolColumn>> ReadSchemaAsync(string folder, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, name + ".schema.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: the table {name} has no schema file.", path);
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
            return [.. document.RootElement.GetProperty("columns").EnumerateArray().Select(c => new ProtocolColumn(c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!))];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a valid table schema ({e.Message}).", e);
        }
    }

    /// <summary>A SELECT that reads <c>&lt;name&gt;.jsonl</c> with each column in its declared type (an empty file gives no rows).</summary>
    public static string ReadSelect(string folder, string name, ImmutableArray<ProtocolColumn> columns)
    {
        var data = Path.Combine(folder, name + ".jsonl");
        if (!File.Exists(data) || new FileInfo(data).Length == 0)
        {
            return $"SELECT {string.Join(", ", columns.Select(c => $"CAST(NULL AS {DuckType(c.Type)}) AS {SqlText.Identifier(c.Name)}"))} WHERE false";
        }

        var json = string.Join(", ", columns.Select(c => $"{SqlText.Literal(c.Name)}: {SqlText.Literal(JsonType(c.Type))}"));
        var casts = string.Join(", ", columns.Select(c => $"CAST({SqlText.Identifier(c.Name)} AS {DuckType(c.Type)}) AS {SqlText.Identifier(c.Name)}"));
        return $"SELECT {casts} FROM read_json({SqlText.Path(data)}, format = 'newline_delimited', columns = {{{json}}})";
    }

    /// <summary>The protocol type of a lake column (its Spark type name).</summary>
    public static string TypeOf(Lake.Tables.SparkType type) => type.SparkSql;
}
