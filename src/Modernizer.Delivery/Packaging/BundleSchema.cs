using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Modernizer.Delivery.Packaging;

/// <summary>Validates the fields Modernizer writes into <c>databricks.yml</c> against the embedded subset
/// of the documented bundle schema (<c>Packaging/bundle-schema.json</c>). Errors name the field's path.</summary>
public static class BundleSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    public static ImmutableArray<string> Validate(JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var document = JsonDocument.Parse(bundle.ToJsonString());
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? []).Append(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{Location(d.InstanceLocation.ToString())}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "(root)" : pointer.TrimStart('/').Replace('/', '.');

    private static JsonSchema Load()
    {
        using var stream = typeof(BundleSchema).Assembly.GetManifestResourceStream("Modernizer.Delivery.bundle-schema.json")
            ?? throw new InvalidOperationException("The embedded bundle schema is missing from the build.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
