using System.Collections.Immutable;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;

namespace Modernizer.Portfolio.Prioritization;

/// <summary>The five normalized factor scores, each in [0, 1] (docs/prioritization.md). Difficulty is
/// scored as ease: 1 = easiest rewrite, so every factor raises the priority.</summary>
public sealed record FactorScores(double Cost, double Failure, double Complexity, double Criticality, double Difficulty);

/// <summary>One backlog row (docs/workspace.md: rank, job_id, score, factors, justification) plus its evidence.</summary>
public sealed record BacklogCandidate
{
    public int Rank { get; init; }
    public required string JobId { get; init; }
    public double Score { get; init; }
    public required FactorScores Factors { get; init; }
    public required string Justification { get; init; }
    public string? Name { get; init; }
    public bool HasCode { get; init; }
    public required string ComplexitySource { get; init; }
    public ImmutableArray<string> Compliance { get; init; } = [];
    public ImmutableArray<string> ConflictsResolved { get; init; } = [];
    public ImmutableArray<string> Evidence { get; init; } = [];
}

/// <summary>backlog.json: the top N candidates and the weights that ranked them.</summary>
public sealed record Backlog(PriorityWeights Weights, int TopN, int JobsScored, ImmutableArray<BacklogCandidate> Candidates);

public sealed record BacklogResult(Backlog Backlog, ImmutableArray<DecisionDraft> Decisions, ImmutableArray<EscalationRequest> Escalations);
