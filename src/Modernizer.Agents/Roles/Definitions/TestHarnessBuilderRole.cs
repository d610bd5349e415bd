using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R3.3 judgment input: a designed case and the fixture files built for it.</summary>
public sealed record HarnessInput(string CaseId, string Description, ImmutableArray<string> Fixtures);

/// <summary>R3.3 judgment: the test's name, readable by the people who will flip defect-preserving tests.</summary>
public sealed record HarnessNaming(string TestName, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Test Harness Builder (R3.3): executable golden tests from cases and fixtures. No escalation of its own.</summary>
public sealed class TestHarnessBuilderRole : RoleSpec<HarnessInput, HarnessNaming>
{
    public override RoleId Role => RoleId.TestHarnessBuilder;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You turn designed test cases into executable golden tests; the product generates the test code. You only
        name each test after the behavior it checks, in snake_case, starting with the requirement it traces
        to (req_3_orders_under_ten_units_are_excluded). Defect-preserving tests end in _defect_preserving.
        """;

    public override string JudgmentQuestion => "Name the golden test for this case.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(HarnessInput input, HarnessNaming output) =>
        output.TestName.Length is > 0 and <= 120 && output.TestName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            ? null
            : "test_name must be snake_case ASCII, 1..120 characters.";
}
