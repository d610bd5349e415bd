using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Modernizer.Code.Python;

/// <summary>Turns the bridge's compact arrays back into <see cref="PyNode"/> trees.</summary>
internal static class PyTreeDecoder
{
    public static PySchema ReadSchema(JsonElement schema)
    {
        var kinds = new List<PyKindSchema>();
        foreach (var kind in schema.EnumerateObject())
        {
            var hasPosition = kind.Value[0].GetBoolean();
            var fields = kind.Value[1].EnumerateArray()
                .Select(f => new PyField(f[0].GetString()!, f[1].GetString()!, f[2].GetBoolean()))
                .ToImmutableArray();
            kinds.Add(new PyKindSchema(kind.Name, hasPosition, fields));
        }

        return new PySchema(kinds);
    }

    public static PyNode Decode(JsonElement element, PySchema schema)
    {
        // Deep trees (long method chains) recurse here; a clear error beats a stack overflow.
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new PythonTreeTooDeepException();
        }

        // One pass over the array: indexing a JsonElement array with nested children walks its
        // siblings on every access.
        var items = element.EnumerateArray();
        items.MoveNext();
        var kind = schema[items.Current.GetString()!];
        var span = PySpan.None;
        if (kind.HasPosition)
        {
            Span<int> position = stackalloc int[4];
            for (var p = 0; p < 4 && items.MoveNext(); p++)
            {
                position[p] = items.Current.GetInt32();
            }

            span = new PySpan(position[0], position[1], position[2], position[3]);
        }

        var values = new object?[kind.Fields.Length];
        for (var i = 0; i < kind.Fields.Length && items.MoveNext(); i++)
        {
            values[i] = DecodeField(kind.Fields[i], items.Current, schema);
        }

        return new PyNode(kind, span, values);
    }

    private static object? DecodeField(PyField field, JsonElement value, PySchema schema)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (field.IsConstant)
        {
            return DecodeConstant(value);
        }

        if (field.IsList)
        {
            if (field.IsPrimitive)
            {
                return value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToImmutableArray();
            }

            // Null entries are meaningful: a Dict key of None is `**mapping`, an arguments
            // kw_default of None is a keyword-only argument without a default. Keeping them keeps
            // keys aligned with values and defaults with their arguments.
            var nodes = new PyNode?[value.GetArrayLength()];
            var hasGap = false;
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Null)
                {
                    hasGap = true;
                }
                else
                {
                    nodes[i] = DecodeNodeOrOperator(item, schema);
                }

                i++;
            }

            return hasGap ? new PyNodeList(ImmutableArray.Create(nodes)) : ImmutableArray.Create<PyNode>(nodes!);
        }

        if (field.IsPrimitive)
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetInt64(),
                _ => value.GetRawText(),
            };
        }

        return DecodeNodeOrOperator(value, schema);
    }

    private static PyNode DecodeNodeOrOperator(JsonElement value, PySchema schema) =>
        value.ValueKind == JsonValueKind.String
            ? new PyNode(schema[value.GetString()!], PySpan.None, [])
            : Decode(value, schema);

    private static object? DecodeConstant(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return value.TryGetInt64(out var integer) ? (object)integer : value.GetDouble();
            case JsonValueKind.Array:
                var type = value[0].GetString()!;
                var repr = value[1].GetString()!;
                if (type == "float" && double.TryParse(repr, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                {
                    return real;
                }

                return type == "float"
                    ? repr switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.NaN }
                    : new PyOtherConstant(type, repr);
            default:
                return null;
        }
    }
}

/// <summary>A syntax tree nested deeper than the decoder's stack allows.</summary>
public sealed class PythonTreeTooDeepException : Exception
{
    public PythonTreeTooDeepException()
        : base("the syntax tree is nested too deeply to analyse (an expression or call chain of thousands of levels)")
    {
    }

    public PythonTreeTooDeepException(string message)
        : base(message)
    {
    }

    public PythonTreeTooDeepException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A node list with null entries, kept in place (<c>Dict.keys</c>, <c>arguments.kw_defaults</c>).</summary>
internal sealed record PyNodeList(ImmutableArray<PyNode?> Items);
