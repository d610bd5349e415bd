using System.Globalization;
using System.Text;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Rewriting;

/// <summary><c>rewrite.md</c>: the rewrite for a reviewer — each legacy construct beside the SQL that
/// replaces it, the assumptions taken, every attempt and the reconciliation.</summary>
public static class RewriteReview
{
    public static string Render(JobId job, RewriteResult result, RewriteLayout layout, string codeFolder)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(layout);
        var text = new StringBuilder();
        Line(text, $"# Rewrite of {job}");
        Line(text, string.Empty);
        Line(text, $"**Status: {result.Status.ToString().ToLowerInvariant()}** — {result.Message}");
        Line(text, string.Empty);
        Line(text, $"Iterative findings: {result.LoopsBefore} in the legacy code, {(result.Program is null ? "—" : result.LoopsAfter.ToString(CultureInfo.InvariantCulture))} in the rewrite.");
        if (result.Hash is { } hash)
        {
            Line(text, $"Rewrite hash: `{hash}`; the deliverable is `{Path.GetFileName(layout.SparkSql)}`.");
        }

        if (!result.Refusals.IsDefaultOrEmpty)
        {
            Line(text, string.Empty);
            Line(text, "## Not lifted");
            Line(text, "Constructs the rewriter could not reproduce exactly (a human or the model path decides):");
            foreach (var refusal in result.Refusals)
            {
                Line(text, $"- `{refusal.File}:{refusal.Line}` — {refusal.Reason}");
            }
        }

        if (result.Program is { } program)
        {
            Line(text, string.Empty);
            Line(text, "## Legacy and rewrite, side by side");
            foreach (var pattern in program.Patterns)
            {
                Line(text, string.Empty);
                Line(text, $"### {pattern.Rule} `{pattern.File}:{pattern.LineStart}-{pattern.LineEnd}` — {pattern.Description}");
                Line(text, string.Empty);
                Line(text, "| Legacy | Rewrite |");
                Line(text, "|---|---|");
                Line(text, $"| {Cell(Excerpt(codeFolder, pattern.File, pattern.LineStart, pattern.LineEnd))} | {Cell(pattern.Sql)} |");
            }

            Line(text, string.Empty);
            Line(text, "## Assumptions");
            if (program.Assumptions.IsEmpty)
            {
                Line(text, "None: the legacy code fixes every meaning the rewrite depends on.");
            }

            foreach (var a in program.Assumptions)
            {
                Line(text, string.Create(CultureInfo.InvariantCulture,
                    $"- `{a.Id}` ({a.Confidence:P0}, `{a.File}:{a.Line}`): {a.Statement}{(a.Alternative is null ? string.Empty : $" Alternative: `{a.Alternative}`{(a.Parameter is null ? string.Empty : $" (option `{a.Parameter}`)")}.")}"));
            }
        }

        if (!result.Attempts.IsDefaultOrEmpty)
        {
            Line(text, string.Empty);
            Line(text, "## Attempts");
            Line(text, "| # | Interpretation | Outcome | Match rate | Detail |");
            Line(text, "|---|---|---|---|---|");
            foreach (var a in result.Attempts)
            {
                var choices = a.Choices.IsEmpty ? "as stated" : string.Join(", ", a.Choices.Select(c => $"{c.Key}={c.Value}"));
                Line(text, string.Create(CultureInfo.InvariantCulture, $"| {a.Number} | {Cell(choices)} | {a.Outcome} | {a.MatchRate?.ToString("0.######", CultureInfo.InvariantCulture) ?? "—"} | {Cell(a.Detail)} |"));
            }
        }

        if (!result.Checks.IsDefaultOrEmpty)
        {
            Line(text, string.Empty);
            Line(text, "## Reconciliation against the legacy output");
            Line(text, "| Target | Legacy version | Inputs read | Rows (legacy / rewrite / matched) | Verdict |");
            Line(text, "|---|---|---|---|---|");
            foreach (var c in result.Checks)
            {
                var inputs = string.Join(", ", c.Inputs.Select(i => $"{i.Table}@{(i.Version is { } v ? v.ToString(CultureInfo.InvariantCulture) : "empty")}"));
                Line(text, string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Table} | {c.BaselineVersion?.ToString(CultureInfo.InvariantCulture) ?? "—"} | {inputs} | {c.Verdict.Rows.Baseline} / {c.Verdict.Rows.Candidate} / {c.Verdict.Rows.Matched} | {c.Verdict.Status.ToString().ToLowerInvariant()} ({c.Verdict.MatchRate?.ToString("0.######", CultureInfo.InvariantCulture) ?? "—"}) |"));
            }

            if (result.Checks.Any(c => c.Runner is not null))
            {
                Line(text, string.Empty);
                Line(text, "## Reconciliation against the legacy runner on the same inputs");
                Line(text, "| Target | Rows (runner / rewrite / matched) | Verdict |");
                Line(text, "|---|---|---|");
                foreach (var c in result.Checks.Where(c => c.Runner is not null))
                {
                    Line(text, c.Runner!.Verdict is { } v
                        ? string.Create(CultureInfo.InvariantCulture,
                            $"| {c.Table} | {v.Rows.Baseline} / {v.Rows.Candidate} / {v.Rows.Matched} | {v.Status.ToString().ToLowerInvariant()} ({v.MatchRate?.ToString("0.######", CultureInfo.InvariantCulture) ?? "—"}) |")
                        : $"| {c.Table} | — | no verdict: {Cell(c.Runner.Error ?? string.Empty)} |");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The legacy lines of a construct; code is shown as data, never interpreted.</summary>
    private static string Excerpt(string codeFolder, string file, int from, int to)
    {
        var root = Path.GetFullPath(codeFolder);
        var path = Path.GetFullPath(Path.Combine(root, file));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path) || from < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{file} lines {from}-{to}");
        }

        var lines = File.ReadLines(path).Skip(from - 1).Take(Math.Clamp(to - from + 1, 1, 60)).ToArray();
        return string.Join('\n', lines);
    }

    private static string Cell(string value) =>
        "<pre>" + System.Net.WebUtility.HtmlEncode(value.Trim()).Replace("|", "&#124;", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal) + "</pre>";

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
