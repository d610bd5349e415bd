using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R3.1 judgment input: a requirement and the test kinds already planned for it.</summary>
public sealed record TestDesignInput(string RequirementId, string Statement, bool SuspectedDefect, ImmutableArray<string> Interpretations, ImmutableArray<string> PlannedCases);

/// <summary>R3.1 judgment: edge cases the plan misses.</summary>
public sealed record EdgeCaseProposal(ImmutableArray<string> AdditionalCases, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Test Case Designer (R3.1): happy path, edge, null, boundary and regression cases asserting
/// identity with the legacy output; defect-preserving and dual-interpretation tests. No escalation of its own.</summary>
public sealed class TestCaseDesignerRole : RoleSpec<TestDesignInput, EdgeCaseProposal>
{
    public override RoleId Role => RoleId.TestCaseDesigner;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You design tests for the rewrite of a legacy ETL job. Every test asserts that the new output equals the
        legacy output on the same input, never what the output "should" be. Given a requirement and the cases
        already planned, propose only missing edge cases: nulls, empty inputs, boundaries of every threshold,
        duplicates, late data. A suspected defect gets a defect-preserving case; an ambiguous requirement gets
        one case per interpretation.
        """;

    public override string JudgmentQuestion => "Which edge cases does the test plan for this requirement miss?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(TestDesignInput input, EdgeCaseProposal output) =>
        output.AdditionalCases.IsDefault || output.AdditionalCases.Any(string.IsNullOrWhiteSpace)
            ? "additional_cases must be a list of non-empty case descriptions."
            : null;
}
