using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Ingestion;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Prioritization;

/// <summary>The Prioritization Orchestrator (R1.3): weighted factor scores over the inventory and the
/// FinOps figures, conflicting factor inputs resolved conservatively with a logged decision, the top
/// N with a justification naming concrete evidence, and the compliance escalation (X3 row 3).</summary>
public sealed class Prioritizer(PortfolioOptions options)
{
    private const string Rule = "R1.3";

    public async Task<BacklogResult> PrioritizeAsync(WorkspacePaths workspace, ScanResult scan, FinOpsResult finops, CancellationToken cancellationToken)
    {
        var (manifests, _) = await JobManifestReader.ReadAsync(workspace, cancellationToken);
        var analyses = manifests.Where(m => m.Analysis is not null).ToDictionary(m => m.JobId, m => m.Analysis!, StringComparer.Ordinal);
        return Prioritize(scan, finops, analyses);
    }

    internal BacklogResult Prioritize(ScanResult scan, FinOpsResult finops, IReadOnlyDictionary<string, CodeAnalysisSummary> analyses)
    {
        var weights = options.Weights;
        var weightSum = weights.Sum > 0 ? weights.Sum : 1;
        var finopsByJob = finops.Report.Jobs.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        var maxCost = finops.Report.Jobs.Select(j => j.CostUsdPerMonth ?? 0m).DefaultIfEmpty(0m).Max();
        var conflictJobs = finops.Report.Conflicts.GroupBy(c => c.JobId).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();

        var scored = new List<(BacklogCandidate Candidate, double Score)>(scan.Inventory.Jobs.Length);
        foreach (var job in scan.Inventory.Jobs)
        {
            var money = finopsByJob.GetValueOrDefault(job.JobId);
            var analysis = analyses.GetValueOrDefault(job.JobId);
            var compliance = ComplianceTags(job);
            var age = FactorModel.Age(job, scan.Inventory.AsOf);
            var resolved = ImmutableArray.CreateBuilder<string>();

            var cost = FactorModel.Cost(money?.CostUsdPerMonth, maxCost);
            if (conflictJobs.TryGetValue(job.JobId, out var costConflicts))
            {
                resolved.Add($"cost: finance and run logs disagree in {costConflicts.Length} month(s); the higher cost is used (FinOps decision finance_conflict_resolved)");
            }

            var failureEstimate = FactorModel.Failure(job, money);
            var failure = Resolve(failureEstimate, higherIsConservative: true, FactorModel.Blend(failureEstimate), job.JobId, resolved, decisions);
            var (complexityEstimate, complexitySource) = FactorModel.Complexity(job, analysis, age);
            var complexity = Resolve(complexityEstimate, higherIsConservative: true, complexityEstimate.Primary, job.JobId, resolved, decisions);
            var criticality = FactorModel.Criticality(job, money);
            var easeEstimate = FactorModel.Ease(job, analysis);
            var ease = Resolve(easeEstimate, higherIsConservative: false, easeEstimate.Primary, job.JobId, resolved, decisions);

            var factors = new FactorScores(R(cost), R(failure), R(complexity), R(criticality), R(ease));
            var score = (weights.Cost * factors.Cost + weights.Failure * factors.Failure + weights.Complexity * factors.Complexity
                         + weights.Criticality * factors.Criticality + weights.Difficulty * factors.Difficulty) / weightSum;
            scored.Add((new BacklogCandidate
            {
                JobId = job.JobId,
                Name = job.Name ?? job.Inferred.GetValueOrDefault("name")?.Value,
                Score = R(score),
                Factors = factors,
                Justification = Justify(job, money, analysis, complexitySource, compliance),
                HasCode = job.HasCode,
                ComplexitySource = complexitySource,
                Compliance = compliance,
                ConflictsResolved = resolved.ToImmutable(),
                Evidence = Evidence(job, money, analysis),
            }, score));
        }

        var ranked = scored.OrderByDescending(s => s.Score).ThenBy(s => s.Candidate.JobId, StringComparer.Ordinal)
            .Take(options.TopN).Select((s, i) => s.Candidate with { Rank = i + 1 }).ToImmutableArray();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        foreach (var candidate in ranked.Where(c => c.Rank <= options.ComplianceTopRank && c.Compliance.Length > 0))
        {
            var summary = $"{candidate.JobId} is compliance-critical ({string.Join(", ", candidate.Compliance)}) and ranks #{candidate.Rank} " +
                          $"of the backlog (top {options.ComplianceTopRank}): a human confirms it may enter the rewrite pipeline.";
            ImmutableArray<Evidence> evidence =
            [
                new(EvidenceKind.Catalog, scan.Inventory.Find(candidate.JobId)?.Evidence ?? "portfolio/inventory.json", "tags: " + string.Join(", ", scan.Inventory.Find(candidate.JobId)?.Tags ?? [])),
                new(EvidenceKind.Decision, "portfolio/backlog.json", $"rank {candidate.Rank}, score {candidate.Score.ToString("0.000", CultureInfo.InvariantCulture)}"),
            ];
            escalations.Add(new EscalationRequest(new JobId(candidate.JobId), StageId.Prioritize, RoleId.PrioritizationOrchestrator,
                EscalationKind.ComplianceCriticalInTopFive, summary, evidence));
            decisions.Add(Decision(candidate.JobId, "compliance_critical_in_top_five", DecisionOutcome.Escalated, 1.0, summary, ["proceed autonomously"], evidence));
        }

        foreach (var candidate in ranked)
        {
            decisions.Add(Decision(candidate.JobId, "backlog_ranked", DecisionOutcome.Autonomous, 0.8,
                $"Rank #{candidate.Rank}, score {candidate.Score.ToString("0.000", CultureInfo.InvariantCulture)}: {candidate.Justification}",
                ["rank by cost only"], [new Evidence(EvidenceKind.Decision, "portfolio/backlog.json", $"factors {candidate.Factors}")]));
        }

        return new BacklogResult(new Backlog(weights, options.TopN, scan.Inventory.Jobs.Length, ranked), decisions.ToImmutable(), escalations.ToImmutable());
    }

    /// <summary>Two estimates within the threshold: the usual value. Beyond it: the conservative one
    /// (higher need, or for difficulty the lower ease) and a decision saying why.</summary>
    private double Resolve(FactorEstimate estimate, bool higherIsConservative, double usual, string jobId,
        ImmutableArray<string>.Builder resolved, ImmutableArray<DecisionDraft>.Builder decisions)
    {
        if (estimate.Alternative is not { } alternative || Math.Abs(estimate.Primary - alternative) <= options.FactorConflictThreshold)
        {
            return usual;
        }

        var conservative = higherIsConservative ? Math.Max(estimate.Primary, alternative) : Math.Min(estimate.Primary, alternative);
        var from = conservative == estimate.Primary ? estimate.PrimaryFrom : estimate.AlternativeFrom;
        var text = $"{estimate.Factor}: {estimate.PrimaryFrom} gives {F(estimate.Primary)}, {estimate.AlternativeFrom} gives {F(alternative)}; " +
                   $"took {F(conservative)} from {from} (conservative)";
        resolved.Add(text);
        decisions.Add(Decision(jobId, "factor_conflict_resolved", DecisionOutcome.Autonomous, 0.75, text + ".",
            [$"use {(conservative == estimate.Primary ? estimate.AlternativeFrom : estimate.PrimaryFrom)}", "average the two"],
            [new Evidence(EvidenceKind.Decision, "portfolio/inventory.json"), new Evidence(EvidenceKind.Decision, "portfolio/finops.json")]));
        return conservative;
    }

    private ImmutableArray<string> ComplianceTags(InventoryJob job) =>
    [
        .. options.ComplianceTags.Where(tag => job.Tags.Any(t =>
            t.Split(['=', ':', ' ', ',', ';', '/'], StringSplitOptions.RemoveEmptyEntries).Any(part => string.Equals(part, tag, StringComparison.OrdinalIgnoreCase)))),
    ];

    private static string Justify(InventoryJob job, JobFinOps? money, CodeAnalysisSummary? analysis, string complexitySource, ImmutableArray<string> compliance)
    {
        var parts = new List<string>();
        parts.Add(money?.CostUsdPerMonth is { } cost && cost > 0 ? $"{FinOpsAnalyst.Usd(cost)}/month ({money.CostBasis})" : "no cost data");
        if (job.FailureRateRecent is { } fr)
        {
            parts.Add($"{(fr * 100).ToString("0.#", CultureInfo.InvariantCulture)}% of runs failed in the recent window ({job.FailedRuns} of {job.Runs} runs failed overall)");
        }

        if (money is not null)
        {
            var severe = money.TicketsBySeverity.Where(s => s.Value > 0).Select(s => $"{s.Value} {s.Key}");
            parts.Add(money.Tickets > 0 ? $"{money.Tickets} incident ticket(s) ({string.Join(", ", severe)})" : "no incident tickets");
            if (money.SlaRuns > 0)
            {
                parts.Add($"{money.SlaBreaches} SLA breach(es) in {money.SlaRuns} runs");
            }
        }

        parts.Add(complexitySource switch
        {
            "code_analysis" => $"{analysis!.AntiPatterns} anti-patterns and {analysis.SuspectedDefects} suspected defects (code analysis)",
            "code_size_proxy" => $"{job.CodeLines} lines of code (proxy: code size; code analysis has not run)",
            _ => "no code in the workspace (complexity unknown, neutral)",
        });
        if (job.Downstream.Length > 0)
        {
            parts.Add($"{job.Downstream.Length} downstream job(s)");
        }

        if (compliance.Length > 0)
        {
            parts.Add("compliance: " + string.Join(", ", compliance));
        }

        return string.Join("; ", parts);
    }

    private static ImmutableArray<string> Evidence(InventoryJob job, JobFinOps? money, CodeAnalysisSummary? analysis)
    {
        var evidence = ImmutableArray.CreateBuilder<string>();
        if (job.Evidence is not null)
        {
            evidence.Add(job.Evidence);
        }

        if (money?.CostBasis is not null)
        {
            evidence.Add("portfolio/finops.json#jobs/" + job.JobId);
        }

        if (analysis is not null)
        {
            evidence.Add(analysis.RelativePath);
        }

        return evidence.ToImmutable();
    }

    private static DecisionDraft Decision(string? jobId, string kind, DecisionOutcome outcome, double confidence, string rationale,
        ImmutableArray<string> alternatives, ImmutableArray<Evidence> evidence) =>
        new(jobId is null ? null : new JobId(jobId), StageId.Prioritize, RoleId.PrioritizationOrchestrator, kind, outcome, new Confidence(confidence), Rule, rationale, alternatives, evidence);

    private static double R(double value) => Math.Round(value, 4);

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
