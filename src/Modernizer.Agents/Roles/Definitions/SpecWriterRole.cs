using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R2.3 judgment input: the requirements of one spec section, with their traceability.</summary>
public sealed record SpecSectionInput(string Section, ImmutableArray<string> RequirementIds, ImmutableArray<string> Statements, bool RequirementsContradict);

/// <summary>R2.3 judgment: the section's text, citing every requirement it covers.</summary>
public sealed record SpecSection(string Text, ImmutableArray<string> CoveredRequirementIds, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Spec Writer (R2.3): the functional specification (purpose, rules, contracts, errors, SLAs, edge
/// cases; appendices Suspected Defects and Architectural Improvements); escalates requirements that
/// contradict each other in a way that changes output.</summary>
public sealed class SpecWriterRole : RoleSpec<SpecSectionInput, SpecSection>
{
    public const string AskCodeReviewerTool = "ask_code_reviewer";

    public override RoleId Role => RoleId.SpecWriter;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You write the functional specification of a legacy ETL job for the engineers who will rewrite it. Phrase
        the given requirements as a clear section in plain English, keeping each requirement's id in brackets
        ([REQ-3]) so it stays traceable. Add nothing that is not in the requirements. Describe suspected defects
        as the behavior to reproduce. Ask the Code Reviewer (ask_code_reviewer) which code span implements a
        rule when you need to be precise.
        """;

    public override string JudgmentQuestion => "Phrase this specification section from its requirements.";

    public override ImmutableArray<string> AllowedTools => [AskCodeReviewerTool];

    public override string? Validate(SpecSectionInput input, SpecSection output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var missing = input.RequirementIds.Where(id => !output.Text.Contains($"[{id}]", StringComparison.Ordinal)).ToArray();
        return missing.Length == 0 ? null : $"the text must cite every requirement in brackets; missing: {string.Join(", ", missing)}.";
    }

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, SpecSectionInput input, SpecSection output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.RequirementsContradict
            ? [new EscalationRequest(job, Stage, Role, EscalationKind.RegulatoryLowConfidence,
                $"Requirements {string.Join(", ", input.RequirementIds)} contradict each other in a way that changes output.",
                [.. input.RequirementIds.Select(id => new Evidence(EvidenceKind.Decision, $"requirements.json#{id}"))])]
            : [];
    }
}
