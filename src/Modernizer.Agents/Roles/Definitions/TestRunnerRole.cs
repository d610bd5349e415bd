using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R4.3 judgment input: a failed golden test and its first differing rows.</summary>
public sealed record TestFailureInput(string TestName, string Expected, string Actual, ImmutableArray<string> ChangedColumns);

/// <summary>R4.3 judgment: the likely cause of the failure, pointed at the rewrite span.</summary>
public sealed record FailureDiagnosis(string Cause, string? RewriteSpan, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Test Runner (R4.3): runs the generated tests against the new code; a failure goes back to the
/// Code Writer with its diagnosis. No escalation of its own.</summary>
public sealed class TestRunnerRole : RoleSpec<TestFailureInput, FailureDiagnosis>
{
    public override RoleId Role => RoleId.TestRunner;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You read failed golden tests of a rewritten ETL job. Each test compares the new output with the legacy
        output. Diagnose the likely cause in one sentence (a null handled differently, a rounding mode, a join
        that drops rows) and point at the span of the rewrite that produces it. The legacy output is right by
        definition.
        """;

    public override string JudgmentQuestion => "What most likely causes this golden-test failure?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(TestFailureInput input, FailureDiagnosis output) =>
        string.IsNullOrWhiteSpace(output.Cause) ? "cause is required." : null;
}
