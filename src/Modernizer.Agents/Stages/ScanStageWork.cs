using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Agents.Stages;

/// <summary>Portfolio Scanner (R1.1) as a stage: the portfolio engine's <see cref="PortfolioScanner"/>
/// over catalog, run logs and job manifests in a sandboxed DuckDB, inventory.json/.csv written atomically.
/// The engine infers missing metadata itself; no model judgment is needed here.</summary>
public sealed class ScanStageWork(AgentServices services) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.PortfolioScanner;

    public override Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var w = context.Workspace;
        return StageInputHash.ComputeAsync(w.Root, Tier1Inputs.Paths(w),
            new { portfolio = AgentServices.ToPortfolioOptions(SettingsOf(context)), model = ModelIdentity }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = AgentServices.ToPortfolioOptions(SettingsOf(context));
        await using var engine = await Tier1Inputs.OpenEngineAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var scan = await new PortfolioScanner(engine, options).ScanAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var artifacts = await PortfolioWriter.WriteInventoryAsync(context.Workspace, scan.Inventory, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, scan.Decisions, Distinct(scan.Escalations));
    }
}

/// <summary>What tier 1 reads, and its engine: DuckDB sandboxed to the workspace.</summary>
internal static class Tier1Inputs
{
    public static IEnumerable<string> Paths(Domain.Workspace.WorkspacePaths workspace) =>
        [workspace.Catalog, workspace.Finops, workspace.Jobs, workspace.ConfigFile];

    public static async Task<IQueryEngine> OpenEngineAsync(Domain.Workspace.WorkspacePaths workspace, CancellationToken cancellationToken) =>
        await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(workspace.Root), cancellationToken).ConfigureAwait(false);
}
