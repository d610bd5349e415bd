using System.Globalization;
using System.Net;
using System.Text;
using Modernizer.Domain.Serialization;

namespace Modernizer.Lake.Profiling;

/// <summary>Writes profile.json (docs/workspace.md fields, snake_case) and profile.md (a table per
/// column and small inline-SVG histograms), each atomically.</summary>
public static class ProfileWriter
{
    public static async Task<string> WriteJsonAsync(TableProfile profile, string path, CancellationToken cancellationToken) =>
        await AtomicFile.WriteJsonAsync(path, profile, cancellationToken);

    public static Task WriteMarkdownAsync(TableProfile profile, string path, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, Markdown(profile), cancellationToken);

    public static string Markdown(TableProfile profile)
    {
        var md = new StringBuilder();
        var version = profile.Version is { } v ? " at version " + v.ToString(CultureInfo.InvariantCulture) : string.Empty;
        md.Append("# Profile of `").Append(profile.Table).Append('`').Append(version).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{profile.Format} table: {profile.Rows:N0} rows, {profile.Files:N0} files, {profile.Bytes:N0} bytes; profiled with {profile.Engine} {profile.EngineVersion}.\n\n");
        md.Append("Distinct counts marked ≈ are approximate; quantiles are approximate.\n\n");
        md.Append("| column | type | non-null | null rate | distinct | min | max | mean | stddev | p25 / p50 / p75 | histogram |\n");
        md.Append("|---|---|---:|---:|---:|---|---|---:|---:|---|---|\n");
        foreach (var c in profile.Columns)
        {
            var distinct = c.Distinct is { } d ? (c.DistinctExact == false ? "≈" : string.Empty) + d.ToString("N0", CultureInfo.InvariantCulture) : string.Empty;
            var quantiles = c.Quantiles.Count == 0 ? string.Empty : string.Join(" / ", c.Quantiles.Values.Select(Cell));
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(c.Name)} | {Escape(c.Type)} | {c.Count:N0} | {c.NullRate:P1} | {distinct} | {Cell(c.Min)} | {Cell(c.Max)} | {Cell(c.Mean)} | {(c.Stddev is { } sd ? sd.ToString("G6", CultureInfo.InvariantCulture) : string.Empty)} | {quantiles} | {Svg(c.Histogram)} |\n");
        }

        var withTop = profile.Columns.Where(c => !c.TopValues.IsEmpty).ToList();
        if (withTop.Count > 0)
        {
            md.Append("\n## Top values\n\n| column | values (count) |\n|---|---|\n");
            foreach (var c in withTop)
            {
                md.Append("| ").Append(Escape(c.Name)).Append(" | ")
                    .AppendJoin(", ", c.TopValues.Select(t => Cell(t.Value) + " (" + t.Count.ToString("N0", CultureInfo.InvariantCulture) + ")"))
                    .Append(" |\n");
            }
        }

        return md.ToString();
    }

    private static string Cell(System.Text.Json.Nodes.JsonNode? node) => node is null ? "null" : Escape(node.ToJsonString().Trim('"'));

    private static string Escape(string text) => WebUtility.HtmlEncode(text).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>A 100×24 bar chart, one bar per bin.</summary>
    private static string Svg(Histogram? histogram)
    {
        if (histogram is null || histogram.Counts.IsEmpty)
        {
            return string.Empty;
        }

        var max = Math.Max(1, histogram.Counts.Max());
        var width = 100.0 / histogram.Counts.Length;
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"24\" viewBox=\"0 0 100 24\">");
        for (var i = 0; i < histogram.Counts.Length; i++)
        {
            var h = 24.0 * histogram.Counts[i] / max;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * width:0.##}\" y=\"{24 - h:0.##}\" width=\"{Math.Max(width - 1, 0.5):0.##}\" height=\"{h:0.##}\" fill=\"#4a78b5\"/>");
        }

        return svg.Append("</svg>").ToString();
    }
}
