using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta;

/// <summary>Reads the Spark JSON schema of a metaData action (PROTOCOL "Schema Serialization Format"),
/// including the column-mapping physical names and ids of every nested field.</summary>
internal static class DeltaSchemaParser
{
    public static ImmutableArray<StructField> Parse(string tablePath, string schemaString)
    {
        try
        {
            using var document = JsonDocument.Parse(schemaString);
            return ParseStruct(document.RootElement).Fields;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LakeTableException(tablePath, $"the table schema in the log is not a valid Spark schema: {e.Message}", e);
        }
    }

    internal static SparkType ParseType(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            var name = element.GetString()!;
            return new PrimitiveType(name switch
            {
                "timestamp_ntz" or "timestampNtz" => "timestamp_ntz",
                _ => name.Replace(" ", string.Empty, StringComparison.Ordinal),
            });
        }

        return element.GetProperty("type").GetString() switch
        {
            "struct" => ParseStruct(element),
            "array" => new ArrayType(ParseType(element.GetProperty("elementType")), !element.TryGetProperty("containsNull", out var cn) || cn.GetBoolean()),
            "map" => new MapType(
                ParseType(element.GetProperty("keyType")),
                ParseType(element.GetProperty("valueType")),
                !element.TryGetProperty("valueContainsNull", out var vcn) || vcn.GetBoolean()),
            var other => throw new FormatException($"unknown type '{other}'"),
        };
    }

    private static StructType ParseStruct(JsonElement element)
    {
        var fields = ImmutableArray.CreateBuilder<StructField>();
        foreach (var field in element.GetProperty("fields").EnumerateArray())
        {
            var name = field.GetProperty("name").GetString()!;
            var physical = name;
            long? id = null;
            if (field.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            {
                if (metadata.TryGetProperty("delta.columnMapping.physicalName", out var p) && p.ValueKind == JsonValueKind.String)
                {
                    physical = p.GetString()!;
                }

                if (metadata.TryGetProperty("delta.columnMapping.id", out var i) && i.ValueKind == JsonValueKind.Number)
                {
                    id = i.GetInt64();
                }
            }

            var nullable = !field.TryGetProperty("nullable", out var n) || n.GetBoolean();
            fields.Add(new StructField(name, ParseType(field.GetProperty("type")), nullable, physical, id));
        }

        return new StructType(fields.ToImmutable());
    }
}
