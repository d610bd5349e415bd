using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R2.3 judgment input: a piece of transformation logic the analyzer traced, to be named as a business rule.</summary>
public sealed record RuleNamingInput(string RuleId, string Span, string Logic, ImmutableArray<string> Columns);

/// <summary>R2.3 judgment: the rule's business name and statement, and whether it is regulatory logic.</summary>
public sealed record BusinessRule(string Name, string Statement, bool Regulatory, string? Regulation, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Requirements Inferencer (R2.3): requirements traced to evidence, each with a confidence; below
/// 80% resolved by consulting the code assumptions and profile notes; escalates regulatory logic below 60%.</summary>
public sealed class RequirementsInferencerRole : RoleSpec<RuleNamingInput, BusinessRule>
{
    public const string AskCodeReviewerTool = "ask_code_reviewer";
    public const string AskDataProfilerTool = "ask_data_profiler";

    public override RoleId Role => RoleId.RequirementsInferencer;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You infer functional requirements from legacy ETL code. The product traced a piece of logic to its code
        span and columns; name the business rule it implements in the language of the business ("orders under
        10 units are excluded from the weekly volume"), state it precisely, and say whether it is regulatory
        logic (SOX, GDPR, HIPAA) and which regulation. State what the code does, not what it should do.
        Ask the Code Reviewer (ask_code_reviewer) for the span behind a rule and the Data Profiler
        (ask_data_profiler) for data facts. A rule you cannot tie to evidence gets a low confidence.
        """;

    public override string JudgmentQuestion => "Name and state the business rule this logic implements.";

    public override ImmutableArray<string> AllowedTools => [AskCodeReviewerTool, AskDataProfilerTool];

    public override string? Validate(RuleNamingInput input, BusinessRule output) =>
        string.IsNullOrWhiteSpace(output.Name) || string.IsNullOrWhiteSpace(output.Statement)
            ? "name and statement are required."
            : output.Regulatory && output.Regulation is not ("SOX" or "GDPR" or "HIPAA")
                ? "regulation must be SOX, GDPR or HIPAA when regulatory is true."
                : null;

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, RuleNamingInput input, BusinessRule output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(thresholds);
        return output.Regulatory && output.Confidence < thresholds.RegulatoryConfidenceFloor
            ? [new EscalationRequest(job, Stage, Role, EscalationKind.RegulatoryLowConfidence,
                $"Regulatory rule {input.RuleId} ({output.Regulation}) inferred with confidence {output.Confidence:0.00}.",
                [new Evidence(EvidenceKind.CodeSpan, input.Span)])]
            : [];
    }
}
