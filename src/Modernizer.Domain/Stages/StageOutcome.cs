using System.Collections.Immutable;
using Modernizer.Domain.Decisions;

namespace Modernizer.Domain.Stages;

/// <summary>What a stage produced. The supervisor records the outcome, its decisions and its
/// escalations in one transaction, so a process killed mid-stage never leaves half of them.</summary>
public sealed record StageOutcome(
    StageStatus Status,
    ImmutableArray<ArtifactRef> Artifacts,
    ImmutableArray<DecisionDraft> Decisions,
    ImmutableArray<EscalationRequest> Escalations,
    string? Message = null)
{
    public static StageOutcome Completed(
        ImmutableArray<ArtifactRef> artifacts,
        ImmutableArray<DecisionDraft> decisions,
        ImmutableArray<EscalationRequest> escalations) =>
        new(escalations.IsDefaultOrEmpty ? StageStatus.Completed : StageStatus.Escalated, artifacts, decisions, escalations);
}
