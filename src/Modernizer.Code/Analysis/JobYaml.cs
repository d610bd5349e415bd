using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Code.Analysis;

/// <summary>Reads <c>parameters</c> (widget name → default) from a job's job.yaml.</summary>
internal static class JobYaml
{
    public static async Task<ImmutableDictionary<string, string>> ReadParametersAsync(string path, List<AnalysisProblem> problems, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
                || !root.Children.TryGetValue(new YamlScalarNode("parameters"), out var node) || node is not YamlMappingNode parameters)
            {
                return ImmutableDictionary<string, string>.Empty;
            }

            var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in parameters.Children)
            {
                if (key is YamlScalarNode name && value is YamlScalarNode scalar && scalar.Value is { } text0 && !(scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && text0 is "null" or "~"))
                {
                    builder[name.Value ?? string.Empty] = text0;
                }
            }

            return builder.ToImmutable();
        }
        catch (YamlDotNet.Core.YamlException error)
        {
            problems.Add(new AnalysisProblem("job.yaml", (int)error.Start.Line, (int)error.Start.Column, "invalid YAML: " + error.Message.ToString(CultureInfo.InvariantCulture)) { Kind = ProblemKinds.Configuration });
            return ImmutableDictionary<string, string>.Empty;
        }
    }
}
