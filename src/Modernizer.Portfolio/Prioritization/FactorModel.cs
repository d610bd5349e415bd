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

    public static double Cost(decimal? costPerMonth, decimal maxCostPerMonth) =>
        costPerMonth is { } c && c > 0 && maxCostPerMonth > 0 ? Math.Log(1 + (double)c) / Math.Log(1 + (double)maxCostPerMonth) : 0;

    /// <summary>Run-log estimate: recent failure rate ÷ 30%. Incident estimate: (severity-weighted
    /// tickets + SLA breaches) ÷ 10. Normally 0.6/0.4 blended.</summary>
    public static FactorEstimate Failure(InventoryJob job, JobFinOps? finops)
    {
        var runs = Clamp((job.FailureRateRecent ?? job.FailureRate ?? 0) / 0.30);
        var weight = finops is null ? 0 : finops.TicketsBySeverity.Sum(s => SeverityWeight(s.Key) * s.Value) + finops.SlaBreaches;
        var incidents = Clamp(weight / 10.0);
        return new FactorEstimate("failure", runs, "run logs (failure rate)", incidents, "tickets and SLA breaches");
    }

    public static double Blend(FactorEstimate failure) => 0.6 * failure.Primary + 0.4 * (failure.Alternative ?? failure.Primary);

    /// <summary>Code age/complexity. With analysis.json: anti-patterns ÷ 15 (0.6), code size ÷ 1500
    /// lines (0.25), age (0.15). Without: code size (0.7) and age (0.3) as a proxy; without code:
    /// runtime and dependency count as a metadata proxy.</summary>
    public static (FactorEstimate Estimate, string Source) Complexity(InventoryJob job, CodeAnalysisSummary? analysis, double age)
    {
        var size = Clamp(job.CodeLines / 1500.0);
        if (!job.HasCode)
        {
            var runtime = Clamp((job.P95RuntimeS ?? 0) / 7200.0);
            var deps = Clamp((job.Upstream.Length + job.Downstream.Length) / 10.0);
            return (new FactorEstimate("complexity", 0.5 * runtime + 0.2 * deps + 0.3 * age, "metadata proxy (runtime, dependencies, age)", null, null), "metadata_proxy");
        }

        var proxy = 0.7 * size + 0.3 * age;
        if (analysis is null)
        {
            return (new FactorEstimate("complexity", proxy, "code size proxy (lines, age)", null, null), "code_size_proxy");
        }

        var measured = 0.6 * Clamp(analysis.AntiPatterns / 15.0) + 0.25 * size + 0.15 * age;
        return (new FactorEstimate("complexity", measured, "code analysis (anti-patterns)", proxy, "code size proxy"), "code_analysis");
    }

    /// <summary>Criticality: has an SLA (0.35), downstream jobs ÷ 5 (0.25), compliance tag (0.25),
    /// Sev-1/Sev-2 tickets ÷ 2 (0.15).</summary>
    public static double Criticality(InventoryJob job, JobFinOps? finops, bool compliance)
    {
        var hasSla = finops is { SlaRuns: > 0 } ? 1.0 : 0.0;
        var severe = finops is null ? 0 : finops.TicketsBySeverity.Where(s => SeverityWeight(s.Key) >= 3).Sum(s => s.Value);
        return 0.35 * hasSla + 0.25 * Clamp(job.Downstream.Length / 5.0) + 0.25 * (compliance ? 1 : 0) + 0.15 * Clamp(severe / 2.0);
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
