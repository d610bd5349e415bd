using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;

namespace Modernizer.Domain.Policy;

/// <summary>The mission's escalation table (X3) as plain code over typed facts, thresholds from
/// configuration. Every row not listed here is resolved autonomously and logged. A model never
/// decides whether to escalate.</summary>
public sealed class EscalationPolicy
{
    private readonly EscalationSettings _thresholds;
    private readonly TagSettings _tags;
    private readonly ColumnPatterns _financial;
    private readonly ColumnPatterns _regulatory;

    public EscalationPolicy(EscalationSettings thresholds, TagSettings tags)
    {
        _thresholds = thresholds ?? throw new ArgumentNullException(nameof(thresholds));
        _tags = tags ?? throw new ArgumentNullException(nameof(tags));
        _financial = new ColumnPatterns(tags.FinancialColumns);
        _regulatory = new ColumnPatterns(tags.RegulatoryColumns);
    }

    public EscalationPolicy(ModernizeSettings settings)
        : this(settings?.Escalation!, settings?.Tags!)
    {
    }

    /// <summary>R1.1: escalate only if metadata is completely missing AND the job is in the top N by
    /// volume or frequency.</summary>
    public PolicyVerdict Evaluate(MetadataFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X3.missing_metadata_top_n";
        var top = _thresholds.TopNMetadata;
        var inTop = fact.VolumeRank <= top || fact.FrequencyRank <= top;
        if (fact.CompletelyMissing && inTop)
        {
            return PolicyVerdict.Escalation(EscalationKind.MissingMetadataTopJob, rule,
                Invariant($"Metadata of {fact.Job} is completely missing and it ranks {Rank(fact.VolumeRank)} by volume, {Rank(fact.FrequencyRank)} by frequency (top {top})."));
        }

        return PolicyVerdict.Autonomous(rule, fact.CompletelyMissing
            ? Invariant($"Metadata of {fact.Job} is missing but it is outside the top {top}; inferred from execution logs.")
            : Invariant($"Metadata of {fact.Job} is present or inferable."));
    }

    /// <summary>R1.2: escalate a cost discrepancy above the configured $/month.</summary>
    public PolicyVerdict Evaluate(CostFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X3.cost_discrepancy";
        var gap = Math.Abs(fact.InventoryUsdPerMonth - fact.FinanceUsdPerMonth);
        var limit = _thresholds.CostDiscrepancyUsdPerMonth;
        return gap > limit
            ? PolicyVerdict.Escalation(EscalationKind.CostDiscrepancy, rule,
                Invariant($"Cost of {fact.Job} differs by ${gap:0.00}/month between inventory and finance (limit ${limit:0.00})."))
            : PolicyVerdict.Autonomous(rule,
                Invariant($"Cost gap of {fact.Job} is ${gap:0.00}/month (limit ${limit:0.00}); the more conservative figure is kept."));
    }

    /// <summary>R1.2: escalate an SLA-breach pattern suggesting an active data-quality issue that
    /// affects downstream consumers.</summary>
    public PolicyVerdict Evaluate(SlaBreachFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X3.sla_breach_downstream";
        var pattern = fact.Breaches >= _thresholds.SlaBreachesMin;
        return pattern && fact.DataQualityIssue && fact.DownstreamImpact
            ? PolicyVerdict.Escalation(EscalationKind.SlaBreachDownstreamImpact, rule,
                Invariant($"{fact.Job} breached its SLA {fact.Breaches} times with a data-quality issue reaching downstream consumers."))
            : PolicyVerdict.Autonomous(rule,
                Invariant($"{fact.Job}: {fact.Breaches} SLA breaches (pattern from {_thresholds.SlaBreachesMin}), data-quality issue {fact.DataQualityIssue}, downstream impact {fact.DownstreamImpact}."));
    }

    /// <summary>R1.3: one verdict per candidate; a compliance-critical job in the top N (5) escalates.</summary>
    public ImmutableArray<(CandidateFact Candidate, PolicyVerdict Verdict)> Evaluate(IEnumerable<CandidateFact> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        const string rule = "X3.compliance_critical_top_n";
        var critical = _tags.ComplianceCritical;
        var results = ImmutableArray.CreateBuilder<(CandidateFact, PolicyVerdict)>();
        foreach (var candidate in candidates.OrderBy(c => c.Rank))
        {
            var hits = candidate.Tags.Where(t => critical.Contains(t, StringComparer.OrdinalIgnoreCase)).ToArray();
            var verdict = candidate.Rank <= _thresholds.TopNCompliance && hits.Length > 0
                ? PolicyVerdict.Escalation(EscalationKind.ComplianceCriticalInTopFive, rule,
                    Invariant($"Candidate #{candidate.Rank} {candidate.Job} is compliance-critical ({string.Join(", ", hits)})."))
                : PolicyVerdict.Autonomous(rule, Invariant($"Candidate #{candidate.Rank} {candidate.Job} needs no compliance review."));
            results.Add((candidate, verdict));
        }

        return results.ToImmutable();
    }

    /// <summary>R2.1: PII/PHI handling escalates only with compliance implications.</summary>
    public PolicyVerdict Evaluate(PiiFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X3.pii_compliance";
        return fact.ReachesOutputUnmasked && fact.ComplianceRegime
            ? PolicyVerdict.Escalation(EscalationKind.PiiExposure, rule,
                Invariant($"{fact.Job} writes personal column '{fact.Column}' unmasked to a curated output under a compliance regime."))
            : PolicyVerdict.Autonomous(rule, Invariant($"{fact.Job}: personal column '{fact.Column}' has no compliance implication."));
    }

    /// <summary>R2.2: curated rows far above raw rows with no explainable fan-out is potential corruption.</summary>
    public PolicyVerdict Evaluate(RowCountFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X3.data_corruption";
        var ratio = fact.RawRows == 0 ? (fact.CuratedRows == 0 ? 1.0 : double.PositiveInfinity) : (double)fact.CuratedRows / fact.RawRows;
        return ratio > _thresholds.CorruptionRowRatio && !fact.ExplainableFanout
            ? PolicyVerdict.Escalation(EscalationKind.DataCorruption, rule,
                Invariant($"{fact.Table} of {fact.Job} has {fact.CuratedRows} rows for {fact.RawRows} raw rows (ratio {ratio:0.00} above {_thresholds.CorruptionRowRatio:0.00}) with no explainable fan-out."))
            : PolicyVerdict.Autonomous(rule, Invariant($"{fact.Table} of {fact.Job}: row ratio {ratio:0.00} explained or within {_thresholds.CorruptionRowRatio:0.00}."));
    }

    /// <summary>R2.3: regulatory logic below the confidence floor, or contradicting requirements that
    /// change output, escalate.</summary>
    public PolicyVerdict Evaluate(RequirementFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X3.regulatory_low_confidence";
        if (fact.ContradictsAnotherChangingOutput)
        {
            return PolicyVerdict.Escalation(EscalationKind.RegulatoryLowConfidence, rule,
                Invariant($"Requirement {fact.RequirementId} of {fact.Job} contradicts another in a way that changes output."));
        }

        var regulatory = fact.Regulation is not null && _tags.ComplianceCritical.Contains(fact.Regulation, StringComparer.OrdinalIgnoreCase);
        return regulatory && fact.Confidence.Value < _thresholds.RegulatoryConfidenceFloor
            ? PolicyVerdict.Escalation(EscalationKind.RegulatoryLowConfidence, rule,
                Invariant($"Regulatory ({fact.Regulation}) requirement {fact.RequirementId} of {fact.Job} has confidence {fact.Confidence} below {_thresholds.RegulatoryConfidenceFloor:0.00}."))
            : PolicyVerdict.Autonomous(rule, Invariant($"Requirement {fact.RequirementId} of {fact.Job}: confidence {fact.Confidence}, regulation {fact.Regulation ?? "none"}."));
    }

    /// <summary>X4: accept at the acceptance threshold; retry the rewrite at or above the escalation
    /// floor when no financial/regulatory column is affected and attempts remain; else escalate.</summary>
    public ReconciliationVerdict Route(ReconciliationFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        const string rule = "X4.reconciliation_routing";
        if (fact.MatchRate >= _thresholds.AcceptanceThreshold)
        {
            return new(ReconciliationRoute.Accept, PolicyVerdict.Autonomous(rule,
                Invariant($"{fact.Job} matches at {fact.MatchRate:P2} (acceptance {_thresholds.AcceptanceThreshold:P2}).")));
        }

        var sensitive = fact.MismatchedColumns.Where(c => _financial.Matches(c) || _regulatory.Matches(c)).ToArray();
        if (sensitive.Length > 0)
        {
            return new(ReconciliationRoute.Escalate, PolicyVerdict.Escalation(EscalationKind.ReconciliationFailure, rule,
                Invariant($"{fact.Job}: financial/regulatory column mismatch ({string.Join(", ", sensitive)}).")));
        }

        if (fact.MatchRate < _thresholds.ReconciliationEscalateBelow)
        {
            return new(ReconciliationRoute.Escalate, PolicyVerdict.Escalation(EscalationKind.ReconciliationFailure, rule,
                Invariant($"{fact.Job} matches at {fact.MatchRate:P2}, below {_thresholds.ReconciliationEscalateBelow:P2}.")));
        }

        if (fact.AttemptsSoFar >= _thresholds.RewriteAttempts)
        {
            return new(ReconciliationRoute.Escalate, PolicyVerdict.Escalation(EscalationKind.ReconciliationFailure, rule,
                Invariant($"{fact.Job} still mismatches ({fact.MatchRate:P2}) after {fact.AttemptsSoFar} rewrite attempts (limit {_thresholds.RewriteAttempts}).")));
        }

        return new(ReconciliationRoute.RetryRewrite, PolicyVerdict.Autonomous(rule,
            Invariant($"{fact.Job} matches at {fact.MatchRate:P2}; mismatches classified and the diff goes back to the Code Writer (attempt {fact.AttemptsSoFar + 1} of {_thresholds.RewriteAttempts}).")));
    }

    private static string Rank(int? rank) => rank is { } r ? Invariant($"#{r}") : "unknown";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
