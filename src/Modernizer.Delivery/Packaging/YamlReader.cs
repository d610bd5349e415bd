using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Delivery.Packaging;

/// <summary>Reads a YAML document (the bundle's databricks.yml) as JSON: quoted scalars are strings,
/// plain ones numbers or booleans when they read as such.</summary>
public static class YamlReader
{
    public static JsonObject Read(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new DeliveryException($"{source}:{e.Start.Line}: not valid YAML ({e.Message})", e);
        }

        return stream.Documents.Count > 0 && Node(stream.Documents[0].RootNode) is JsonObject root ? root : throw new DeliveryException($"{source}: not a YAML mapping");
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value ?? string.Empty, Node(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Node)]),
        YamlScalarNode { Style: ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted } s => JsonValue.Create(s.Value),
        YamlScalarNode { Value: "null" or "~" or null } => null,
        YamlScalarNode { Value: "true" } => JsonValue.Create(true),
        YamlScalarNode { Value: "false" } => JsonValue.Create(false),
        YamlScalarNode s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new ArgumentException("Unsupported YAML node.", nameof(node)),
    };
}
