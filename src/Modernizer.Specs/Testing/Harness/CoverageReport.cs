using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Specs.Testing.Harness;

/// <summary>One coverage goal in the report: reached by which cases, or why it cannot be.</summary>
public sealed record GoalCoverage(string Goal, string Site, string Kind, string Description, bool? Reached, ImmutableArray<string> Cases, string? NotApplicable);

/// <summary>tests/coverage.json (and coverage.md): which plan goals the cases reach, which are not applicable
/// and why, which cases have expected rows from the legacy side and which are expected unknown.</summary>
public sealed record CoverageReport(
    string JobId,
    int Goals,
    int Applicable,
    int Reached,
    int Unreached,
    int Cases,
    int Active,
    int ExpectedKnown,
    int ExpectedUnknown,
    int LegacyErrors,
    bool LegacyRunner,
    ImmutableArray<GoalCoverage> Detail,
    ImmutableArray<string> ExpectedUnknownCases)
{
    public const string FileName = "coverage.json";

    /// <summary>Goals reached over goals data can reach.</summary>
    public double ReachedRate => Applicable == 0 ? 1.0 : Math.Round((double)Reached / Applicable, 4);

    public static CoverageReport Build(string job, TestInventory inventory, ImmutableArray<CaseFile> cases, bool legacyRunner)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var detail = inventory.Goals.Select(goal =>
        {
            var reaching = cases.Where(c => c.Goals.Any(g => g.Goal == goal.Id)).ToList();
            bool? reached = goal.NotApplicable is not null
                ? null
                : reaching.Any(c => c.Goals.Any(g => g.Goal == goal.Id && g.Reached == true))
                    ? true
                    : reaching.Any(c => c.Goals.Any(g => g.Goal == goal.Id && g.Reached == false)) ? false : null;
            return new GoalCoverage(goal.Id, goal.Site, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(goal.Kind.ToString()), goal.Description, reached, [.. reaching.Select(c => c.Case)], goal.NotApplicable);
        }).DistinctBy(g => g.Goal).ToImmutableArray();
        var applicable = detail.Count(d => d.NotApplicable is null);
        return new CoverageReport(
            job,
            detail.Length,
            applicable,
            detail.Count(d => d.Reached == true),
            detail.Count(d => d.NotApplicable is null && d.Reached != true),
            cases.Length,
            cases.Count(c => c.Active),
            cases.Count(c => c.Expect.Status == ExpectationStatus.Known),
            cases.Count(c => c.Expect.Status == ExpectationStatus.ExpectedUnknown),
            cases.Count(c => c.Expect.Status == ExpectationStatus.LegacyError),
            legacyRunner,
            detail,
            [.. cases.Where(c => c.Expect.Status == ExpectationStatus.ExpectedUnknown).Select(c => c.Case)]);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# Test coverage of job ").Append(JobId).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- goals: {Goals} ({Applicable} reachable with data, {Reached} reached, {Unreached} not reached)\n");
        text.Append(CultureInfo.InvariantCulture, $"- cases: {Cases} ({Active} active); expected rows known for {ExpectedKnown}, expected unknown for {ExpectedUnknown}, legacy program fails on {LegacyErrors}\n");
        text.Append("- expected rows from: ").Append(LegacyRunner ? "the legacy runner on each case's inputs" : "no legacy runner in the workspace (cases are expected unknown)").Append("\n\n");
        if (!ExpectedUnknownCases.IsEmpty)
        {
            text.Append("Expected unknown: ").Append(string.Join(", ", ExpectedUnknownCases)).Append("\n\n");
        }

        text.Append("| goal | kind | reached | cases | note |\n|---|---|---|---|---|\n");
        foreach (var goal in Detail)
        {
            text.Append("| ").Append(goal.Goal).Append(" | ").Append(goal.Kind).Append(" | ")
                .Append(goal.NotApplicable is not null ? "n/a" : goal.Reached == true ? "yes" : goal.Reached == false ? "**no**" : "unknown").Append(" | ")
                .Append(string.Join(", ", goal.Cases)).Append(" | ").Append((goal.NotApplicable ?? goal.Description).Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }

        return text.ToString();
    }
}
