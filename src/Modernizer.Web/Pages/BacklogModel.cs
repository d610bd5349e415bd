using System.Collections.Immutable;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

public sealed record BacklogFactor(string Name, double? Score, double? Weight);

public sealed record BacklogCandidate(
    double? Rank,
    string JobId,
    string? Name,
    double? Score,
    ImmutableArray<BacklogFactor> Factors,
    string? Justification,
    ImmutableArray<string> Compliance,
    ImmutableArray<string> ConflictsResolved,
    bool? HasCode);

/// <summary>The rewrite backlog (R1.3): rank, score, one bar per factor, the justification.</summary>
public sealed record BacklogModel(JsonArtifact Artifact, ImmutableArray<BacklogFactor> Weights, ImmutableArray<BacklogCandidate> Candidates, double? JobsScored)
{
    /// <summary>The factors of docs/workspace.md in the mission's order (R1.3); others found are shown after them.</summary>
    public static readonly ImmutableArray<string> FactorOrder = ["cost", "failure", "complexity", "criticality", "difficulty"];

    public static async Task<BacklogModel> BuildAsync(DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        var backlog = await workspace.Artifacts.JsonAsync(".modernize/portfolio/backlog.json", cancellationToken);
        var weights = backlog.Root.Props("weights").Where(w => w.Name != "sum").ToDictionary(w => w.Name, w => ArtifactJson.Number(w.Value), StringComparer.Ordinal);
        var candidates = backlog.Root.Arr("candidates").Where(c => c.Str("job_id") is not null).Select(c =>
        {
            var factors = c.Props("factors").ToDictionary(f => f.Name, f => ArtifactJson.Number(f.Value), StringComparer.Ordinal);
            var names = FactorOrder.Concat(factors.Keys.Where(k => !FactorOrder.Contains(k)).Order(StringComparer.Ordinal));
            return new BacklogCandidate(c.Num("rank"), c.Str("job_id")!, c.Str("name"), c.Num("score"),
                [.. names.Select(n => new BacklogFactor(n, factors.GetValueOrDefault(n), weights.GetValueOrDefault(n)))],
                c.Str("justification"), [.. c.Strs("compliance")], [.. c.Strs("conflicts_resolved")], c.Bool("has_code"));
        }).ToImmutableArray();
        return new BacklogModel(backlog, [.. FactorOrder.Select(n => new BacklogFactor(n, null, weights.GetValueOrDefault(n)))], candidates, backlog.Root.Num("jobs_scored"));
    }
}
