using System.Collections.Immutable;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Ingestion;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Prioritization;

/// <summary>Two estimates of one factor, from different inputs; when they disagree beyond the
/// threshold the conservative one is taken and the conflict logged (R1.3).</summary>
internal sealed record FactorEstimate(string Factor, double Primary, string PrimaryFrom, double? Alternative, string? AlternativeFrom);

/// <summary>The factor formulas of docs/prioritization.md, one method each. Inputs are the typed
/// per-job results of the scanner and the FinOps analyst; nothing here touches run or billing rows.</summary>
internal static class FactorModel
{
    /// <summary>Rule ids whose replacement needs more than a mechanical rewrite.</summary>
    private static readonly ImmutableHashSet<string> HardRules = ["UDF01", "UDF02", "RDD01", "DYN01", "ITR03", "ITR05", "DRV01"];

    /// <summary>Cost per month as a share of the portfolio's most expensive job (min-max with min 0).</summary>
    public static double Cost(decimal? costPerMonth, decimal maxCostPerMonth) =>
        costPerMonth is { } c && c > 0 && maxCostPerMonth > 0 ? Clamp((double)(c / maxCostPerMonth)) : 0;

    /// <summary>Run-log estimate: recent failure rate ÷ 25%. Incident estimate: half severity-weighted
    /// tickets per 30 days ÷ 4, half SLA breach rate ÷ 20%. Normally blended 0.6 / 0.4.</summary>
    public static FactorEstimate Failure(InventoryJob job, JobFinOps? finops)
    {
        var runs = Clamp((job.FailureRateRecent ?? job.FailureRate ?? 0) / 0.25);
        if (finops is null)
        {
            return new FactorEstimate("failure", runs, "run logs (failure rate)", null, null);
        }

        var weight = finops.TicketsBySeverity.Sum(s => SeverityWeight(s.Key) * s.Value);
        var perMonth = finops.Tickets > 0 && finops.IncidentsPer30Days is { } rate ? rate * weight / finops.Tickets : 0;
        var breachRate = finops.SlaRuns > 0 ? (double)finops.SlaBreaches / finops.SlaRuns : 0;
        var incidents = 0.5 * Clamp(perMonth / 4.0) + 0.5 * Clamp(breachRate / 0.20);
        return new FactorEstimate("failure", runs, "run logs (failure rate)", incidents, "tickets and SLA breaches");
    }

    public static double Blend(FactorEstimate failure) => 0.6 * failure.Primary + 0.4 * (failure.Alternative ?? failure.Primary);

    /// <summary>Code age/complexity. With analysis.json: anti-patterns ÷ 15 (0.6), code size ÷ 1500
    /// lines (0.25), age (0.15). Without: code size (0.7) and age (0.3) as a proxy. Without code in the
    /// workspace nothing is known about the code: a neutral 0.5.</summary>
    public static (FactorEstimate Estimate, string Source) Complexity(InventoryJob job, CodeAnalysisSummary? analysis, double age)
    {
        if (!job.HasCode)
        {
            return (new FactorEstimate("complexity", 0.5, "no code in the workspace (neutral)", null, null), "no_code");
        }

        var size = Clamp(job.CodeLines / 1500.0);
        var proxy = 0.7 * size + 0.3 * age;
        if (analysis is null)
        {
            return (new FactorEstimate("complexity", proxy, "code size proxy (lines, age)", null, null), "code_size_proxy");
        }

        var measured = 0.6 * Clamp(analysis.AntiPatterns / 15.0) + 0.25 * size + 0.15 * age;
        return (new FactorEstimate("complexity", measured, "code analysis (anti-patterns)", proxy, "code size proxy"), "code_analysis");
    }

    /// <summary>Business criticality: has an SLA (0.40), downstream jobs ÷ 5 (0.35), Sev-1/Sev-2
    /// tickets ÷ 3 (0.25). Compliance is deliberately not scored: it is the gate of the top-5
    /// escalation, and scoring it would push regulated jobs into the top 5 by their tag alone.</summary>
    public static double Criticality(InventoryJob job, JobFinOps? finops)
    {
        var hasSla = finops is { SlaRuns: > 0 } ? 1.0 : 0.0;
        var severe = finops is null ? 0 : finops.TicketsBySeverity.Where(s => SeverityWeight(s.Key) >= 3).Sum(s => s.Value);
        return 0.40 * hasSla + 0.35 * Clamp(job.Downstream.Length / 5.0) + 0.25 * Clamp(severe / 3.0);
    }

    /// <summary>Ease = 1 − difficulty. Difficulty from analysis: hard rules ÷ 5 (0.5), size (0.3),
    /// suspected defects present (0.2). Proxy: size (0.6) and dependency count (0.4). No code: 1.</summary>
    public static FactorEstimate Ease(InventoryJob job, CodeAnalysisSummary? analysis)
    {
        if (!job.HasCode)
        {
            return new FactorEstimate("difficulty", 0, "no code in the workspace (hardest)", null, null);
        }

        var size = Clamp(job.CodeLines / 2000.0);
        var proxyDifficulty = 0.6 * size + 0.4 * Clamp((job.Upstream.Length + job.Downstream.Length) / 10.0);
        if (analysis is null)
        {
            return new FactorEstimate("difficulty", 1 - proxyDifficulty, "code size proxy", null, null);
        }

        var hard = analysis.RuleIds.Count(HardRules.Contains);
        var difficulty = 0.5 * Clamp(hard / 5.0) + 0.3 * size + 0.2 * (analysis.SuspectedDefects > 0 ? 1 : 0);
        return new FactorEstimate("difficulty", 1 - difficulty, "code analysis (hard rules, defects)", 1 - proxyDifficulty, "code size proxy");
    }

    public static double Age(InventoryJob job, DateTimeOffset? asOf) =>
        job.LastModified is { } modified && asOf is { } now ? Clamp((now - modified).TotalDays / 1095.0) : 0.5;

    public static int SeverityWeight(string severity) => severity.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() switch
    {
        "SEV-1" or "SEV1" => 4,
        "SEV-2" or "SEV2" => 3,
        "SEV-3" or "SEV3" => 2,
        _ => 1,
    };

    public static double Clamp(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;
}
