using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Scanning;
using Modernizer.Portfolio.Staging;

namespace Modernizer.Agents.Stages;

/// <summary>FinOps Analyst (R1.2) as a stage: the portfolio engine's <see cref="FinOpsAnalyst"/>. The
/// analyst queries the scanner's tables: it attaches the ones the scan stage staged for the same inputs
/// and scans in memory only when they are missing or stale (the scan's decisions were logged by the scan
/// stage and are not repeated). finops.json is written atomically and recorded for the prioritizer.</summary>
public sealed class FinOpsStageWork(AgentServices services) : Tier1StageWork(services)
{
    public override RoleId Role => RoleId.FinOpsAnalyst;

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = OptionsOf(context);
        var inputHash = await PortfolioHashAsync(context, cancellationToken).ConfigureAwait(false);
        await using var engine = await OpenEngineAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var staged = await PortfolioStage.TryAttachScanAsync(engine, context.Workspace, inputHash, cancellationToken).ConfigureAwait(false);
        var scan = staged is { } inventory
            ? new ScanResult(inventory, [], [])
            : await new PortfolioScanner(engine, options).ScanAsync(context.Workspace, cancellationToken).ConfigureAwait(false);
        var finops = await new FinOpsAnalyst(engine, options).AnalyzeAsync(context.Workspace, scan, cancellationToken).ConfigureAwait(false);
        var artifacts = await PortfolioWriter.WriteFinOpsAsync(context.Workspace, finops.Report, cancellationToken).ConfigureAwait(false);
        var report = artifacts.Single(a => a.Path == PortfolioWriter.FinOpsArtifact);
        await PortfolioStage.SaveFinOpsAsync(context.Workspace, inputHash, report.Sha256, cancellationToken).ConfigureAwait(false);
        return StageOutcome.Completed(artifacts, finops.Decisions, Distinct(finops.Escalations)) with { Message = Source(staged is not null) };
    }

    /// <summary>Says on the stage's record whether the scan was read from its stage or redone.</summary>
    internal static string Source(bool staged) => staged
        ? "read the scan staged under .modernize/portfolio/stage"
        : "the staged scan was missing or stale: scanned the workspace again in memory";
}
