using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Agents.Stages;

/// <summary>Portfolio Scanner (R1.1) as a stage: the portfolio engine's <see cref="PortfolioScanner"/>
/// over catalog, run logs and job manifests in a sandboxed DuckDB, inventory.json/.csv written atomically.
/// The engine infers missing metadata itself; no model judgment is needed here.</summary>
public sealed class ScanStageWork(AgentServices services) : Tier1StageWork(services)
{
    public override RoleId Role => RoleId.PortfolioScanner;

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = OptionsOf(context);
        await using var engine = await OpenEngineAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var scan = await new PortfolioScanner(engine, options).ScanAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var artifacts = await PortfolioWriter.WriteInventoryAsync(context.Workspace, scan.Inventory, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, scan.Decisions, Distinct(scan.Escalations));
    }
}

