using System.Collections.Immutable;
using Modernizer.Pipeline.Decisions;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>The filters of the decision log: job, role and outcome, as <c>modernize decisions</c> takes them.</summary>
public sealed record DecisionFilter(string? Job, string? Role, string? Outcome)
{
    public static DecisionFilter Parse(string? job, string? role, string? outcome) =>
        new(Blank(job), Blank(role), Blank(outcome));

    public bool Matches(DecisionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Job is null || (Job == "(portfolio)" ? entry.JobId is null : entry.JobId == Job))
            && (Role is null || string.Equals(entry.Role, Role, StringComparison.OrdinalIgnoreCase))
            && (Outcome is null || string.Equals(entry.Outcome, Outcome, StringComparison.OrdinalIgnoreCase));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The decision log page (X2): the filtered entries (newest first, at most <see cref="Limit"/>),
/// the values to filter by, and whether the hash chain verifies.</summary>
public sealed record DecisionsModel(
    DecisionFilter Filter,
    int Matching,
    ImmutableArray<DecisionEntry> Entries,
    ImmutableArray<string> Jobs,
    ImmutableArray<string> Roles,
    ImmutableArray<string> Outcomes,
    ChainReport Chain)
{
    public const int Limit = 500;

    public static async Task<DecisionsModel> BuildAsync(DashboardWorkspace workspace, DecisionFilter filter, CancellationToken cancellationToken)
    {
        var all = await workspace.DecisionsAsync(cancellationToken);
        var matching = all.Where(filter.Matches).ToList();
        return new DecisionsModel(
            filter,
            matching.Count,
            [.. Enumerable.Reverse(matching).Take(Limit)],
            [.. all.Select(e => e.JobId ?? "(portfolio)").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. all.Select(e => e.Role).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. all.Select(e => e.Outcome).Append("autonomous").Append("escalated").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            await workspace.VerifyAsync(cancellationToken));
    }
}
