using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R4.2 judgment input: one linter or scanner finding on the rewritten code.</summary>
public sealed record FindingInput(string FindingId, string Tool, string RuleId, string Span, string Message);

/// <summary>R4.2 judgment: whether the finding is real, and why.</summary>
public sealed record FindingTriage(string Verdict, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Static Analyzer (R4.2): linters, security scanners and style checks on the new code; findings
/// triaged, never silenced without a reason. No escalation of its own.</summary>
public sealed class StaticAnalyzerRole : RoleSpec<FindingInput, FindingTriage>
{
    public const string Real = "real";
    public const string FalsePositive = "false_positive";

    public override RoleId Role => RoleId.StaticAnalyzer;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You triage findings of linters and security scanners on rewritten Spark SQL. Say whether a finding is
        real or a false positive, citing the span. Security findings (injection, secrets, unbounded access) are
        real unless the span shows they cannot happen. When unsure, call it real.
        """;

    public override string JudgmentQuestion => "Is this static-analysis finding real or a false positive?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(FindingInput input, FindingTriage output) =>
        output.Verdict is Real or FalsePositive ? null : $"verdict must be '{Real}' or '{FalsePositive}'.";
}
