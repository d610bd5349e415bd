using System.Data.SqlTypes;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>One mapping from Databricks values to .NET values, whichever format carried them, so
/// a column reads the same from INLINE JSON_ARRAY and from EXTERNAL_LINKS Arrow:
/// BOOLEAN bool; BYTE sbyte; SHORT short; INT int; LONG long; FLOAT float; DOUBLE double;
/// DECIMAL <see cref="decimal"/>, or <see cref="SqlDecimal"/> for a value of more than 28
/// significant digits (DECIMAL(38, s) holds up to 38), never an overflow; STRING string;
/// BINARY byte[]; DATE DateOnly; TIMESTAMP DateTimeOffset (UTC); TIMESTAMP_NTZ DateTime
/// (unspecified kind); ARRAY <see cref="List{T}"/> of object?; MAP <see cref="Dictionary{TKey, TValue}"/>
/// of object to object? in entry order; STRUCT Dictionary of string to object? in field order;
/// INTERVAL, VARIANT and other types their text. JSON_ARRAY cells are strings (complex values as
/// JSON text, BINARY as hex, as databricks-sql-python's statement-execution converter reads them);
/// Arrow carries complex values natively or, when the warehouse serializes them, as JSON text.</summary>
internal static class DatabricksValues
{
    private const int DecimalDigits = 28;

    public static object? FromJsonCell(JsonNode? cell, DatabricksType type) =>
        cell is null ? null : FromText(cell.GetValueKind() == JsonValueKind.String ? cell.GetValue<string>() : cell.ToJsonString(), type);

    /// <summary>The text form of a value (a JSON_ARRAY cell, or a string-typed Arrow cell).</summary>
    public static object? FromText(string text, DatabricksType type)
    {
        var inv = CultureInfo.InvariantCulture;
        return type.Name switch
        {
            "BOOLEAN" => bool.Parse(text),
            "BYTE" => sbyte.Parse(text, inv),
            "SHORT" => short.Parse(text, inv),
            "INT" => int.Parse(text, inv),
            "LONG" => long.Parse(text, inv),
            "FLOAT" => float.Parse(text, NumberStyles.Float, inv),
            "DOUBLE" => double.Parse(text, NumberStyles.Float, inv),
            "DECIMAL" => ParseDecimal(text),
            "DATE" => DateOnly.Parse(text, inv),
            "TIMESTAMP" => DateTimeOffset.Parse(text, inv, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
            "TIMESTAMP_NTZ" => DateTime.SpecifyKind(DateTime.Parse(text, inv, DateTimeStyles.None), DateTimeKind.Unspecified),
            "BINARY" => Convert.FromHexString(text),
            "ARRAY" or "MAP" or "STRUCT" => FromJsonNode(JsonNode.Parse(text), type),
            "NULL" => null,
            _ => text,
        };
    }

    /// <summary>A value inside the JSON text of a complex value: numbers and booleans are JSON
    /// literals there, the rest strings.</summary>
    private static object? FromJsonNode(JsonNode? node, DatabricksType type)
    {
        if (node is null)
        {
            return null;
        }

        switch (type.Name)
        {
            case "ARRAY":
                return node.AsArray().Select(e => FromJsonNode(e, type.Children[0].Type)).ToList();
            case "MAP":
                var map = new Dictionary<object, object?>();
                foreach (var (key, value) in node.AsObject())
                {
                    map.Add(FromText(key, type.Children[0].Type) ?? key, FromJsonNode(value, type.Children[1].Type));
                }

                return map;
            case "STRUCT":
                var obj = node.AsObject();
                return type.Children.ToDictionary(f => f.Name, f => obj.TryGetPropertyValue(f.Name, out var v) ? FromJsonNode(v, f.Type) : null, StringComparer.Ordinal);
            default:
                return node.GetValueKind() == JsonValueKind.String
                    ? FromText(node.GetValue<string>(), type)
                    : type.Name is "STRING" or "INTERVAL" or "VARIANT" ? node.ToJsonString() : FromText(node.ToJsonString(), type);
        }
    }

    public static object? FromArrow(IArrowArray array, int index, DatabricksType type)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            BooleanArray a => a.GetValue(index),
            Int8Array a => a.GetValue(index),
            Int16Array a => a.GetValue(index),
            Int32Array a => a.GetValue(index),
            Int64Array a => a.GetValue(index),
            FloatArray a => a.GetValue(index),
            DoubleArray a => a.GetValue(index),
            Decimal128Array a => Normalize(a.GetSqlDecimal(index)!.Value),
            Date32Array a => a.GetDateOnly(index),
            Date64Array a => a.GetDateOnly(index),
            TimestampArray a when type.Name == "TIMESTAMP_NTZ" => DateTime.SpecifyKind(a.GetTimestamp(index)!.Value.DateTime, DateTimeKind.Unspecified),
            TimestampArray a => a.GetTimestamp(index)!.Value.ToUniversalTime(),
            StringArray a => FromText(a.GetString(index), type),
            LargeStringArray a => FromText(a.GetString(index), type),
            BinaryArray a => a.GetBytes(index).ToArray(),
            LargeBinaryArray a => a.GetBytes(index).ToArray(),
            MapArray a => ArrowMap(a, index, type),
            ListArray a => ArrowList(a, index, type),
            StructArray a => ArrowStruct(a, index, type),
            NullArray => null,
            _ => throw new DatabricksSqlException($"Arrow type {array.Data.DataType.Name} (column type {type.Name}) is not read by this engine."),
        };
    }

    private static List<object?> ArrowList(ListArray array, int index, DatabricksType type)
    {
        var element = type.Name == "ARRAY" ? type.Children[0].Type : DatabricksType.String;
        var start = array.ValueOffsets[index];
        var end = array.ValueOffsets[index + 1];
        var result = new List<object?>(end - start);
        for (var i = start; i < end; i++)
        {
            result.Add(FromArrow(array.Values, i, element));
        }

        return result;
    }

    private static Dictionary<object, object?> ArrowMap(MapArray array, int index, DatabricksType type)
    {
        var (keyType, valueType) = type.Name == "MAP" ? (type.Children[0].Type, type.Children[1].Type) : (DatabricksType.String, DatabricksType.String);
        var start = array.ValueOffsets[index];
        var end = array.ValueOffsets[index + 1];
        var result = new Dictionary<object, object?>(end - start);
        for (var i = start; i < end; i++)
        {
            result.Add(FromArrow(array.Keys, i, keyType) ?? throw new DatabricksSqlException("A MAP entry has a NULL key."), FromArrow(array.Values, i, valueType));
        }

        return result;
    }

    private static Dictionary<string, object?> ArrowStruct(StructArray array, int index, DatabricksType type)
    {
        var fields = ((Apache.Arrow.Types.StructType)array.Data.DataType).Fields;
        var result = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
        for (var f = 0; f < fields.Count; f++)
        {
            var declared = type.Name == "STRUCT" ? type.Children.FirstOrDefault(c => c.Name == fields[f].Name)?.Type : null;
            result[fields[f].Name] = FromArrow(array.Fields[f], index, declared ?? DatabricksType.String);
        }

        return result;
    }

    /// <summary>System.Decimal holds 28 digits; a value with more (integer digits plus scale)
    /// stays <see cref="SqlDecimal"/> (38 digits) rather than overflowing or rounding. The choice
    /// depends on the value, not the declared precision, so small DECIMAL(38, s) values are decimals.</summary>
    private static object ParseDecimal(string text)
    {
        if (text.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        int integerDigits = 0, fractionDigits = 0;
        bool leading = true, fraction = false;
        foreach (var c in text)
        {
            if (c == '.')
            {
                fraction = true;
            }
            else if (char.IsAsciiDigit(c) && fraction)
            {
                fractionDigits++;
            }
            else if (char.IsAsciiDigit(c))
            {
                leading &= c == '0';
                integerDigits += leading ? 0 : 1;
            }
        }

        // Boxed apart on purpose: SqlDecimal converts implicitly from decimal, so a conditional
        // expression would turn every value into SqlDecimal.
        if (integerDigits + fractionDigits <= DecimalDigits)
        {
            return decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return SqlDecimal.Parse(text);
    }

    private static object Normalize(SqlDecimal value) => ParseDecimal(value.ToString());
}
