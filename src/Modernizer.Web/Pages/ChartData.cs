using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modernizer.Web.Pages;

/// <summary>What a chart shows, serialized into the canvas's <c>data-chart</c> attribute (HTML-encoded
/// like every attribute) and drawn by <c>charts.js</c> with the vendored Chart.js; labels are
/// workspace text and Chart.js draws them on a canvas as text, never as markup.</summary>
public sealed record ChartData(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("labels")] ImmutableArray<string> Labels,
    [property: JsonPropertyName("series")] ImmutableArray<ChartSeries> Series)
{
    [JsonPropertyName("horizontal")]
    public bool Horizontal { get; init; }

    [JsonPropertyName("x_title")]
    public string? XTitle { get; init; }

    [JsonPropertyName("y_title")]
    public string? YTitle { get; init; }

    [JsonPropertyName("percent")]
    public bool Percent { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static ChartData Bar(IEnumerable<string> labels, string series, IEnumerable<double> values) =>
        new("bar", [.. labels], [new ChartSeries(series, [.. values])]);

    public static ChartData Line(IEnumerable<string> labels, string series, IEnumerable<double> values) =>
        new("line", [.. labels], [new ChartSeries(series, [.. values])]);
}

public sealed record ChartSeries(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("data")] ImmutableArray<double> Data);
