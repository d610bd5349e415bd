using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R4.4 judgment input: the reconciliation verdict and a sample of mismatched rows.</summary>
public sealed record ReconciliationInput(string Table, double MatchRate, ImmutableArray<string> MismatchedColumns, ImmutableArray<string> FinancialOrRegulatoryColumns, ImmutableArray<string> SampleDiffs);

/// <summary>R4.4 judgment (X4): whether the mismatched rows are a regression or an "improvement".</summary>
public sealed record MismatchClassification(string Classification, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Validation Reconciler (R4.4, X4): old and new run on the same inputs, reconciled row by row and
/// column by column. Passes only at the configured acceptance (100% by default); escalates below 95% or on
/// any financial/regulatory column mismatch; otherwise the diff goes back to the Code Writer.</summary>
public sealed class ValidationReconcilerRole : RoleSpec<ReconciliationInput, MismatchClassification>
{
    public const string Regression = "regression";
    public const string Improvement = "improvement";

    public override RoleId Role => RoleId.ValidationReconciler;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You classify the rows where a rewritten ETL job's output differs from the legacy output. The product
        computed the match rates exactly and routes the result by fixed rules; you only say whether the sample
        of differences looks like a regression (the rewrite lost or changed behavior) or an "improvement" (the
        rewrite fixes what looks like a legacy defect). Either way the legacy output is the requirement: an
        improvement is still a mismatch that goes back to the Code Writer.
        """;

    public override string JudgmentQuestion => "Are these mismatched rows a regression or an improvement?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(ReconciliationInput input, MismatchClassification output) =>
        output.Classification is Regression or Improvement ? null : $"classification must be '{Regression}' or '{Improvement}'.";

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, ReconciliationInput input, MismatchClassification output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(thresholds);
        var financial = input.MismatchedColumns.Intersect(input.FinancialOrRegulatoryColumns, StringComparer.OrdinalIgnoreCase).ToArray();
        if (input.MatchRate >= thresholds.ReconciliationEscalationFloor && financial.Length == 0)
        {
            return [];
        }

        var why = financial.Length > 0
            ? $"financial/regulatory columns differ: {string.Join(", ", financial)}"
            : $"match rate {input.MatchRate:P2} is below {thresholds.ReconciliationEscalationFloor:P0}";
        return [new EscalationRequest(job, Stage, Role, EscalationKind.ReconciliationFailure,
            $"{input.Table}: {why}.", [new Evidence(EvidenceKind.OutputData, $"reconciliation.json#{input.Table}")])];
    }
}
