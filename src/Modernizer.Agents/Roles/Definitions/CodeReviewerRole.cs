using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R2.1 judgment input: an ambiguity in the legacy code (a magic number, an unclear rule), the
/// interpretations the analyzer found, and whether the span touches personal data.</summary>
public sealed record AmbiguityInput(string AmbiguityId, string Span, string Description, ImmutableArray<string> Interpretations, bool TouchesPersonalData, bool PersonalDataReachesOutputUnmasked);

/// <summary>R2.1 judgment: the interpretation chosen, recorded as an assumption with rationale.</summary>
public sealed record AmbiguityResolution(string ChosenInterpretation, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Code Reviewer (R2.1): mappings, logic, anti-patterns, suspected defects; ambiguities resolved
/// against data profiles as assumptions; escalates only PII/PHI handling with compliance implications.</summary>
public sealed class CodeReviewerRole : RoleSpec<AmbiguityInput, AmbiguityResolution>
{
    public const string AskDataProfilerTool = "ask_data_profiler";

    public override RoleId Role => RoleId.CodeReviewer;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You review legacy PySpark and Spark SQL ETL code. The product's analyzer has already extracted
        sources, targets, column lineage and anti-patterns; you are asked only to resolve an ambiguity, such as a
        magic number or a rule whose intent is unclear. Choose one of the listed interpretations, the one most
        consistent with how the data actually behaves. Ask the Data Profiler (tool ask_data_profiler) for facts
        such as null rates or value ranges instead of guessing. The code's actual behavior is the requirement,
        even where it looks like a bug: then say so in the rationale as a suspected defect.
        """;

    public override string JudgmentQuestion => "Which interpretation of this ambiguity does the code and its data support?";

    public override ImmutableArray<string> AllowedTools => [AskDataProfilerTool];

    public override string? Validate(AmbiguityInput input, AmbiguityResolution output) =>
        input.Interpretations.Contains(output.ChosenInterpretation)
            ? null
            : $"chosen_interpretation must be one of: {string.Join(" | ", input.Interpretations)}.";

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, AmbiguityInput input, AmbiguityResolution output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.TouchesPersonalData && input.PersonalDataReachesOutputUnmasked
            ? [new EscalationRequest(job, Stage, Role, EscalationKind.PiiExposure,
                $"Personal data reaches a curated output unmasked at {input.Span}.",
                [new Evidence(EvidenceKind.CodeSpan, input.Span)])]
            : [];
    }
}
