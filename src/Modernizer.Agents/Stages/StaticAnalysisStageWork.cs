using System.Collections.Immutable;
using System.Security.Cryptography;
using Modernizer.Delivery;
using Modernizer.Delivery.Analysis;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;

namespace Modernizer.Agents.Stages;

/// <summary>Static Analyzer (R4.2) as a stage: the delivery engine's checks on the rewrite as it is on
/// disk, validation.json, and on a blocking finding the job goes back to the Code Writer with the findings
/// (X4): the stage fails with the reason, and <c>rewrite-feedback/static_analysis.json</c> changes the
/// Code Writer's input, so its next run rewrites. After <c>escalation.rewrite_attempts</c> rewrites that
/// still block, the message says so and the job stays failed until a human looks.</summary>
public sealed class StaticAnalysisStageWork(AgentServices services, TimeProvider clock, Func<string, string?> environment) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.StaticAnalyzer;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job ?? throw new ArgumentException("The static analysis stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        return await StageInputHash.ComputeAsync(context.Workspace.Root, [Path.Combine(context.Workspace.JobOutput(job), "rewrite")],
            new { analysis = settings.Delivery.StaticAnalysis, lake = settings.Lake.Root }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = context.Job ?? throw new ArgumentException("The static analysis stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var service = new DeliveryService(context.Workspace, settings, environment, clock);
        Decided<ValidationReport> analysed;
        try
        {
            analysed = await service.AnalyzeAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (DeliveryException e)
        {
            return new StageOutcome(StageStatus.Failed, [], [], [], e.Message);
        }

        var path = StaticAnalyzer.ValidationPath(context.Workspace, job);
        var artifacts = ImmutableArray.Create(new ArtifactRef($"jobs/{job}/validation.json",
            Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)))));
        var report = analysed.Result;
        if (!report.Blocking)
        {
            return StageOutcome.Completed(artifacts, analysed.Decisions, []);
        }

        var rework = await ReworkRequest.ReadAsync(ReworkRequest.PathFor(context.Workspace, job, "static_analysis"), cancellationToken).ConfigureAwait(false);
        var attempt = rework?.Attempt ?? 1;
        var exhausted = attempt >= settings.Escalation.RewriteAttempts;
        var message = $"static analysis blocks delivery ({report.Findings.Count(f => f.Blocking)} blocking finding(s), see validation.json): "
            + (exhausted
                ? $"still blocking after {attempt} rewrite(s) (escalation.rewrite_attempts); a human must look at the findings"
                : $"back to the Code Writer with the findings (rewrite-feedback/static_analysis.json, attempt {attempt} of {settings.Escalation.RewriteAttempts})");
        return new StageOutcome(StageStatus.Failed, artifacts, analysed.Decisions, [], message);
    }
}
