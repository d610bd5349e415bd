using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Modernizer.Code.Python;

/// <summary>What the bridge sends per node kind: field names, their ast type and whether the
/// field is a list. Read once from the first line a worker writes (CPython's own ast docs).</summary>
internal sealed record PyField(string Name, string Type, bool IsList)
{
    // Computed once per field: the decoder asks for every field of every node.
    public bool IsPrimitive { get; } = Type is "identifier" or "string" or "int" or "constant";

    public bool IsConstant { get; } = Type == "constant";
}

internal sealed class PyKindSchema
{
    public PyKindSchema(string kind, bool hasPosition, ImmutableArray<PyField> fields)
    {
        Kind = kind;
        HasPosition = hasPosition;
        Fields = fields;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Length; i++)
        {
            index[fields[i].Name] = i;
        }

        FieldIndex = index.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string Kind { get; }

    public bool HasPosition { get; }

    public ImmutableArray<PyField> Fields { get; }

    public FrozenDictionary<string, int> FieldIndex { get; }
}

internal sealed class PySchema
{
    private readonly FrozenDictionary<string, PyKindSchema> _kinds;

    public PySchema(IEnumerable<PyKindSchema> kinds) =>
        _kinds = kinds.ToFrozenDictionary(k => k.Kind, StringComparer.Ordinal);

    public PyKindSchema this[string kind] =>
        _kinds.TryGetValue(kind, out var schema)
            ? schema
            : throw new InvalidDataException($"The Python bridge sent an unknown node kind '{kind}'.");
}
