using System.Text.Json;
using System.Text.Json.Serialization;
using Modernizer.Domain.Serialization;

namespace Modernizer.Agents.Roles;

/// <summary>The JSON convention of judgments exchanged with a model: the artifact convention (snake_case,
/// enums as strings) with strict numbers (no "NaN" literals) and required constructor parameters, so the
/// schema a model sees is plain and a missing field is a validation error.</summary>
public static class JudgmentJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonDefaults.Compact)
        {
            NumberHandling = JsonNumberHandling.Strict,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
