using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Pipeline.Configuration;

/// <summary>Reads <c>modernize.yaml</c> into a <see cref="ConfigNode"/> tree with line numbers.
/// <para>The file is input like any other: a syntax error is reported with its line, column and what
/// the parser expected; and because YamlDotNet's representation model shares one node for an anchor
/// and all its aliases (it expands nothing and has no limit of its own for it), the walk that copies
/// it does: an anchor that contains an alias to itself is an error, not a stack overflow, and aliases
/// that expand past <see cref="MaxValues"/> values (a "billion laughs" file) or nest deeper than
/// <see cref="MaxDepth"/> stop the walk at once with an error naming the file.</para></summary>
internal static class YamlConfigReader
{
    /// <summary>Levels of nesting; the configuration needs four.</summary>
    public const int MaxDepth = 64;

    /// <summary>Values after alias expansion; the full configuration has about a hundred.</summary>
    public const int MaxValues = 10_000;

    public static ConfigMap Read(string text, string source, List<ConfigError> errors)
    {
        var root = new ConfigMap(new ConfigOrigin(source, 1));
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            // YamlDotNet builds its representation model recursively, one call per level: the nesting
            // is measured on the event stream first, so "[[[[..." is an error and never a stack overflow.
            if (CheckEvents(scanner) is { } problem)
            {
                errors.Add(Invalid(source, problem.At, problem.What));
                return root;
            }

            scanner = new Scanner(new StringReader(text));
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            // The end mark is where the parser found the problem; the start, where the construct began.
            var at = e.End.Line > 0 ? e.End : e.Start.Line > 0 ? e.Start : scanner.CurrentPosition;
            if (e.Start.Equals(e.End) && scanner.CurrentPosition.Line > at.Line)
            {
                // Some errors carry only the mark of the enclosing block (a tab used as indentation).
                at = scanner.CurrentPosition;
            }

            var began = e.Start.Line > 0 && (e.Start.Line != at.Line || e.Start.Column != at.Column)
                ? string.Create(CultureInfo.InvariantCulture, $" (in what starts at line {e.Start.Line}, column {e.Start.Column})")
                : string.Empty;
            errors.Add(Invalid(source, at, Describe(e) + began));
            return root;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // The scanner gave up without saying why (it throws a bare InvalidOperationException for a
            // flow collection whose next line is indented less than the key it belongs to).
            errors.Add(Invalid(source, scanner.CurrentPosition,
                "the YAML parser cannot read on from here; check the indentation and the brackets of this and the lines above"));
            return root;
        }

        if (stream.Documents.Count == 0)
        {
            return root;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            errors.Add(Invalid(source, second, "a second YAML document (after ---): the configuration is one mapping"));
            return root;
        }

        ConfigNode node;
        try
        {
            node = new Walk(source).Convert(stream.Documents[0].RootNode, 0);
        }
        catch (WalkStopped stop)
        {
            errors.Add(stop.Error);
            return root;
        }

        switch (node)
        {
            case ConfigMap map:
                return map;
            case ConfigScalar { Value: null }:
                return root;
            default:
                errors.Add(new ConfigError(source, node.Origin.Line, "(document)", "expected a mapping of sections (phases:, selection:, ...)"));
                return root;
        }
    }

    /// <summary>One pass over the event stream: syntax errors (thrown), nesting too deep, and aliases
    /// to anchors not defined before them (the representation model reports those without a place).</summary>
    private static (Mark At, string What)? CheckEvents(Scanner scanner)
    {
        var parser = new Parser(scanner);
        var depth = 0;
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                anchors.Add(anchored.Anchor.Value);
            }

            switch (current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                    return (alias.Start, $"the alias *{alias.Value.Value} names no anchor defined before it (&{alias.Value.Value})");
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        return (current.Start, string.Create(CultureInfo.InvariantCulture, $"values nested more than {MaxDepth} levels deep"));
                    }

                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }

    private static ConfigError Invalid(string source, Mark at, string what) =>
        new(source, at.Line > 0 ? checked((int)at.Line) : null, "(document)", "not valid YAML: " + what)
        {
            Column = at.Column > 0 ? checked((int)at.Column) : null,
        };

    private static string Describe(YamlException e)
    {
        var what = string.IsNullOrWhiteSpace(e.Message) ? e.InnerException?.Message : e.Message;
        if (e.InnerException is { Message: { Length: > 0 } inner } && !string.Equals(inner, what, StringComparison.Ordinal))
        {
            what += " (" + inner + ")";
        }

        return string.IsNullOrWhiteSpace(what) ? "the YAML parser stopped here" : what.Trim();
    }

    /// <summary>One copy of the representation model into config nodes, with its guards.</summary>
    private sealed class Walk(string source)
    {
        private readonly HashSet<YamlNode> _open = new(ReferenceEqualityComparer.Instance);
        private int _values;

        public ConfigNode Convert(YamlNode node, int depth)
        {
            if (depth > MaxDepth)
            {
                throw Stop(node, string.Create(CultureInfo.InvariantCulture, $"values nested more than {MaxDepth} levels deep"));
            }

            if (++_values > MaxValues)
            {
                throw Stop(node, string.Create(CultureInfo.InvariantCulture,
                    $"its aliases expand to more than {MaxValues:N0} values (an anchor repeated inside others many times); the configuration needs a few hundred at most"));
            }

            if (!_open.Add(node))
            {
                throw Stop(node, $"the anchor &{node.Anchor} contains an alias to itself (*{node.Anchor}): it would never end");
            }

            try
            {
                return ConvertOpen(node, depth);
            }
            finally
            {
                _open.Remove(node);
            }
        }

        private ConfigNode ConvertOpen(YamlNode node, int depth)
        {
            var origin = new ConfigOrigin(source, checked((int)node.Start.Line));
            switch (node)
            {
                case YamlMappingNode mapping:
                    var map = new ConfigMap(origin);
                    foreach (var (key, value) in mapping.Children)
                    {
                        var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : Describe(key);
                        var child = Convert(value, depth + 1);

                        // A nested block starts on the line after its key; errors about it name the key's line.
                        child.Origin = new ConfigOrigin(source, checked((int)key.Start.Line));
                        map.Set(name, child);
                    }

                    return map;
                case YamlSequenceNode sequence:
                    return new ConfigSequence(origin, sequence.Children.Select(c => Convert(c, depth + 1)).ToArray());
                case YamlScalarNode scalar:
                    var isNull = scalar.Style == ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");
                    return new ConfigScalar(origin, isNull ? null : scalar.Value);
                default:
                    return new ConfigScalar(origin, Describe(node));
            }
        }

        private static string Describe(YamlNode node) =>
            node is YamlScalarNode { Value: { } value } ? value : "a " + node.NodeType.ToString().ToLowerInvariant() + " used as a key";

        private WalkStopped Stop(YamlNode at, string what) => new(Invalid(source, at.Start, what));
    }

    /// <summary>Unwinds the walk at the first guard that trips; carries the error.</summary>
    private sealed class WalkStopped(ConfigError error) : Exception(error.Message)
    {
        public ConfigError Error { get; } = error;
    }
}
