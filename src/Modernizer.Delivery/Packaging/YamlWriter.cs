using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Delivery.Packaging;

/// <summary>Writes a JSON document as YAML (YamlDotNet). Every string value is double-quoted so that
/// "101", "true" or "0 0 3 * * ?" stay strings when Databricks reads them back.</summary>
public static class YamlWriter
{
    public static string Write(JsonObject document, string? header)
    {
        ArgumentNullException.ThrowIfNull(document);
        var stream = new YamlStream(new YamlDocument(Node(document)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        if (header is not null)
        {
            foreach (var line in header.Split('\n'))
            {
                writer.WriteLine("# " + line);
            }
        }

        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        // YamlStream ends each document with "...": a single-document file does not need it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode Node(JsonNode? node) => node switch
    {
        JsonObject map => new YamlMappingNode(map.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), Node(p.Value)))),
        JsonArray list => new YamlSequenceNode(list.Select(Node)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => new YamlScalarNode(value.GetValue<string>()) { Style = ScalarStyle.DoubleQuoted },
        JsonValue value => new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain },
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        _ => throw new ArgumentException("Unsupported JSON node.", nameof(node)),
    };
}
