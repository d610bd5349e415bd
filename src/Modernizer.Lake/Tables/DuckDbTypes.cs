using System.Collections.Immutable;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Tables;

/// <summary>Spark types to DuckDB types (spelled as DuckDB's DESCRIBE prints them) and back.</summary>
public static class DuckDbTypes
{
    /// <summary>The DuckDB type of the data as stored in Parquet under column mapping: nested struct
    /// fields carry their physical names.</summary>
    public static string FromSparkPhysical(SparkType type) => type switch
    {
        StructType s => "STRUCT(" + string.Join(", ", s.Fields.Select(f => QuoteIdentifier(f.PhysicalName) + " " + FromSparkPhysical(f.Type))) + ")",
        ArrayType a => FromSparkPhysical(a.ElementType) + "[]",
        MapType m => "MAP(" + FromSparkPhysical(m.KeyType) + ", " + FromSparkPhysical(m.ValueType) + ")",
        _ => FromSpark(type),
    };

    public static string FromSpark(SparkType type) => type switch
    {
        PrimitiveType p => p.Name switch
        {
            "string" => "VARCHAR",
            "long" => "BIGINT",
            "integer" => "INTEGER",
            "short" => "SMALLINT",
            "byte" => "TINYINT",
            "float" => "FLOAT",
            "double" => "DOUBLE",
            "boolean" => "BOOLEAN",
            "binary" => "BLOB",
            "date" => "DATE",
            "timestamp" => "TIMESTAMP WITH TIME ZONE",
            "timestamp_ntz" => "TIMESTAMP",
            "void" => "INTEGER",
            "decimal" => "DECIMAL(10,0)",
            var d when d.StartsWith("decimal(", StringComparison.Ordinal) => "DECIMAL" + d["decimal".Length..],
            var other => throw new NotSupportedException($"Spark type '{other}' has no DuckDB equivalent here"),
        },
        StructType s => "STRUCT(" + string.Join(", ", s.Fields.Select(f => QuoteIdentifier(f.Name) + " " + FromSpark(f.Type))) + ")",
        ArrayType a => FromSpark(a.ElementType) + "[]",
        MapType m => "MAP(" + FromSpark(m.KeyType) + ", " + FromSpark(m.ValueType) + ")",
        _ => throw new NotSupportedException($"unknown Spark type {type}"),
    };

    /// <summary>DuckDB's DESCRIBE type to a Spark type (for plain Parquet tables).</summary>
    public static SparkType ToSpark(string duckDbType)
    {
        var t = duckDbType.Trim();
        if (t.EndsWith("[]", StringComparison.Ordinal))
        {
            return new ArrayType(ToSpark(t[..^2]), true);
        }

        if (t.StartsWith("STRUCT(", StringComparison.OrdinalIgnoreCase))
        {
            var fields = SplitTopLevel(t[7..^1]).Select(part =>
            {
                var (name, rest) = SplitName(part);
                return new StructField(name, ToSpark(rest), true, name, null);
            }).ToImmutableArray();
            return new StructType(fields);
        }

        if (t.StartsWith("MAP(", StringComparison.OrdinalIgnoreCase))
        {
            var parts = SplitTopLevel(t[4..^1]);
            return new MapType(ToSpark(parts[0]), ToSpark(parts[1]), true);
        }

        if (t.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase))
        {
            return new PrimitiveType("decimal" + t[7..].Replace(" ", string.Empty, StringComparison.Ordinal));
        }

        return new PrimitiveType(t.ToUpperInvariant() switch
        {
            "VARCHAR" or "UUID" or "JSON" => "string",
            "BIGINT" or "UBIGINT" or "UINTEGER" => "long",
            "INTEGER" or "USMALLINT" => "integer",
            "SMALLINT" or "UTINYINT" => "short",
            "TINYINT" => "byte",
            "FLOAT" => "float",
            "DOUBLE" => "double",
            "BOOLEAN" => "boolean",
            "BLOB" => "binary",
            "DATE" => "date",
            "TIMESTAMP WITH TIME ZONE" => "timestamp",
            "TIMESTAMP" or "TIMESTAMP_NS" or "TIMESTAMP_MS" or "TIMESTAMP_S" => "timestamp_ntz",
            "HUGEINT" or "UHUGEINT" => "decimal(38,0)",
            _ => t.ToLowerInvariant(),
        });
    }

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static (string Name, string TypeText) SplitName(string part)
    {
        part = part.Trim();
        if (part.StartsWith('"'))
        {
            var end = 1;
            var name = new System.Text.StringBuilder();
            while (end < part.Length)
            {
                if (part[end] == '"' && end + 1 < part.Length && part[end + 1] == '"')
                {
                    name.Append('"');
                    end += 2;
                }
                else if (part[end] == '"')
                {
                    break;
                }
                else
                {
                    name.Append(part[end++]);
                }
            }

            return (name.ToString(), part[(end + 1)..].Trim());
        }

        var space = part.IndexOf(' ', StringComparison.Ordinal);
        return (part[..space], part[(space + 1)..].Trim());
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var inQuote = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && c == '(')
            {
                depth++;
            }
            else if (!inQuote && c == ')')
            {
                depth--;
            }
            else if (!inQuote && depth == 0 && c == ',')
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts;
    }
}
