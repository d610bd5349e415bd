using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R3.2 judgment input: a test case and the profiled column it exercises.</summary>
public sealed record TestDataInput(string CaseId, string Column, string Type, string? Min, string? Max, double NullRate);

/// <summary>R3.2 judgment: values that exercise the case, in the column's type.</summary>
public sealed record EdgeValues(ImmutableArray<string> Values, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Test Data Generator (R3.2): representative and synthetic data, including edge cases, shaped by
/// the profiles. No escalation of its own.</summary>
public sealed class TestDataGeneratorRole : RoleSpec<TestDataInput, EdgeValues>
{
    public override RoleId Role => RoleId.TestDataGenerator;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You choose test values for one column of an ETL job's input. The product generates representative data
        from profiles; you propose the edge values a test case needs: values at and just beyond the profiled
        minimum and maximum, null when the column admits it, and values that hit each boundary of the logic.
        Write each value as a literal of the column's type.
        """;

    public override string JudgmentQuestion => "Which values exercise this test case for this column?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(TestDataInput input, EdgeValues output) =>
        output.Values.IsDefaultOrEmpty ? "values must not be empty." : null;
}
