using System.Collections.Immutable;
using System.Security.Cryptography;
using Modernizer.Delivery;
using Modernizer.Delivery.Promotion;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;

namespace Modernizer.Agents.Stages;

/// <summary>Deployment Agent (R5.1) as the phase-4 stage: the same code as <c>modernize package</c> and
/// <c>modernize promote</c>. The bundle is written (and committed, pushed and its pull request opened when a
/// repository is configured), then the job goes dev → staging → prod as far as the gates let it. A held
/// gate (pull request not merged, a shadow run that differs) fails the stage with the gate's reason; the
/// next run tries again.</summary>
public sealed class DeployStageWork(AgentServices services, TimeProvider clock, Func<string, string?> environment) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.DeploymentAgent;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job ?? throw new ArgumentException("The deploy stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var folder = context.Workspace.JobOutput(job);
        return await StageInputHash.ComputeAsync(context.Workspace.Root,
            [Path.Combine(folder, "rewrite"), Path.Combine(folder, "validation.json"), Path.Combine(folder, "reconciliation.json"),
             Path.Combine(folder, "tests", "results.json"), Path.Combine(folder, "spec.json"), context.Workspace.EscalationsJson],
            new { delivery = settings.Delivery, threshold = settings.Escalation.AcceptanceThreshold }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = context.Job ?? throw new ArgumentException("The deploy stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var service = new DeliveryService(context.Workspace, settings, environment, clock);
        Decided<(string? Environment, string Message, bool Blocked)> delivered;
        try
        {
            delivered = await service.DeliverAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (DeliveryException e)
        {
            return new StageOutcome(StageStatus.Failed, [], [], [], e.Message);
        }

        var artifacts = ImmutableArray.CreateBuilder<ArtifactRef>();
        foreach (var file in new[] { Path.Combine(context.Workspace.JobOutput(job), "bundle", "databricks.yml"), DeploymentRecord.PathFor(context.Workspace, job) })
        {
            if (File.Exists(file))
            {
                artifacts.Add(new ArtifactRef(Path.GetRelativePath(context.Workspace.Output, file).Replace('\\', '/'),
                    Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false)))));
            }
        }

        var (environment_, message, blocked) = delivered.Result;
        var text = $"{message} (environment: {environment_ ?? "none"})";
        return blocked
            ? new StageOutcome(StageStatus.Failed, artifacts.ToImmutable(), delivered.Decisions, [], text)
            : new StageOutcome(StageStatus.Completed, artifacts.ToImmutable(), delivered.Decisions, [], text);
    }
}
