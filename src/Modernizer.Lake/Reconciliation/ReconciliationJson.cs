using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Modernizer.Domain.Serialization;

namespace Modernizer.Lake.Reconciliation;

/// <summary>What the configuration hash covers: the key, the options (without the diff path) and
/// the encoding version.</summary>
internal sealed record ConfigHashInput(ImmutableArray<string> Key, ReconcileOptions Options, string Encoding);

/// <summary>Compile-time JSON metadata for the report and the configuration hash: the artifact
/// conventions of <see cref="JsonDefaults"/>, without building serializers by reflection at run
/// time (which costs a standalone <c>modernize reconcile</c> a noticeable part of its run).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReconciliationVerdict))]
[JsonSerializable(typeof(ConfigHashInput))]
[JsonSerializable(typeof(ImmutableArray<MismatchClassification>))]
[JsonSerializable(typeof(ImmutableArray<string>))]
internal sealed partial class ReconciliationJsonContext : JsonSerializerContext;

internal static class ReconciliationJson
{
    /// <summary><see cref="JsonDefaults.Artifact"/> served by the generated metadata.</summary>
    public static JsonSerializerOptions Artifact { get; } = Generated(JsonDefaults.Artifact);

    /// <summary><see cref="JsonDefaults.Compact"/> served by the generated metadata.</summary>
    public static JsonSerializerOptions Compact { get; } = Generated(JsonDefaults.Compact);

    private static JsonSerializerOptions Generated(JsonSerializerOptions conventions)
    {
        var options = new JsonSerializerOptions(conventions)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(ReconciliationJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }
}
