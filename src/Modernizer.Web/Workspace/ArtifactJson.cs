using System.Globalization;
using System.Text.Json;

namespace Modernizer.Web.Workspace;

/// <summary>Tolerant reads of artifact JSON: artifacts are written by roles built in parallel, so a
/// missing or differently typed field reads as absent (rendered as "—"), never as an exception.</summary>
public static class ArtifactJson
{
    public static JsonElement? Get(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement? Get(this JsonElement? element, string name) => element?.Get(name);

    public static string? Str(this JsonElement? element, string name) => Text(element.Get(name));

    public static string? Str(this JsonElement element, string name) => Text(element.Get(name));

    public static double? Num(this JsonElement? element, string name) => Number(element.Get(name));

    public static double? Num(this JsonElement element, string name) => Number(element.Get(name));

    public static bool? Bool(this JsonElement? element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    public static bool? Bool(this JsonElement element, string name) => ((JsonElement?)element).Bool(name);

    public static IReadOnlyList<JsonElement> Arr(this JsonElement? element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToArray() : [];

    public static IReadOnlyList<JsonElement> Arr(this JsonElement element, string name) => ((JsonElement?)element).Arr(name);

    /// <summary>The properties of an object field, in file order.</summary>
    public static IReadOnlyList<(string Name, JsonElement Value)> Props(this JsonElement? element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Object } obj ? obj.EnumerateObject().Select(p => (p.Name, p.Value)).ToArray() : [];

    public static IReadOnlyList<(string Name, JsonElement Value)> Props(this JsonElement element, string name) => ((JsonElement?)element).Props(name);

    /// <summary>Strings of an array field (other values as their text).</summary>
    public static IReadOnlyList<string> Strs(this JsonElement element, string name) =>
        element.Arr(name).Select(Text).Where(t => t is not null).Select(t => t!).ToArray();

    public static IReadOnlyList<string> Strs(this JsonElement? element, string name) => element is { } e ? e.Strs(name) : [];

    public static string? Text(JsonElement value) => Text((JsonElement?)value);

    /// <summary>Any scalar as invariant text; arrays and objects as compact JSON; null as null.</summary>
    public static string? Text(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.Value.GetString(),
        JsonValueKind.Number => value.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.Value.GetRawText(),
    };

    public static double? Number(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.Number => value.Value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
