using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Domain.Serialization;

namespace Modernizer.Lake.Reconciliation;

/// <summary>Writes <c>reconciliation.json</c> (the verdict with the docs/workspace.md fields, plus the
/// routing when known) and <c>reconciliation.html</c>, a self-contained view of the same JSON.
/// Both are written atomically; every data value in the HTML is escaped.</summary>
public static class ReconciliationReportWriter
{
    public static JsonObject ToJson(ReconciliationVerdict verdict, RoutingResult? routing = null)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var json = JsonSerializer.SerializeToNode(verdict, ReconciliationJson.Artifact)!.AsObject();
        json["routing"] = routing is null ? null : new JsonObject
        {
            ["route"] = routing.Route.ToString().ToLowerInvariant(),
            ["outcome"] = routing.Decision.Outcome.ToString().ToLowerInvariant(),
            ["rule"] = routing.Decision.Rule,
            ["rationale"] = routing.Decision.Rationale,
            ["escalation"] = routing.Escalation is null ? null : new JsonObject
            {
                ["kind"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(routing.Escalation.Kind.ToString()),
                ["summary"] = routing.Escalation.Summary,
            },
            ["classifications"] = JsonSerializer.SerializeToNode(routing.Classifications, ReconciliationJson.Artifact),
            ["sensitive_columns_affected"] = JsonSerializer.SerializeToNode(routing.SensitiveColumnsAffected, ReconciliationJson.Artifact),
        };
        return json;
    }

    /// <summary>Writes the JSON report and returns the SHA-256 of its bytes.</summary>
    public static Task<string> WriteJsonAsync(string path, ReconciliationVerdict verdict, RoutingResult? routing, CancellationToken cancellationToken) =>
        WriteJsonAsync(path, verdict, routing, null, cancellationToken);

    /// <param name="rewriteHash">The hash of the rewrite whose output was reconciled: promotion refuses a
    /// rewrite other than the one reconciled (R5.1).</param>
    public static async Task<string> WriteJsonAsync(string path, ReconciliationVerdict verdict, RoutingResult? routing, string? rewriteHash, CancellationToken cancellationToken)
    {
        var json = ToJson(verdict, routing);
        if (rewriteHash is not null)
        {
            json["rewrite_hash"] = rewriteHash;
        }

        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString(ReconciliationJson.Artifact));
        await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    public static Task WriteHtmlAsync(string path, ReconciliationVerdict verdict, RoutingResult? routing, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, RenderHtml(verdict, routing), cancellationToken);

    public static string RenderHtml(ReconciliationVerdict verdict, RoutingResult? routing = null)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reconciliation: ")
            .Append(E(verdict.Candidate.Path)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
            .Append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top;font-size:.9em}")
            .Append(".match{color:#1a7f37}.mismatch,.error{color:#cf222e}.bar{background:#eee;width:16em;height:.9em;display:inline-block}")
            .Append(".fill{background:#1a7f37;height:100%}.low .fill{background:#cf222e}.diff{background:#ffebe9;font-weight:600}")
            .Append(".null{color:#888;font-style:italic}code{font-size:.9em}</style></head><body>");
        var status = verdict.Status.ToString().ToLowerInvariant();
        h.Append("<h1>Reconciliation <span class=\"").Append(status).Append("\">").Append(status).Append("</span></h1>");
        h.Append("<table><tr><th>Baseline</th><td>").Append(E(verdict.Baseline.Path)).Append(" (").Append(E(verdict.Baseline.Format))
            .Append(verdict.Baseline.Version is long bv ? ", version " + bv.ToString(CultureInfo.InvariantCulture) : "").Append(")</td></tr>");
        h.Append("<tr><th>Candidate</th><td>").Append(E(verdict.Candidate.Path)).Append(" (").Append(E(verdict.Candidate.Format))
            .Append(verdict.Candidate.Version is long cv ? ", version " + cv.ToString(CultureInfo.InvariantCulture) : "").Append(")</td></tr>");
        h.Append("<tr><th>Match rate</th><td>").Append(Pct(verdict.MatchRate)).Append(" exact");
        if (verdict.Waived is { } w)
        {
            h.Append(", ").Append(Pct(w.MatchRate)).Append(" with declared waivers (").Append(w.Status.ToString().ToLowerInvariant()).Append(')');
        }

        h.Append("</td></tr><tr><th>Mode</th><td>").Append(E(verdict.Mode?.ToString().ToLowerInvariant() ?? "-"))
            .Append(", key ").Append(verdict.Key.IsEmpty ? "none" : E(string.Join(", ", verdict.Key)))
            .Append(" (").Append(E(verdict.KeySource?.ToString().ToLowerInvariant() ?? "-")).Append(")</td></tr>");
        h.Append("<tr><th>Engine</th><td>").Append(E($"{verdict.Engine.Name} {verdict.Engine.Version} ({verdict.Engine.Dialect}), encoding {verdict.EncodingVersion}"))
            .Append("</td></tr><tr><th>Float policy</th><td>NaN equals NaN: ").Append(verdict.FloatPolicy.NanEqualsNan ? "yes" : "no")
            .Append("; -0.0 equals 0.0: ").Append(verdict.FloatPolicy.NegativeZeroEqualsZero ? "yes" : "no").Append("</td></tr>");
        h.Append("<tr><th>Config hash</th><td><code>").Append(E(verdict.ConfigHash)).Append("</code></td></tr>");
        if (verdict.Error is not null)
        {
            h.Append("<tr><th>Error</th><td class=\"error\">").Append(E(verdict.Error)).Append("</td></tr>");
        }

        if (routing is not null)
        {
            h.Append("<tr><th>Route</th><td><b>").Append(E(routing.Route.ToString().ToLowerInvariant())).Append("</b> (").Append(E(routing.Decision.Rule))
                .Append(")<br>").Append(E(routing.Decision.Rationale)).Append("</td></tr>");
        }

        h.Append("</table>");

        var r = verdict.Rows;
        h.Append("<h2>Rows</h2><table><tr><th>baseline</th><th>candidate</th><th>matched</th><th>changed</th><th>missing in candidate</th><th>extra in candidate</th><th>duplicate keys</th><th>null keys (b / c)</th></tr><tr>");
        foreach (var n in new[] { r.Baseline, r.Candidate, r.Matched, r.Changed, r.MissingInCandidate, r.ExtraInCandidate, r.DuplicateKeys })
        {
            h.Append("<td>").Append(N(n)).Append("</td>");
        }

        h.Append("<td>").Append(N(r.NullKeysBaseline)).Append(" / ").Append(N(r.NullKeysCandidate)).Append("</td></tr></table>");

        h.Append("<h2>Columns</h2><table><tr><th>column</th><th>match rate</th><th></th><th>mismatches</th><th>beyond waivers</th><th>baseline type</th><th>candidate type</th><th>notes</th></tr>");
        foreach (var c in verdict.Columns)
        {
            var rate = c.MatchRate ?? 1.0;
            h.Append("<tr><td>").Append(E(c.Name)).Append("</td><td>").Append(Pct(c.MatchRate)).Append("</td><td><span class=\"bar")
                .Append(rate < 1.0 ? " low" : "").Append("\"><div class=\"fill\" style=\"width:")
                .Append((rate * 100).ToString("0.##", CultureInfo.InvariantCulture)).Append("%\"></div></span></td><td>")
                .Append(N(c.Mismatches)).Append("</td><td>").Append(N(c.WaivedMismatches)).Append("</td><td>").Append(E(c.BaselineType ?? "-"))
                .Append("</td><td>").Append(E(c.CandidateType ?? "-")).Append("</td><td>");
            var notes = new List<string>();
            if (!c.Compared)
            {
                notes.Add(c.BaselineType is null ? "only in candidate" : "missing in candidate");
            }

            if (c.Nondeterministic)
            {
                notes.Add("nondeterministic in legacy runs");
            }

            if (c.NullsIntroduced > 0)
            {
                notes.Add($"{N(c.NullsIntroduced)} nulls introduced");
            }

            if (c.NullsFilled > 0)
            {
                notes.Add($"{N(c.NullsFilled)} nulls filled");
            }

            h.Append(E(string.Join("; ", notes))).Append("</td></tr>");
        }

        h.Append("</table>");
        AppendSchema(h, verdict);
        AppendSamples(h, verdict);
        if (!verdict.Waivers.IsEmpty || !verdict.Notes.IsEmpty)
        {
            h.Append("<h2>Waivers and notes</h2><ul>");
            foreach (var waiver in verdict.Waivers)
            {
                h.Append("<li>waiver ").Append(E(waiver.ToString())).Append(": ").Append(E(waiver.Reason)).Append("</li>");
            }

            foreach (var note in verdict.Notes)
            {
                h.Append("<li>").Append(E(note)).Append("</li>");
            }

            h.Append("</ul>");
        }

        if (verdict.DiffPath is not null)
        {
            h.Append("<p>Full diff: <code>").Append(E(verdict.DiffPath)).Append("</code></p>");
        }

        return h.Append("</body></html>").ToString();
    }

    private static void AppendSchema(StringBuilder h, ReconciliationVerdict verdict)
    {
        if (verdict.SchemaDiff is not { } s)
        {
            return;
        }

        h.Append("<h2>Schema</h2><table>");
        Row(h, "missing in candidate", string.Join(", ", s.MissingInCandidate));
        Row(h, "extra in candidate", string.Join(", ", s.ExtraInCandidate));
        Row(h, "type differences", string.Join("; ", s.TypeDifferences.Select(t => $"{t.Name}: {t.Baseline} -> {t.Candidate}")));
        Row(h, "nullability differences", string.Join(", ", s.NullabilityDifferences));
        Row(h, "column order", s.ColumnOrderDiffers ? "differs" : "same");
        h.Append("</table>");
    }

    private static void AppendSamples(StringBuilder h, ReconciliationVerdict verdict)
    {
        if (verdict.Samples.IsEmpty)
        {
            return;
        }

        h.Append("<h2>Samples</h2>");
        foreach (var group in verdict.Samples.GroupBy(s => s.Class))
        {
            h.Append("<h3>").Append(E(group.Key.Replace('_', ' '))).Append("</h3>");
            foreach (var sample in group)
            {
                h.Append("<table><tr><th>").Append(sample.Key is { } key ? "key " + E(key.GetRawText()) : sample.Copies is long n ? $"{n.ToString(CultureInfo.InvariantCulture)} cop{(n == 1 ? "y" : "ies")}" : "row")
                    .Append("</th><th>baseline</th><th>candidate</th></tr>");
                var names = Names(sample.Baseline).Concat(Names(sample.Candidate)).Distinct(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    var differs = sample.DifferingColumns.Contains(name, StringComparer.Ordinal);
                    h.Append(differs ? "<tr class=\"diff\">" : "<tr>").Append("<td>").Append(E(name)).Append("</td>")
                        .Append(Cell(sample.Baseline, name)).Append(Cell(sample.Candidate, name)).Append("</tr>");
                }

                h.Append("</table>");
            }
        }
    }

    private static IEnumerable<string> Names(JsonElement? row) =>
        row is { ValueKind: JsonValueKind.Object } o ? o.EnumerateObject().Select(p => p.Name) : [];

    private static string Cell(JsonElement? row, string name)
    {
        if (row is not { ValueKind: JsonValueKind.Object } o)
        {
            return "<td class=\"null\">(no row)</td>";
        }

        if (!o.TryGetProperty(name, out var value))
        {
            return "<td class=\"null\">(no column)</td>";
        }

        return value.ValueKind == JsonValueKind.Null ? "<td class=\"null\">NULL</td>" : "<td>" + E(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()) + "</td>";
    }

    private static void Row(StringBuilder h, string label, string value) =>
        h.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(value.Length == 0 ? "none" : E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

    private static string Pct(double? value) => value?.ToString("0.####%", CultureInfo.InvariantCulture) ?? "-";
}
