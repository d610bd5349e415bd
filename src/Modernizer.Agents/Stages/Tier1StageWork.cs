using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio;

namespace Modernizer.Agents.Stages;

/// <summary>What the three tier-1 stages share: they read the catalog, finops exports, job folders and
/// configuration, so one input hash covers them, and they query it in DuckDB sandboxed to the workspace.</summary>
public abstract class Tier1StageWork(AgentServices services) : RoleStageWork(services)
{
    public override Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workspace = context.Workspace;
        return StageInputHash.ComputeAsync(
            workspace.Root,
            [workspace.Catalog, workspace.Finops, workspace.Jobs, workspace.ConfigFile],
            new { portfolio = OptionsOf(context), model = ModelIdentity },
            cancellationToken);
    }

    protected PortfolioOptions OptionsOf(StageContext context) => AgentServices.ToPortfolioOptions(SettingsOf(context));

    protected static async Task<IQueryEngine> OpenEngineAsync(WorkspacePaths workspace, CancellationToken cancellationToken) =>
        await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(workspace.Root), cancellationToken).ConfigureAwait(false);
}
