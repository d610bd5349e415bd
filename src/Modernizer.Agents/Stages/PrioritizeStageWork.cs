using System.Collections.Immutable;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Portfolio;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;
using Modernizer.Portfolio.Staging;

namespace Modernizer.Agents.Stages;

/// <summary>Prioritization Orchestrator (R1.3) as a stage: the portfolio engine's <see cref="Prioritizer"/>
/// ranks the jobs (the score is never a model's) from the inventory and FinOps report the earlier stages
/// computed from the same inputs (Portfolio.Staging.PortfolioStage). With a model configured, the judgment step phrases each
/// candidate's justification; an answer that fails the checks leaves the engine's justification.
/// backlog.json/.md are written atomically.</summary>
public sealed class PrioritizeStageWork(AgentServices services) : Tier1StageWork(services)
{
    public override RoleId Role => RoleId.PrioritizationOrchestrator;

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = OptionsOf(context);
        var (scan, finops, staged) = await InputsAsync(context, options, cancellationToken).ConfigureAwait(false);
        var result = await new Prioritizer(options).PrioritizeAsync(context.Workspace, scan, finops, cancellationToken).ConfigureAwait(false);

        var backlog = result.Backlog;
        var decisions = result.Decisions.ToBuilder();
        var escalations = result.Escalations.ToBuilder();
        if (Services.Runner.ModelAvailable)
        {
            var phrased = ImmutableArray.CreateBuilder<BacklogCandidate>(backlog.Candidates.Length);
            foreach (var candidate in backlog.Candidates)
            {
                var step = await PhraseAsync(candidate, options.ComplianceTopRank, cancellationToken).ConfigureAwait(false);
                decisions.AddRange(step.Decisions);
                escalations.AddRange(step.Escalations);
                phrased.Add(step.FromModel ? candidate with { Justification = step.Result.Justification } : candidate);
            }

            backlog = backlog with { Candidates = phrased.MoveToImmutable() };
        }

        var artifacts = await PortfolioWriter.WriteBacklogAsync(context.Workspace, backlog, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, decisions.ToImmutable(), Distinct(escalations)) with { Message = Source(staged) };
    }

    /// <summary>Says on the stage's record whether its inputs were read from the earlier stages or computed again.</summary>
    internal static string Source(bool staged) => staged
        ? "read the inventory and FinOps report staged under .modernize/portfolio/stage"
        : "the staged inventory or FinOps report was missing or stale: scanned and analysed the workspace again in memory";

    /// <summary>The inventory and the FinOps report the earlier stages computed from the inputs as they are
    /// now; when either is missing or stale, both are computed again in memory.</summary>
    private async Task<(ScanResult Scan, FinOpsResult FinOps, bool Staged)> InputsAsync(StageContext context, PortfolioOptions options, CancellationToken cancellationToken)
    {
        var inputHash = await PortfolioHashAsync(context, cancellationToken).ConfigureAwait(false);
        if (await PortfolioStage.TryReadInventoryAsync(context.Workspace, inputHash, cancellationToken).ConfigureAwait(false) is { } inventory
            && await PortfolioStage.TryReadFinOpsAsync(context.Workspace, inputHash, cancellationToken).ConfigureAwait(false) is { } report)
        {
            return (new ScanResult(inventory, [], []), new FinOpsResult(report, [], []), true);
        }

        await using var engine = await OpenEngineAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var scan = await new PortfolioScanner(engine, options).ScanAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var finops = await new FinOpsAnalyst(engine, options).AnalyzeAsync(context.Workspace, scan, cancellationToken).ConfigureAwait(false);
        return (scan, finops, false);
    }

    private Task<StepResult<CandidateJustification>> PhraseAsync(BacklogCandidate candidate, int complianceTopRank, CancellationToken cancellationToken)
    {
        var role = Services.Roles.Get<PrioritizationOrchestratorRole>();
        var anchor = $"portfolio/backlog.json#{candidate.JobId}";
        var evidence = candidate.Evidence.IsDefault ? [] : candidate.Evidence;
        var factors = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new KeyValuePair<string, double>[]
        {
            new("cost", candidate.Factors.Cost),
            new("failure", candidate.Factors.Failure),
            new("complexity", candidate.Factors.Complexity),
            new("criticality", candidate.Factors.Criticality),
            new("difficulty", candidate.Factors.Difficulty),
        });
        var input = new CandidateInput(candidate.JobId, candidate.Rank, candidate.Score, factors,
            !candidate.Compliance.IsDefaultOrEmpty && candidate.Rank <= complianceTopRank);
        var request = new JudgmentRequest<CandidateInput>(
            new JobId(candidate.JobId), input, [], [anchor, .. evidence], []);
        var deterministic = new CandidateJustification(candidate.Justification, 1.0, [anchor]);
        return Services.Step.DecideAsync(role, request, deterministic, "justification_phrasing", j => j.Justification, cancellationToken);
    }
}
