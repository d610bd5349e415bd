using System.Collections.Immutable;
using Modernizer.Pipeline.Supervision;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>A card of the kanban: the job's card from the state store and its name from the inventory.</summary>
public sealed record KanbanCard(JobCard Job, string? Name, bool IsPortfolio);

/// <summary>One column: a stage (or "not started"), its role and whether the role is available.</summary>
public sealed record KanbanColumn(string Key, string Title, string? Role, string? Requirement, int? Phase, bool Available, ImmutableArray<KanbanCard> Cards);

/// <summary>The kanban (R5.2): a column per stage, a card per job with its state and spend.</summary>
/// <remarks><see cref="Version"/> is the live feed's fingerprint of the board as rendered: the page
/// swaps the board only when an event carries another one, so a change between rendering and the
/// event stream's start is not missed.</remarks>
public sealed record KanbanModel(StatusReport Report, ImmutableArray<KanbanColumn> Columns, string Version)
{
    public const string NotStarted = "not_started";

    public static async Task<KanbanModel> BuildAsync(DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        // The fingerprint is taken first: a change after it makes the next event differ from it.
        var version = await workspace.FingerprintAsync(await workspace.LastDecisionSeqAsync(0, cancellationToken), cancellationToken);
        var report = await workspace.StatusAsync(cancellationToken);
        var inventory = await workspace.Artifacts.JsonAsync(".modernize/portfolio/inventory.json", cancellationToken);
        var names = inventory.Root.Arr("jobs")
            .Where(j => j.Str("job_id") is not null)
            .GroupBy(j => j.Str("job_id")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Str("name"), StringComparer.Ordinal);
        var cards = report.Jobs.Select(j => new KanbanCard(j, names.GetValueOrDefault(j.JobId), false)).ToList();
        if (report.Portfolio is { } portfolio)
        {
            cards.Insert(0, new KanbanCard(portfolio, "tier 1: inventory, FinOps, backlog", true));
        }

        var stageNames = report.Stages.Select(s => s.Stage).ToHashSet(StringComparer.Ordinal);
        var columns = new List<KanbanColumn>
        {
            new(NotStarted, "not started", null, null, null, true,
                [.. cards.Where(c => c.Job.Stage is null || !stageNames.Contains(c.Job.Stage))]),
        };
        columns.AddRange(report.Stages.Select(s => new KanbanColumn(s.Stage, s.Stage, s.RoleName, s.Requirement, s.Phase, s.Available,
            [.. cards.Where(c => c.Job.Stage == s.Stage)])));
        return new KanbanModel(report, [.. columns], version);
    }
}
