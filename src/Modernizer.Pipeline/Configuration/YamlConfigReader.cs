using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Pipeline.Configuration;

/// <summary>Reads <c>modernize.yaml</c> into a <see cref="ConfigNode"/> tree with line numbers.</summary>
internal static class YamlConfigReader
{
    public static ConfigMap Read(string text, string source, List<ConfigError> errors)
    {
        var root = new ConfigMap(new ConfigOrigin(source, 1));
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(source, checked((int)e.Start.Line), "(document)", "is not valid YAML: " + e.InnerException?.Message ?? e.Message));
            return root;
        }

        if (stream.Documents.Count == 0)
        {
            return root;
        }

        var node = Convert(stream.Documents[0].RootNode, source);
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

    private static ConfigNode Convert(YamlNode node, string source)
    {
        var origin = new ConfigOrigin(source, checked((int)node.Start.Line));
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new ConfigMap(origin);
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : key.ToString();
                    var child = Convert(value, source);

                    // A nested block starts on the line after its key; errors about it name the key's line.
                    child.Origin = new ConfigOrigin(source, checked((int)key.Start.Line));
                    map.Set(name, child);
                }

                return map;
            case YamlSequenceNode sequence:
                return new ConfigSequence(origin, sequence.Children.Select(c => Convert(c, source)).ToArray());
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");
                return new ConfigScalar(origin, isNull ? null : scalar.Value);
            default:
                return new ConfigScalar(origin, node.ToString());
        }
    }
}
