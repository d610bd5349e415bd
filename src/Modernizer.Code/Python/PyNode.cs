using System.Collections.Immutable;

namespace Modernizer.Code.Python;

/// <summary>One node of CPython's ast as the bridge sent it. Fields are read by their ast names
/// (<c>Node("func")</c>, <c>Nodes("args")</c>, <c>Str("id")</c>); absent fields read as empty.</summary>
public sealed class PyNode
{
    private readonly PyKindSchema _schema;
    private readonly object?[] _values;

    internal PyNode(PyKindSchema schema, PySpan span, object?[] values)
    {
        _schema = schema;
        Span = span;
        _values = values;
    }

    public string Kind => _schema.Kind;

    public PySpan Span { get; }

    public int Line => Span.Line;

    public bool Is(string kind) => string.Equals(_schema.Kind, kind, StringComparison.Ordinal);

    public PyNode? Node(string field) => Value(field) as PyNode;

    /// <summary>The nodes of a list field; null entries (see <see cref="OptionalNodes"/>) are left out.</summary>
    public ImmutableArray<PyNode> Nodes(string field) => Value(field) switch
    {
        ImmutableArray<PyNode> nodes => nodes,
        PyNodeList gaps => [.. gaps.Items.OfType<PyNode>()],
        _ => ImmutableArray<PyNode>.Empty,
    };

    /// <summary>A list field with its null entries in place, for the fields where a position
    /// means something: <c>Dict.keys</c> (None is <c>**mapping</c>) and <c>arguments.kw_defaults</c>
    /// (None is a keyword-only argument without a default).</summary>
    public ImmutableArray<PyNode?> OptionalNodes(string field) => Value(field) switch
    {
        ImmutableArray<PyNode> nodes => ImmutableArray<PyNode?>.CastUp(nodes),
        PyNodeList gaps => gaps.Items,
        _ => ImmutableArray<PyNode?>.Empty,
    };

    public ImmutableArray<string> Strings(string field) =>
        Value(field) is ImmutableArray<string> strings ? strings : ImmutableArray<string>.Empty;

    public string? Str(string field) => Value(field) as string;

    /// <summary>The value of a <c>constant</c> field: string, long, double, bool, null or
    /// <see cref="PyOtherConstant"/>.</summary>
    public object? Const(string field = "value") => Value(field);

    /// <summary>Child nodes in field order (lists flattened), for walks.</summary>
    public IEnumerable<PyNode> Children()
    {
        foreach (var value in _values)
        {
            switch (value)
            {
                case PyNode node:
                    yield return node;
                    break;
                case ImmutableArray<PyNode> nodes:
                    foreach (var node in nodes)
                    {
                        yield return node;
                    }

                    break;
                case PyNodeList gaps:
                    foreach (var node in gaps.Items.OfType<PyNode>())
                    {
                        yield return node;
                    }

                    break;
            }
        }
    }

    /// <summary>This node and every descendant, depth first, in source order.</summary>
    public IEnumerable<PyNode> Walk()
    {
        var stack = new Stack<PyNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            node.PushChildrenReversed(stack);
        }
    }

    /// <summary>Children pushed last-first, so they pop in field order; rules walk whole modules
    /// many times, so this allocates nothing per node.</summary>
    private void PushChildrenReversed(Stack<PyNode> stack)
    {
        for (var i = _values.Length - 1; i >= 0; i--)
        {
            switch (_values[i])
            {
                case PyNode node:
                    stack.Push(node);
                    break;
                case ImmutableArray<PyNode> nodes:
                    for (var j = nodes.Length - 1; j >= 0; j--)
                    {
                        stack.Push(nodes[j]);
                    }

                    break;
                case PyNodeList gaps:
                    for (var j = gaps.Items.Length - 1; j >= 0; j--)
                    {
                        if (gaps.Items[j] is { } node)
                        {
                            stack.Push(node);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Every field in the bridge schema's order with its raw decoded value (a node, a
    /// node list, a list with null entries, strings, a constant or null), for tests that check
    /// the decoder against CPython's own tree.</summary>
    internal IEnumerable<(string Name, bool IsConstant, object? Value)> RawFields()
    {
        for (var i = 0; i < _schema.Fields.Length; i++)
        {
            yield return (_schema.Fields[i].Name, _schema.Fields[i].IsConstant, i < _values.Length ? _values[i] : null);
        }
    }

    private object? Value(string field) =>
        _schema.FieldIndex.TryGetValue(field, out var index) && index < _values.Length ? _values[index] : null;

    public override string ToString() => $"{Kind}@{Span}";
}
