using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Agents.Stages;

/// <summary>FinOps Analyst (R1.2) as a stage: the portfolio engine's <see cref="FinOpsAnalyst"/>. The
/// analyst needs the scanner's staged tables in the same engine, so the scan is recomputed in memory (its
/// decisions were logged by the scan stage and are not repeated); finops.json is written atomically.</summary>
public sealed class FinOpsStageWork(AgentServices services) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.FinOpsAnalyst;

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
        var finops = await new FinOpsAnalyst(engine, options).AnalyzeAsync(context.Workspace, scan, cancellationToken).ConfigureAwait(false);
        var artifacts = await PortfolioWriter.WriteFinOpsAsync(context.Workspace, finops.Report, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, finops.Decisions, Distinct(finops.Escalations));
    }
}
