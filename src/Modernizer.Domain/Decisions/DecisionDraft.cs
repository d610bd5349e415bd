using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Domain.Decisions;

/// <summary>A decision as a role proposes it (X2: who, what, alternatives, evidence, confidence,
/// rule). The decision log assigns sequence, time and the hash chain when it is appended.</summary>
public sealed record DecisionDraft(
    JobId? JobId,
    StageId Stage,
    RoleId Role,
    string Kind,
    DecisionOutcome Outcome,
    Confidence Confidence,
    string Rule,
    string Rationale,
    ImmutableArray<string> Alternatives,
    ImmutableArray<Evidence> Evidence)
{
    /// <summary>Model tokens spent on this decision (0 when made deterministically).</summary>
    public long Tokens { get; init; }

    /// <summary>Model cost in US dollars for this decision.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Hash of the role instructions in force, when a model took part.</summary>
    public string? InstructionsHash { get; init; }
}
