using System.Collections.Immutable;
using Modernizer.Domain.Roles;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Supervision;

/// <summary>The kanban of a workspace (R5.2): every stage with its role and whether that role is
/// available, the jobs at each stage by state, and each job's spend summed from its decisions.</summary>
public sealed record StatusReport(
    string Workspace,
    ImmutableArray<StageColumn> Stages,
    JobCard? Portfolio,
    ImmutableArray<JobCard> Jobs,
    ImmutableSortedDictionary<string, int> Counts,
    int OpenEscalations)
{
    public static async Task<StatusReport> BuildAsync(
        string workspace,
        IStateStore store,
        StageGraph graph,
        IReadOnlySet<StageId> available,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(available);
        var jobs = await store.ReadJobsAsync(cancellationToken);
        var decisions = await store.ReadDecisionsAsync(0, cancellationToken);
        var escalations = await store.ReadEscalationsAsync(cancellationToken);
        var spend = decisions.GroupBy(d => d.JobId ?? JobKeys.Portfolio)
            .ToDictionary(g => g.Key, g => (Tokens: g.Sum(d => d.Tokens), Cost: g.Sum(d => d.CostUsd)), StringComparer.Ordinal);

        JobCard Card(JobRecord job)
        {
            var state = job.State;
            var message = job.Message;
            if (state == JobState.Running && !LeaseIsLive(job, now))
            {
                state = JobState.Pending;
                message = "interrupted; continues on the next run";
            }

            var (tokens, cost) = spend.GetValueOrDefault(job.JobKey);
            return new JobCard(JobKeys.Display(job.JobKey), StateName(state), job.Stage, message, tokens, cost, job.UpdatedAt);
        }

        var cards = jobs.Where(j => j.Selected && j.JobKey != JobKeys.Portfolio).Select(Card).ToImmutableArray();
        var portfolio = jobs.FirstOrDefault(j => j.JobKey == JobKeys.Portfolio) is { } p ? Card(p) : null;
        var everyone = portfolio is null ? cards : cards.Insert(0, portfolio);
        var columns = graph.Roles.Select(r => new StageColumn(
                r.Stage.Name,
                DecisionsRole(r.Role),
                r.DisplayName,
                r.RequirementId,
                r.Phase,
                r.Scope == StageScope.Portfolio ? "portfolio" : "job",
                available.Contains(r.Stage),
                everyone.Where(c => c.Stage == r.Stage.Name).GroupBy(c => c.State).ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)))
            .ToImmutableArray();
        var counts = Enum.GetValues<JobState>().ToImmutableSortedDictionary(StateName, s => cards.Count(c => c.State == StateName(s)), StringComparer.Ordinal);
        return new StatusReport(workspace, columns, portfolio, cards, counts, escalations.Count(e => e.Status == EscalationStatus.Open));
    }

    public static string StateName(JobState state) => SqlStateStore.StateName(state);

    private static string DecisionsRole(RoleId role) => Decisions.DecisionHasher.RoleName(role);

    private static bool LeaseIsLive(JobRecord job, DateTimeOffset now)
    {
        if (job.LeaseOwner is null || job.LeaseExpiresMs <= now.ToUnixTimeMilliseconds())
        {
            return false;
        }

        return LeaseOwner.Parse(job.LeaseOwner) is not { } owner || !owner.IsDeadLocalProcess();
    }
}

/// <summary>One stage of the kanban: its role, whether the role is available, and its jobs by state.</summary>
public sealed record StageColumn(
    string Stage,
    string Role,
    string RoleName,
    string Requirement,
    int Phase,
    string Scope,
    bool Available,
    ImmutableSortedDictionary<string, int> Jobs);

/// <summary>One job on the kanban; tokens and cost are summed from its decisions.</summary>
public sealed record JobCard(string JobId, string State, string? Stage, string? Message, long Tokens, decimal CostUsd, string? UpdatedAt);
