using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R1.3 judgment input: one ranked candidate and its factor scores.</summary>
public sealed record CandidateInput(string JobId, int Rank, double Score, ImmutableDictionary<string, double> Factors, bool ComplianceCritical);

/// <summary>R1.3 judgment: the justification sentence for the candidate.</summary>
public sealed record CandidateJustification(string Justification, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Prioritization Orchestrator (R1.3): weighted score (cost 30%, failures 25%, complexity 20%,
/// criticality 15%, difficulty 10%); top 20 with justifications; escalates a compliance-critical job in the top 5.</summary>
public sealed class PrioritizationOrchestratorRole : RoleSpec<CandidateInput, CandidateJustification>
{
    public override RoleId Role => RoleId.PrioritizationOrchestrator;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You explain why an ETL job ranks where it does in the rewrite backlog. The score is computed by the
        product from weighted factors; you never change it. Write one or two plain sentences naming the
        factors that weigh most for this job, with their values. Do not invent facts beyond the input.
        """;

    public override string JudgmentQuestion => "Write the justification for this candidate's rank.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(CandidateInput input, CandidateJustification output) =>
        string.IsNullOrWhiteSpace(output.Justification) || output.Justification.Length > 600
            ? "justification must be one or two sentences (1..600 characters)."
            : null;

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, CandidateInput input, CandidateJustification output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.ComplianceCritical && input.Rank <= 5
            ? [new EscalationRequest(job, Stage, Role, EscalationKind.ComplianceCriticalInTopFive,
                $"Compliance-critical job {input.JobId} ranks {input.Rank} of the top 5.",
                [new Evidence(EvidenceKind.Catalog, $"portfolio/backlog.json#{input.JobId}")])]
            : [];
    }
}
