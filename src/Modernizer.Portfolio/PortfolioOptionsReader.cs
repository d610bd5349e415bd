using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Portfolio;

/// <summary>Maps the tier-1 keys of modernize.yaml onto <see cref="PortfolioOptions"/>:
/// <c>prioritization.weights.{cost,failure,complexity,criticality,difficulty}</c>, <c>prioritization.top_n</c>,
/// <c>compliance_tags</c>, <c>escalation.cost_discrepancy_usd_per_month</c>, <c>escalation.top_n_metadata</c>.
/// Missing keys keep their defaults.</summary>
public static class PortfolioOptionsReader
{
    public static async Task<PortfolioOptions> ReadAsync(string configFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(configFile))
        {
            return PortfolioOptions.Default;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(await File.ReadAllTextAsync(configFile, cancellationToken)));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{configFile}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
        {
            return PortfolioOptions.Default;
        }

        var options = PortfolioOptions.Default;
        var defaults = options.Weights;
        options = options with
        {
            Weights = new PriorityWeights(
                Number(root, "prioritization", "weights", "cost") ?? defaults.Cost,
                Number(root, "prioritization", "weights", "failure") ?? defaults.Failure,
                Number(root, "prioritization", "weights", "complexity") ?? defaults.Complexity,
                Number(root, "prioritization", "weights", "criticality") ?? defaults.Criticality,
                Number(root, "prioritization", "weights", "difficulty") ?? defaults.Difficulty),
            TopN = (int?)Number(root, "prioritization", "top_n") ?? options.TopN,
            TopNMetadata = (int?)Number(root, "escalation", "top_n_metadata") ?? options.TopNMetadata,
            CostDiscrepancyUsdPerMonth = Number(root, "escalation", "cost_discrepancy_usd_per_month") is { } usd ? (decimal)usd : options.CostDiscrepancyUsdPerMonth,
        };
        if (Node(root, "compliance_tags") is YamlSequenceNode tags)
        {
            options = options with { ComplianceTags = [.. tags.Children.OfType<YamlScalarNode>().Select(t => t.Value ?? "").Where(t => t.Length > 0)] };
        }

        return options;
    }

    private static YamlNode? Node(YamlMappingNode root, params string[] path)
    {
        YamlNode? node = root;
        foreach (var key in path)
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        }

        return node;
    }

    private static double? Number(YamlMappingNode root, params string[] path) =>
        Node(root, path) is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
