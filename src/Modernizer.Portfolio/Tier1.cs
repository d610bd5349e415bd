using System.Collections.Immutable;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio;

/// <summary>Everything tier 1 produced in one run.</summary>
public sealed record Tier1Result(ScanResult Scan, FinOpsResult FinOps, BacklogResult Backlog, ImmutableArray<ArtifactRef> Artifacts)
{
    public ImmutableArray<DecisionDraft> Decisions => [.. Scan.Decisions, .. FinOps.Decisions, .. Backlog.Decisions];

    public ImmutableArray<EscalationRequest> Escalations => [.. Scan.Escalations, .. FinOps.Escalations, .. Backlog.Escalations];
}

/// <summary>Runs the three tier-1 roles in order on one engine (the staged exports are shared) and
/// writes their artifacts. The supervisor may instead call each role as its own stage.</summary>
public static class Tier1
{
    public static async Task<Tier1Result> RunAsync(WorkspacePaths workspace, IQueryEngine engine, PortfolioOptions options, CancellationToken cancellationToken)
    {
        var scan = await new PortfolioScanner(engine, options).ScanAsync(workspace, cancellationToken);
        var finops = await new FinOpsAnalyst(engine, options).AnalyzeAsync(workspace, scan, cancellationToken);
        var backlog = await new Prioritizer(options).PrioritizeAsync(workspace, scan, finops, cancellationToken);
        ImmutableArray<ArtifactRef> artifacts =
        [
            .. await PortfolioWriter.WriteInventoryAsync(workspace, scan.Inventory, cancellationToken),
            .. await PortfolioWriter.WriteFinOpsAsync(workspace, finops.Report, cancellationToken),
            .. await PortfolioWriter.WriteBacklogAsync(workspace, backlog.Backlog, cancellationToken),
        ];
        return new Tier1Result(scan, finops, backlog, artifacts);
    }
}
