using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R3.1 judgment input: a requirement, the cases already planned for it, and the input columns
/// (<c>table.column</c>) a suggested case may set.</summary>
public sealed record TestDesignInput(string RequirementId, string Statement, bool SuspectedDefect, ImmutableArray<string> Interpretations, ImmutableArray<string> PlannedCases, ImmutableArray<string> Columns);

/// <summary>One extra case: a value for one input column that reaches an edge the plan misses. The product
/// builds its data and takes its expected rows from the legacy side, as for every case.</summary>
public sealed record SuggestedCase(string Description, string Table, string Column, string Value);

/// <summary>R3.1 judgment: edge cases the plan misses.</summary>
public sealed record EdgeCaseProposal(ImmutableArray<SuggestedCase> Cases, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Test Case Designer (R3.1): happy path, edge, null, boundary and regression cases asserting
/// identity with the legacy output; defect-preserving and dual-interpretation tests. No escalation of its own.</summary>
public sealed class TestCaseDesignerRole : RoleSpec<TestDesignInput, EdgeCaseProposal>
{
    public override RoleId Role => RoleId.TestCaseDesigner;

    public override string InstructionsVersion => "2.0.0";

    public override string Instructions => """
        You design tests for the rewrite of a legacy ETL job. Every test asserts that the new output equals the
        legacy output on the same input, never what the output "should" be. Given a requirement and the cases
        already planned, propose only missing edge cases: nulls, empty inputs, boundaries of every threshold,
        duplicates, late data. A suspected defect gets a defect-preserving case; an ambiguous requirement gets
        one case per interpretation. Each case you propose sets one value of one input column (table and column
        from the given list; the value as a literal of the column's type). Propose nothing the planned cases cover.
        """;

    public override string JudgmentQuestion => "Which edge cases does the test plan for this requirement miss?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(TestDesignInput input, EdgeCaseProposal output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (output.Cases.IsDefault)
        {
            return "cases must be a list.";
        }

        var bad = output.Cases.FirstOrDefault(c => string.IsNullOrWhiteSpace(c.Description) || string.IsNullOrWhiteSpace(c.Value)
            || !input.Columns.Contains($"{c.Table}.{c.Column}", StringComparer.OrdinalIgnoreCase));
        return bad is null ? null : $"every case needs a description, a value, and a table.column from the given columns; '{bad.Table}.{bad.Column}' is not one of them.";
    }
}
