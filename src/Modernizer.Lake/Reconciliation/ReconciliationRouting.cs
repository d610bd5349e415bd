using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Lake.Reconciliation;

/// <summary>Where a reconciled rewrite goes next (X4).</summary>
public enum ReconciliationRoute
{
    /// <summary>Exact match (or at/above the configured acceptance threshold): the rewrite may be promoted.</summary>
    Pass,

    /// <summary>Back to the Code Writer with the classified diff.</summary>
    Rewrite,

    /// <summary>A human looks at the report (X3: below 95%, a financial/regulatory column, or attempts used up).</summary>
    Escalate,

    /// <summary>The reconciliation itself could not run; the stage fails and may be retried.</summary>
    Error,
}

public enum MismatchKind
{
    Regression,
    Improvement,
}

/// <summary>A column tag from configuration; <c>financial</c> and <c>regulatory</c> force escalation on mismatch.</summary>
public sealed record ColumnTag(string Column, string Tag);

/// <summary>The routing thresholds (X3, X4), all configurable.</summary>
public sealed record RoutingPolicy
{
    public static RoutingPolicy Default { get; } = new();

    /// <summary>Autonomous acceptance: 1.0 means only an exact match passes (P1); the seed's 0.995 is a lower setting.</summary>
    public double AcceptanceThreshold { get; init; } = 1.0;

    /// <summary>Below this match rate the job escalates instead of going back to rewriting.</summary>
    public double EscalationThreshold { get; init; } = 0.95;

    /// <summary>Rewrite attempts allowed before a still-mismatching job escalates.</summary>
    public int MaxRewriteAttempts { get; init; } = 3;

    public ImmutableArray<ColumnTag> ColumnTags { get; init; } = [];

    /// <summary>Tags whose columns escalate on any mismatch.</summary>
    public ImmutableArray<string> SensitiveTags { get; init; } = ["financial", "regulatory"];

    /// <summary>Where the report lives, for the evidence of the decision (e.g. jobs/j1/reconciliation.json).</summary>
    public string ReportReference { get; init; } = "reconciliation.json";
}

/// <summary>A class of mismatching rows or cells, judged regression or "improvement". Both still
/// fail an exact match (P1); the judgment tells the Code Writer where to look.</summary>
public sealed record MismatchClassification(string Subject, MismatchKind Kind, long Count, string Reason);

public sealed record RoutingResult(
    ReconciliationRoute Route,
    DecisionDraft Decision,
    EscalationRequest? Escalation,
    ImmutableArray<MismatchClassification> Classifications,
    ImmutableArray<string> SensitiveColumnsAffected);

/// <summary>The X4 routing as a pure function of the typed verdict: no I/O, no model.</summary>
public static class ReconciliationRouting
{
    public const string DecisionKind = "reconciliation_route";

    public static RoutingResult Route(ReconciliationVerdict verdict, RoutingPolicy policy, JobId? job = null, int attempt = 1)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(policy);
        var evidence = Evidence(verdict, policy);
        if (verdict.Status == ReconciliationStatus.Error)
        {
            var error = Draft(job, DecisionOutcome.Autonomous, "R4.4/error", $"The reconciliation could not run: {verdict.Error}", ReconciliationRoute.Error, evidence);
            return new RoutingResult(ReconciliationRoute.Error, error, null, [], []);
        }

        var rate = verdict.Waived?.MatchRate ?? verdict.MatchRate ?? 0.0;
        var exact = verdict.Status == ReconciliationStatus.Match;
        var waivedMatch = verdict.Waived?.Status == ReconciliationStatus.Match;
        var sensitive = SensitiveAffected(verdict, policy);
        var nondeterministic = verdict.Columns.Where(c => c.Nondeterministic && c.Mismatches > 0).Select(c => c.Name).ToImmutableArray();
        var classifications = Classify(verdict);
        var rateText = rate.ToString("P2", CultureInfo.InvariantCulture);
        var context = Context(verdict, nondeterministic);

        if (!sensitive.IsEmpty)
        {
            return Escalated(job, "X3/financial-regulatory-column",
                $"Mismatch in financial/regulatory column(s) {string.Join(", ", sensitive)} (match rate {rateText}).{context}", evidence, classifications, sensitive);
        }

        if (exact || waivedMatch || (policy.AcceptanceThreshold < 1.0 && rate >= policy.AcceptanceThreshold))
        {
            var rule = exact ? "X4/exact-match" : waivedMatch ? "X4/match-with-declared-waivers" : "X4/configured-acceptance-threshold";
            var why = exact
                ? "Exact match: every row and column of the candidate equals the baseline."
                : waivedMatch
                    ? $"Match with declared waivers ({string.Join("; ", verdict.Waivers)}); exact match rate {(verdict.MatchRate ?? 0).ToString("P2", CultureInfo.InvariantCulture)}."
                    : $"Match rate {rateText} is at or above the configured acceptance threshold {policy.AcceptanceThreshold.ToString("P2", CultureInfo.InvariantCulture)}.";
            return new RoutingResult(ReconciliationRoute.Pass, Draft(job, DecisionOutcome.Autonomous, rule, why + context, ReconciliationRoute.Pass, evidence), null, classifications, []);
        }

        if (rate < policy.EscalationThreshold)
        {
            return Escalated(job, "X3/match-rate-below-95",
                $"Match rate {rateText} is below {policy.EscalationThreshold.ToString("P2", CultureInfo.InvariantCulture)}.{context}", evidence, classifications, []);
        }

        if (attempt >= policy.MaxRewriteAttempts)
        {
            return Escalated(job, "X4/rewrite-attempts-exhausted",
                string.Create(CultureInfo.InvariantCulture, $"Match rate {rateText} after {attempt} rewrite attempts (limit {policy.MaxRewriteAttempts}).{context}"), evidence, classifications, []);
        }

        var summary = string.Join("; ", classifications.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Subject}: {c.Count} {c.Kind.ToString().ToLowerInvariant()} ({c.Reason})")));
        var rewrite = Draft(job, DecisionOutcome.Autonomous, "X4/rewrite-with-diff",
            $"Match rate {rateText} (>= {policy.EscalationThreshold.ToString("P0", CultureInfo.InvariantCulture)}, no financial/regulatory column affected): back to the Code Writer with the diff. {summary}{context}",
            ReconciliationRoute.Rewrite, evidence);
        return new RoutingResult(ReconciliationRoute.Rewrite, rewrite, null, classifications, []);
    }

    /// <summary>Regression vs "improvement" per column and class: values lost (candidate NULL where
    /// the baseline has one), values changed, rows lost or duplicated are regressions; NULLs filled
    /// with values are "improvements" — still mismatches under P1.</summary>
    public static ImmutableArray<MismatchClassification> Classify(ReconciliationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var result = ImmutableArray.CreateBuilder<MismatchClassification>();
        var rows = verdict.Rows;
        if (rows.MissingInCandidate > 0)
        {
            result.Add(new("rows", MismatchKind.Regression, rows.MissingInCandidate.Value, "baseline rows missing in the candidate"));
        }

        if (rows.ExtraInCandidate > 0)
        {
            result.Add(new("rows", MismatchKind.Regression, rows.ExtraInCandidate.Value, "candidate rows the baseline does not have"));
        }

        if (rows.DuplicateKeys > 0)
        {
            result.Add(new("rows", MismatchKind.Regression, rows.DuplicateKeys.Value, "rows with duplicate keys"));
        }

        foreach (var column in verdict.Columns.Where(c => c.Mismatches > 0 && !c.Nondeterministic))
        {
            if (!column.Compared)
            {
                result.Add(new(column.Name, MismatchKind.Regression, column.Mismatches!.Value, column.BaselineType is null ? "column only in the candidate" : "column missing in the candidate"));
                continue;
            }

            var introduced = column.NullsIntroduced ?? 0;
            var filled = column.NullsFilled ?? 0;
            var changed = column.Mismatches!.Value - introduced - filled;
            if (introduced > 0)
            {
                result.Add(new(column.Name, MismatchKind.Regression, introduced, "candidate NULL where the baseline has a value"));
            }

            if (changed > 0)
            {
                result.Add(new(column.Name, MismatchKind.Regression, changed, "values differ"));
            }

            if (filled > 0)
            {
                result.Add(new(column.Name, MismatchKind.Improvement, filled, "candidate has a value where the baseline is NULL"));
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<string> SensitiveAffected(ReconciliationVerdict verdict, RoutingPolicy policy)
    {
        var tagged = policy.ColumnTags
            .Where(t => policy.SensitiveTags.Contains(t.Tag, StringComparer.OrdinalIgnoreCase))
            .Select(t => t.Column)
            .ToHashSet(StringComparer.Ordinal);
        // Exact mismatches count here, waived or nondeterministic or not: such columns always reach a human.
        return [.. verdict.Columns.Where(c => tagged.Contains(c.Name) && c.Mismatches > 0).Select(c => c.Name)];
    }

    private static string Context(ReconciliationVerdict verdict, ImmutableArray<string> nondeterministic)
    {
        var parts = new List<string>();
        if (!nondeterministic.IsEmpty)
        {
            parts.Add($"Nondeterministic legacy column(s) {string.Join(", ", nondeterministic)} differ and are excluded from the accepted result, not matched.");
        }

        if (verdict.SchemaDiff is { } schema && (schema.ChangesColumns || !schema.TypeDifferences.IsEmpty || schema.ColumnOrderDiffers))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"Schema: {schema.MissingInCandidate.Length} missing, {schema.ExtraInCandidate.Length} extra, {schema.TypeDifferences.Length} type differences, order {(schema.ColumnOrderDiffers ? "differs" : "same")}."));
        }

        return parts.Count == 0 ? "" : " " + string.Join(" ", parts);
    }

    private static ImmutableArray<Evidence> Evidence(ReconciliationVerdict verdict, RoutingPolicy policy)
    {
        var rows = verdict.Rows;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"status={verdict.Status.ToString().ToLowerInvariant()} match_rate={verdict.MatchRate?.ToString("R", CultureInfo.InvariantCulture) ?? "null"} matched={rows.Matched} changed={rows.Changed} missing={rows.MissingInCandidate} extra={rows.ExtraInCandidate} duplicate_keys={rows.DuplicateKeys} config_hash={verdict.ConfigHash}");
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        evidence.Add(new Evidence(EvidenceKind.OutputData, policy.ReportReference, detail));
        if (verdict.DiffPath is not null)
        {
            evidence.Add(new Evidence(EvidenceKind.OutputData, verdict.DiffPath, "every non-matching row (Parquet)"));
        }

        return evidence.ToImmutable();
    }

    private static RoutingResult Escalated(
        JobId? job, string rule, string why, ImmutableArray<Evidence> evidence,
        ImmutableArray<MismatchClassification> classifications, ImmutableArray<string> sensitive)
    {
        var decision = Draft(job, DecisionOutcome.Escalated, rule, why, ReconciliationRoute.Escalate, evidence);
        var escalation = new EscalationRequest(job, StageId.Reconcile, RoleId.ValidationReconciler, EscalationKind.ReconciliationFailure,
            "Reconciliation failed: " + why, evidence);
        return new RoutingResult(ReconciliationRoute.Escalate, decision, escalation, classifications, sensitive);
    }

    private static DecisionDraft Draft(JobId? job, DecisionOutcome outcome, string rule, string rationale, ReconciliationRoute route, ImmutableArray<Evidence> evidence) =>
        new(job, StageId.Reconcile, RoleId.ValidationReconciler, DecisionKind, outcome, Confidence.Certain, rule,
            $"route={route.ToString().ToLowerInvariant()}: {rationale}",
            [.. Enum.GetValues<ReconciliationRoute>().Where(r => r != route && r != ReconciliationRoute.Error).Select(r => r.ToString().ToLowerInvariant())],
            evidence);
}
