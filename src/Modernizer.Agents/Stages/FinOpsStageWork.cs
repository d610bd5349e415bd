using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Agents.Stages;

/// <summary>FinOps Analyst (R1.2) as a stage: the portfolio engine's <see cref="FinOpsAnalyst"/>. The
/// analyst needs the scanner's staged tables in the same engine, so the scan is recomputed in memory (its
/// decisions were logged by the scan stage and are not repeated); finops.json is written atomically.</summary>
public sealed class FinOpsStageWork(AgentServices services) : Tier1StageWork(services)
{
    public override RoleId Role => RoleId.FinOpsAnalyst;

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = OptionsOf(context);
        await using var engine = await OpenEngineAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var scan = await new PortfolioScanner(engine, options).ScanAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var finops = await new FinOpsAnalyst(engine, options).AnalyzeAsync(context.Workspace, scan, cancellationToken).ConfigureAwait(false);
        var artifacts = await PortfolioWriter.WriteFinOpsAsync(context.Workspace, finops.Report, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, finops.Decisions, Distinct(finops.Escalations));
    }
}
