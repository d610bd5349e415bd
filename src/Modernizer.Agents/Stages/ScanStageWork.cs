using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Scanning;
using Modernizer.Portfolio.Staging;

namespace Modernizer.Agents.Stages;

/// <summary>Portfolio Scanner (R1.1) as a stage: the portfolio engine's <see cref="PortfolioScanner"/>
/// over catalog, run logs and job manifests in a sandboxed DuckDB, inventory.json/.csv written atomically.
/// The engine infers missing metadata itself; no model judgment is needed here. The scan's tables are
/// staged (<see cref="PortfolioStage"/>) for the FinOps and Prioritization stages: tier 1 scans once.</summary>
public sealed class ScanStageWork(AgentServices services) : Tier1StageWork(services)
{
    public override RoleId Role => RoleId.PortfolioScanner;

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = OptionsOf(context);
        var inputHash = await PortfolioHashAsync(context, cancellationToken).ConfigureAwait(false);
        await using var engine = await OpenEngineAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var scan = await new PortfolioScanner(engine, options).ScanAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var artifacts = await PortfolioWriter.WriteInventoryAsync(context.Workspace, scan.Inventory, cancellationToken).ConfigureAwait(false);
        var inventory = artifacts.Single(a => a.Path == PortfolioWriter.InventoryArtifact);
        await PortfolioStage.SaveScanAsync(engine, context.Workspace, inputHash, inventory.Sha256, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, scan.Decisions, Distinct(scan.Escalations));
    }
}
