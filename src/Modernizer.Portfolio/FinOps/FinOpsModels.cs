using System.Collections.Immutable;
using Modernizer.Domain.Decisions;
using Modernizer.Portfolio.Ingestion;

namespace Modernizer.Portfolio.FinOps;

/// <summary>Cost of one job in one month: from billing (usage × list price), from the finance report,
/// and the amount taken (the higher — the conservative reading).</summary>
public sealed record MonthlyCost(string JobId, string Month, decimal? BillingUsd, decimal? FinanceUsd, decimal CostUsd, string Basis);

/// <summary>A month where the finance report and the run logs (billing) disagree beyond tolerance.</summary>
public sealed record FinanceConflict(string JobId, string Month, decimal FinanceUsd, decimal RunLogUsd, decimal DifferenceUsd, string Conservative, string Evidence);

public sealed record TicketAttribution(
    string TicketId, string? JobId, string? Method, double? Confidence, string? MatchedOn, string? Severity, string? Category,
    bool DownstreamImpact, DateTimeOffset? OpenedAt, string Evidence);

/// <summary>Per-job FinOps figures (R1.2).</summary>
public sealed record JobFinOps
{
    public required string JobId { get; init; }
    public string? Name { get; init; }
    public required string Family { get; init; }
    public decimal? CostUsdPerMonth { get; init; }
    public decimal? LatestMonthCostUsd { get; init; }
    public int CostMonths { get; init; }
    public string? CostBasis { get; init; }
    public long Tickets { get; init; }
    public ImmutableSortedDictionary<string, long> TicketsBySeverity { get; init; } = ImmutableSortedDictionary<string, long>.Empty;
    public double? IncidentsPer30Days { get; init; }
    public long DownstreamImpactTickets { get; init; }
    public long SlaRuns { get; init; }
    public long SlaBreaches { get; init; }
    public long SlaBreachesInPatternWindow { get; init; }
    public long FailedRunsRecent { get; init; }
    public double ProblemScore { get; init; }
}

public sealed record FamilyFinOps(string Family, int Jobs, decimal CostUsdPerMonth, long Tickets, long SlaBreaches, double ProblemScore);

public sealed record RankingEntry(int Rank, string Key, double Value, string Detail);

public sealed record FinOpsRankings(
    ImmutableArray<RankingEntry> MostExpensiveJobs,
    ImmutableArray<RankingEntry> MostProblematicJobs,
    ImmutableArray<RankingEntry> MostExpensiveFamilies,
    ImmutableArray<RankingEntry> MostProblematicFamilies);

/// <summary>finops.json.</summary>
public sealed record FinOpsReport(
    DateTimeOffset? AsOf,
    string FamilyRule,
    ImmutableArray<JobFinOps> Jobs,
    ImmutableArray<FamilyFinOps> Families,
    ImmutableArray<MonthlyCost> MonthlyCosts,
    ImmutableArray<FinanceConflict> Conflicts,
    ImmutableArray<TicketAttribution> Tickets,
    ImmutableArray<TicketAttribution> UnmatchedTickets,
    FinOpsRankings Rankings,
    long UnpricedUsageRecords,
    IngestionReport Ingestion)
{
    public JobFinOps? Find(string jobId) => Jobs.FirstOrDefault(j => j.JobId == jobId);
}

public sealed record FinOpsResult(FinOpsReport Report, ImmutableArray<DecisionDraft> Decisions, ImmutableArray<EscalationRequest> Escalations);
