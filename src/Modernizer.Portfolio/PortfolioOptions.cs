using System.Collections.Immutable;
using Modernizer.Domain.Configuration;

namespace Modernizer.Portfolio;

/// <summary>How jobs are grouped into families for the FinOps rankings (docs/finops.md).</summary>
public enum FamilyRule
{
    /// <summary>The <c>family</c> tag when present, else the name prefix before the first '_' or '-'.</summary>
    TagThenNamePrefix,

    /// <summary>Always the name prefix before the first '_' or '-'.</summary>
    NamePrefix,
}

/// <summary>Everything tier 1 reads from configuration. The defaults are the mission's; the
/// integrator maps modernize.yaml (<c>prioritization:</c>, <c>escalation:</c>, <c>compliance:</c>) onto it.</summary>
public sealed record PortfolioOptions
{
    public static PortfolioOptions Default { get; } = new();

    public PriorityWeights Weights { get; init; } = PriorityWeights.Default;

    /// <summary>Number of backlog candidates (R1.3: top 20).</summary>
    public int TopN { get; init; } = 20;

    /// <summary>Top-N by volume or frequency within which completely missing metadata escalates (R1.1, X3).</summary>
    public int TopNMetadata { get; init; } = 50;

    /// <summary>A finance/run-log disagreement above this many dollars in one month escalates (R1.2, X3).</summary>
    public decimal CostDiscrepancyUsdPerMonth { get; init; } = 5000m;

    /// <summary>Below this many dollars (or <see cref="CostConflictRelativeTolerance"/>), finance and
    /// billing are taken to agree: rounding and late records are not conflicts.</summary>
    public decimal CostConflictAbsoluteToleranceUsd { get; init; } = 1m;

    public decimal CostConflictRelativeTolerance { get; init; } = 0.02m;

    /// <summary>Tags that make a job compliance-critical (R1.3 escalation when such a job is in the top 5).</summary>
    public ImmutableArray<string> ComplianceTags { get; init; } = ["SOX", "GDPR", "HIPAA", "PCI"];

    /// <summary>Rank up to which a compliance-critical job escalates.</summary>
    public int ComplianceTopRank { get; init; } = 5;

    /// <summary>An SLA-breach pattern: at least this many breaches within <see cref="SlaPatternWindowDays"/>.</summary>
    public int SlaPatternMinBreaches { get; init; } = 3;

    public int SlaPatternWindowDays { get; init; } = 30;

    /// <summary>Window for failure rates, incident counts and SLA breach rates in scores.</summary>
    public int RecentWindowDays { get; init; } = 90;

    /// <summary>Two estimates of one factor that differ by more than this are a conflict (R1.3).</summary>
    public double FactorConflictThreshold { get; init; } = 0.30;

    /// <summary>Shortest job name matched in ticket text; shorter names match too many words.</summary>
    public int MinNameLengthForTextMatch { get; init; } = 6;

    public FamilyRule Family { get; init; } = FamilyRule.TagThenNamePrefix;

    /// <summary>Length of the ranking lists in finops.json.</summary>
    public int RankingLength { get; init; } = 10;

    /// <summary>Bad rows listed in the artifacts (all are counted).</summary>
    public int MaxListedBadRows { get; init; } = 200;
}
