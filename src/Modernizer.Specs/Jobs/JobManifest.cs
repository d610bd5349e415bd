using System.Collections.Immutable;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Specs.Jobs;

/// <summary>A job's optional <c>job.yaml</c> (docs/workspace.md): name, schedule, owner, tags, parameter
/// defaults. A missing file is an empty manifest; a malformed one is an error naming the file.</summary>
public sealed record JobManifest(
    string? Name,
    string? Schedule,
    string? Owner,
    ImmutableArray<string> Tags,
    ImmutableSortedDictionary<string, string?> Parameters,
    string? Description)
{
    public static JobManifest Empty { get; } = new(null, null, null, [], ImmutableSortedDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal), null);

    public static async Task<JobManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}: not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Empty;
        }

        var parameters = ImmutableSortedDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        if (Child(root, "parameters") is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                parameters[((YamlScalarNode)key).Value ?? string.Empty] = value is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;
            }
        }

        var tags = Child(root, "tags") switch
        {
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).Where(s => s.Length > 0).ToImmutableArray(),
            YamlScalarNode scalar when scalar.Value is { Length: > 0 } v => [.. v.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => ImmutableArray<string>.Empty,
        };
        return new JobManifest(Scalar(root, "name"), Scalar(root, "schedule"), Scalar(root, "owner"), tags, parameters.ToImmutable(), Scalar(root, "description"));
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "null" or "~";
}
