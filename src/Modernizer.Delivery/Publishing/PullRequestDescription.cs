using System.Globalization;
using System.Text;
using Modernizer.Delivery.Analysis;
using Modernizer.Delivery.Inputs;
using Modernizer.Delivery.Rewrites;

namespace Modernizer.Delivery.Publishing;

/// <summary>The pull request a reviewer reads (R5.1): what changed, the reconciliation summary (and
/// whether it ran on this very rewrite), the test results, the static-analysis findings, the open
/// assumptions and the job's decision-log extract. Plain Markdown, deterministic for the same inputs.</summary>
public static class PullRequestDescription
{
    private const int MaxFindings = 25;
    private const int MaxDecisions = 25;

    public static string Title(RewriteManifest rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        return $"Modernize {rewrite.Job}: set-based Spark SQL rewrite ({rewrite.CurrentHash[..12]})";
    }

    public static string Body(RewriteManifest rewrite, JobEvidence evidence, string bundlePath)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        ArgumentNullException.ThrowIfNull(evidence);
        var inv = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(inv, $"Replaces the legacy job **{rewrite.Job}** with its set-based rewrite, packaged as a Databricks Asset Bundle in `{bundlePath}`.");
        b.AppendLine();
        b.AppendLine(inv, $"- Rewrite hash: `{rewrite.CurrentHash}`");
        b.AppendLine(inv, $"- Rewrite status: {rewrite.Status}; loops over rows before → after: {N(rewrite.LoopsBefore)} → {N(rewrite.LoopsAfter)}");
        b.AppendLine(inv, $"- Targets: {string.Join(", ", rewrite.Targets.Select(t => $"`{t.Table}` ({t.Mode}{(t.PartitionBy.IsDefaultOrEmpty ? string.Empty : ", partitioned by " + string.Join(", ", t.PartitionBy))})"))}");
        b.AppendLine();

        b.AppendLine("## Reconciliation");
        if (evidence.Reconciliation is { } r)
        {
            var same = r.RewriteHash == rewrite.CurrentHash;
            var rate = Percent.Of(r.MatchRate);
            var which = same ? "it ran on this rewrite (same hash)." : $"**it ran on another version of the rewrite** (`{r.RewriteHash ?? "no hash"}`): it must run again before promotion.";
            b.AppendLine($"**{r.Status}** at a match rate of **{rate}**; {which}");
            if (!r.Rows.IsEmpty)
            {
                b.AppendLine();
                b.AppendLine("| rows | count |");
                b.AppendLine("|---|---:|");
                foreach (var (name, count) in r.Rows)
                {
                    b.AppendLine(inv, $"| {name} | {count} |");
                }
            }

            var mismatched = r.Columns.Where(c => c.Mismatches > 0).ToList();
            b.AppendLine();
            b.AppendLine(mismatched.Count == 0
                ? "Every column matches."
                : "Columns with mismatches: " + string.Join(", ", mismatched.Select(c => $"`{c.Column}` ({c.Mismatches})")));
        }
        else
        {
            b.AppendLine("No reconciliation report yet: the job cannot be promoted to production.");
        }

        b.AppendLine();
        b.AppendLine("## Tests");
        if (evidence.Tests is { } t)
        {
            b.AppendLine(inv, $"{t.Passed} passed, {t.Failed} failed ({t.Cases.Length} cases).");
            foreach (var failed in t.Cases.Where(c => c.Status == "failed").Take(10))
            {
                b.AppendLine(inv, $"- failed: `{failed.Id}`");
            }
        }
        else
        {
            b.AppendLine("No test results yet (tests/results.json).");
        }

        b.AppendLine();
        b.AppendLine("## Static analysis");
        if (evidence.Validation is { } v)
        {
            b.AppendLine(inv, $"{(v.Blocking ? "**Blocking**" : "Clean")}: {v.Count(Severity.Error)} error(s), {v.Count(Severity.Warning)} warning(s), {v.Count(Severity.Info)} note(s). Tools: {string.Join(", ", v.Tools.Select(x => $"{x.Tool} ({x.Status})"))}.");
            if (!v.Findings.IsEmpty)
            {
                b.AppendLine();
                b.AppendLine("| severity | tool | rule | where | message |");
                b.AppendLine("|---|---|---|---|---|");
                foreach (var f in v.Findings.Take(MaxFindings))
                {
                    b.AppendLine(inv, $"| {f.Severity.ToString().ToLowerInvariant()} | {f.Tool} | {f.Rule} | `{f.File}{(f.Line is { } line ? ":" + line.ToString(inv) : string.Empty)}` | {Cell(f.Message)} |");
                }

                if (v.Findings.Length > MaxFindings)
                {
                    b.AppendLine(inv, $"\n…and {v.Findings.Length - MaxFindings} more in `validation.json`.");
                }
            }
        }
        else
        {
            b.AppendLine("Static analysis has not run on this rewrite.");
        }

        b.AppendLine();
        b.AppendLine("## Open assumptions");
        if (rewrite.Assumptions.IsEmpty)
        {
            b.AppendLine("None.");
        }
        else
        {
            b.AppendLine("| id | assumption | confidence | alternative | switch |");
            b.AppendLine("|---|---|---:|---|---|");
            foreach (var a in rewrite.Assumptions)
            {
                b.AppendLine(inv, $"| {a.Id} | {Cell(a.Statement)} | {(a.Confidence is { } c ? Percent.Of(c, 0) : "-")} | {Cell(a.Alternative ?? "-")} | {(a.Parameter is null ? "-" : $"`:{a.Parameter}`")} |");
            }
        }

        b.AppendLine();
        b.AppendLine("## Decision log (this job)");
        if (evidence.Decisions.IsEmpty)
        {
            b.AppendLine("No decisions logged for this job yet.");
        }
        else
        {
            b.AppendLine("| seq | stage | role | decision | outcome | rule | rationale |");
            b.AppendLine("|---:|---|---|---|---|---|---|");
            foreach (var d in evidence.Decisions.TakeLast(MaxDecisions))
            {
                b.AppendLine(inv, $"| {d.Seq} | {d.Stage} | {d.Role} | {d.Kind} | {d.Outcome} | {d.Rule} | {Cell(d.Rationale)} |");
            }
        }

        b.AppendLine();
        b.AppendLine("---");
        b.AppendLine("Written by Modernizer. Promotion to production is decided by gates in code (reconciliation on this rewrite hash, tests, static analysis, approved escalations, this pull request merged), never by a model.");
        return b.ToString();
    }

    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string Cell(string text)
    {
        var flat = text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
        return flat.Length > 200 ? flat[..197] + "..." : flat;
    }
}
