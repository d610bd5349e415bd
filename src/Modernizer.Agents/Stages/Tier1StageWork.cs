using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio;

namespace Modernizer.Agents.Stages;

/// <summary>What the three tier-1 stages share: they read the catalog, finops exports, job folders and
/// configuration, and query them in DuckDB sandboxed to the workspace. The hash of those inputs (the
/// portfolio input hash) is what the scanner's staged result (Portfolio.Staging.PortfolioStage) is keyed
/// by, so the later stages read it only when it was computed from the inputs as they are now; a stage's
/// own input hash adds its model identity to it.</summary>
public abstract class Tier1StageWork(AgentServices services) : RoleStageWork(services)
{
    private (string Key, string Hash)? _portfolioHash;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var portfolio = await ComputePortfolioHashAsync(context, cancellationToken).ConfigureAwait(false);
        var model = JsonSerializer.SerializeToUtf8Bytes(ModelIdentity, ModelIdentity.GetType(), JsonDefaults.Compact);
        return Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(portfolio + "\n"), .. model]));
    }

    /// <summary>The portfolio input hash of <paramref name="context"/>. The supervisor computes the stage's
    /// input hash right before running it, so the value is kept for the run instead of reading every export again.</summary>
    protected async Task<string> PortfolioHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _portfolioHash is { } cached && cached.Key == CacheKey(context)
            ? cached.Hash
            : await ComputePortfolioHashAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ComputePortfolioHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var hash = await StageInputHash.ComputeAsync(
            workspace.Root,
            [workspace.Catalog, workspace.Finops, workspace.Jobs, workspace.ConfigFile],
            new { portfolio = OptionsOf(context) },
            cancellationToken).ConfigureAwait(false);
        _portfolioHash = (CacheKey(context), hash);
        return hash;
    }

    private string CacheKey(StageContext context) =>
        Path.GetFullPath(context.Workspace.Root) + "\n" + JsonSerializer.Serialize(OptionsOf(context), JsonDefaults.Compact);

    protected PortfolioOptions OptionsOf(StageContext context) => AgentServices.ToPortfolioOptions(SettingsOf(context));

    protected static async Task<IQueryEngine> OpenEngineAsync(WorkspacePaths workspace, CancellationToken cancellationToken) =>
        await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(workspace.Root), cancellationToken).ConfigureAwait(false);
}
