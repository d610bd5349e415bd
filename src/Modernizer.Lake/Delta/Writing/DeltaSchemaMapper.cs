using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Modernizer.Lake.Delta.Writing;

/// <summary>Maps DuckDB column types to Delta schema types (PROTOCOL.md "Schema Serialization Format").</summary>
public static class DeltaSchemaMapper
{
    public static string DeltaType(string column, string duckDbType)
    {
        var type = duckDbType.Trim().ToUpperInvariant();
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            var element = DeltaType(column, type[..^2]);
            return "{\"type\":\"array\",\"elementType\":" + element + ",\"containsNull\":true}";
        }

        if (type.StartsWith("MAP(", StringComparison.Ordinal) && type.EndsWith(')'))
        {
            var inner = type[4..^1];
            var comma = inner.IndexOf(',', StringComparison.Ordinal);
            var key = DeltaType(column, inner[..comma]);
            var value = DeltaType(column, inner[(comma + 1)..]);
            return "{\"type\":\"map\",\"keyType\":" + key + ",\"valueType\":" + value + ",\"valueContainsNull\":true}";
        }

        if (type.StartsWith("DECIMAL(", StringComparison.Ordinal))
        {
            return "\"" + type.ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal) + "\"";
        }

        var primitive = type switch
        {
            "BIGINT" or "INT64" or "LONG" => "long",
            "INTEGER" or "INT" or "INT32" => "integer",
            "SMALLINT" or "INT16" => "short",
            "TINYINT" or "INT8" => "byte",
            "DOUBLE" or "FLOAT8" => "double",
            "FLOAT" or "REAL" or "FLOAT4" => "float",
            "BOOLEAN" or "BOOL" => "boolean",
            "VARCHAR" or "TEXT" or "STRING" => "string",
            "BLOB" or "BYTEA" => "binary",
            "DATE" => "date",
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => "timestamp",
            _ => null,
        };
        return primitive is null
            ? throw new NotSupportedException($"column {column}: DuckDB type {duckDbType} has no Delta type in this writer (cast TIMESTAMP to TIMESTAMPTZ, flatten structs)")
            : "\"" + primitive + "\"";
    }

    public static string SchemaString(ImmutableArray<DeltaColumn> columns)
    {
        var builder = new StringBuilder("{\"type\":\"struct\",\"fields\":[");
        for (var i = 0; i < columns.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append("{\"name\":").Append(JsonSerializer.Serialize(columns[i].Name))
                .Append(",\"type\":").Append(columns[i].DeltaTypeJson)
                .Append(",\"nullable\":true,\"metadata\":{}}");
        }

        return builder.Append("]}").ToString();
    }

    /// <summary>Kind of min/max statistics a column gets.</summary>
    internal static StatKind StatKindOf(string deltaTypeJson) => deltaTypeJson switch
    {
        "\"long\"" or "\"integer\"" or "\"short\"" or "\"byte\"" => StatKind.Number,
        "\"double\"" or "\"float\"" => StatKind.Float,
        "\"string\"" => StatKind.String,
        "\"date\"" => StatKind.Date,
        "\"timestamp\"" => StatKind.Timestamp,
        _ when deltaTypeJson.StartsWith("\"decimal(", StringComparison.Ordinal) => StatKind.Number,
        "\"boolean\"" or "\"binary\"" => StatKind.NullCountOnly,
        _ => StatKind.None,
    };
}

internal enum StatKind
{
    None,
    NullCountOnly,
    Number,
    Float,
    String,
    Date,
    Timestamp,
}
