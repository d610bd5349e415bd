using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R5.2 judgment input: an open escalation and the decisions that led to it.</summary>
public sealed record EscalationBriefInput(string EscalationKind, string Summary, ImmutableArray<string> DecisionRefs);

/// <summary>R5.2 judgment: a short brief for the human approver.</summary>
public sealed record EscalationBrief(string Brief, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Supervisor/Orchestrator (R5.2): holds every job's state, moves jobs through the stages,
/// enforces phases and limits. Its work is the pipeline's (Modernizer.Pipeline); a model may only write the
/// brief a human reads on an escalation.</summary>
public sealed class SupervisorRole : RoleSpec<EscalationBriefInput, EscalationBrief>
{
    public override RoleId Role => RoleId.Supervisor;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You brief a human approver on one escalation of the modernization pipeline. In three sentences or
        fewer, say what was found, why the escalation table sends it to a human, and what the approver is asked
        to decide. Cite the decisions given. Do not recommend approval or rejection.
        """;

    public override string JudgmentQuestion => "Brief the approver on this escalation.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(EscalationBriefInput input, EscalationBrief output) =>
        string.IsNullOrWhiteSpace(output.Brief) || output.Brief.Length > 800 ? "brief must be 1..800 characters." : null;
}
