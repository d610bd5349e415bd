using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;

namespace Modernizer.Agents.Judgment;

/// <summary>What one judgment step decided: the result in force, the decisions that log it and the
/// escalations the role's checks and the limit policy raised.</summary>
public sealed record StepResult<TOutput>(
    TOutput Result,
    bool FromModel,
    ImmutableArray<DecisionDraft> Decisions,
    ImmutableArray<EscalationRequest> Escalations);

/// <summary>The one shape every role's judgment takes: the deterministic result exists first; a model (if
/// configured) is asked; its answer replaces the deterministic one only when it passed the engine checks;
/// escalation is decided in code from the typed result (X3), and a reached limit stops with a decision and,
/// per policy, a LimitReached escalation. Every decision names its role and carries spend and the
/// instructions' hash when a model took part.</summary>
public sealed class RoleStep(JudgmentRunner runner, LimitOptions limits, EscalationThresholds thresholds)
{
    public async Task<StepResult<TOutput>> DecideAsync<TInput, TOutput>(
        RoleSpec<TInput, TOutput> role,
        JudgmentRequest<TInput> request,
        TOutput deterministic,
        string kind,
        Func<TOutput, string> describe,
        CancellationToken cancellationToken)
        where TOutput : IModelJudgment
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(describe);
        var judgment = await runner.AskAsync(role, request, cancellationToken).ConfigureAwait(false);
        var fromModel = judgment.Status == JudgmentStatus.Accepted;
        var result = fromModel ? judgment.Output! : deterministic;
        var escalations = role.CheckEscalations(request.Job, request.Input, result, thresholds).ToBuilder();
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();

        var alternatives = fromModel && describe(deterministic) != describe(result)
            ? ImmutableArray.Create("deterministic: " + describe(deterministic))
            : ImmutableArray<string>.Empty;
        var rationale = describe(result) + judgment.Status switch
        {
            JudgmentStatus.NotAsked => " (deterministic; no model configured)",
            JudgmentStatus.Accepted => string.Create(CultureInfo.InvariantCulture, $" (model answer accepted after {judgment.Attempts} attempt(s) and engine checks)"),
            _ => " (deterministic; the model's answer was not used)",
        };
        decisions.Add(Draft(role, request.Job, kind, escalations.Count > 0, result.Confidence, role.Definition.RequirementId, rationale, alternatives, Evidence(result.EvidenceRefs), judgment));

        if (judgment.Status is JudgmentStatus.Rejected or JudgmentStatus.Failed)
        {
            decisions.Add(Draft(role, request.Job, "model_output_rejected", false, 1.0, "engine_check",
                "The deterministic result stands: " + string.Join(" | ", judgment.Problems), [], [], judgment, chargeSpend: false));
        }

        if (judgment.Status == JudgmentStatus.LimitReached)
        {
            var escalate = limits.EscalateOnLimit;
            decisions.Add(Draft(role, request.Job, "limit_reached", escalate, 1.0, "limit:" + judgment.Limit,
                "The judgment stopped at a limit; the deterministic result stands: " + string.Join(" | ", judgment.Problems), [], [], judgment, chargeSpend: false));
            if (escalate)
            {
                escalations.Add(new EscalationRequest(request.Job, role.Stage, role.Role, EscalationKind.LimitReached,
                    $"{role.Definition.DisplayName} reached its {judgment.Limit} limit: {judgment.Problems.LastOrDefault()}",
                    [new Evidence(EvidenceKind.Configuration, "llm.limits")]));
            }
        }

        return new StepResult<TOutput>(result, fromModel, decisions.ToImmutable(), escalations.ToImmutable());
    }

    private static DecisionDraft Draft<TOutput>(
        RoleSpec role, JobId? job, string kind, bool escalated, double confidence, string rule, string rationale,
        ImmutableArray<string> alternatives, ImmutableArray<Evidence> evidence, JudgmentResult<TOutput> judgment, bool chargeSpend = true)
    {
        var draft = new DecisionDraft(job, role.Stage, role.Role, kind, escalated ? DecisionOutcome.Escalated : DecisionOutcome.Autonomous,
            new Confidence(Math.Clamp(confidence, 0, 1)), rule, rationale, alternatives, evidence);
        return judgment.Status == JudgmentStatus.NotAsked
            ? draft
            : draft with
            {
                Tokens = chargeSpend ? judgment.Tokens : 0,
                CostUsd = chargeSpend ? judgment.CostUsd : 0m,
                InstructionsHash = judgment.InstructionsHash,
            };
    }

    /// <summary>Evidence references are paths with an anchor; their kind follows from what they point at.</summary>
    internal static ImmutableArray<Evidence> Evidence(ImmutableArray<string> references) =>
        references.IsDefaultOrEmpty ? [] : [.. references.Select(r => new Evidence(KindOf(r), r))];

    private static EvidenceKind KindOf(string reference) => reference switch
    {
        _ when reference.Contains("profile.json", StringComparison.Ordinal) => EvidenceKind.SourceData,
        _ when reference.Contains("reconciliation.json", StringComparison.Ordinal) => EvidenceKind.OutputData,
        _ when reference.StartsWith("catalog/", StringComparison.Ordinal) || reference.Contains("inventory", StringComparison.Ordinal) => EvidenceKind.Catalog,
        _ when reference.StartsWith("finops/", StringComparison.Ordinal) => EvidenceKind.Finops,
        _ when reference.StartsWith("jobs/", StringComparison.Ordinal) => EvidenceKind.CodeSpan,
        _ => EvidenceKind.Decision,
    };
}
