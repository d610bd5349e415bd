using System.Collections.Immutable;
using Modernizer.Agents.Limits;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;

namespace Modernizer.Agents.Stages;

/// <summary>The common frame of a role's stage work: its stage from the catalog, one trace span for the
/// stage and one for the role (GenAI invoke_agent), typed settings, and the model identity that goes
/// into every input hash (switching provider or model re-runs the stage).</summary>
public abstract class RoleStageWork(AgentServices services) : IStageWork
{
    protected AgentServices Services { get; } = services;

    public abstract RoleId Role { get; }

    public StageId Stage => RoleCatalog.Get(Role).Stage;

    public abstract Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken);

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var stage = Services.Telemetry.StartStage(Stage, context.Job);
        using var role = Services.Telemetry.StartRole(Role, Stage, context.Job);
        await SeedBudgetAsync(context, cancellationToken).ConfigureAwait(false);
        return await RunRoleAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A budget lives in one process; the first stage of a job this process runs starts it from the
    /// spend earlier runs logged for the job, so a resumed run cannot exceed the per-job budget (R5.2).
    /// Before this point this process has spent nothing on the job, so nothing is counted twice.</summary>
    private async Task SeedBudgetAsync(StageContext context, CancellationToken cancellationToken)
    {
        var ledger = Services.Gateway.Ledger;
        var scope = context.Job?.Value ?? LoggedSpend.PortfolioScope;
        if (!Services.Gateway.IsEnabled || ledger.Has(scope))
        {
            return;
        }

        ledger.Seed(scope, await LoggedSpend.ReadAsync(context.Workspace.DecisionsJsonl, scope, cancellationToken).ConfigureAwait(false));
    }

    protected abstract Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken);

    protected static ModernizeSettings SettingsOf(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Settings as ModernizeSettings
            ?? throw new ArgumentException($"Stage settings must be {nameof(ModernizeSettings)}, not {context.Settings?.GetType().Name ?? "null"}.", nameof(context));
    }

    /// <summary>What of the model configuration shapes a result (never the key).</summary>
    protected object ModelIdentity => new
    {
        provider = Services.Gateway.ProviderName,
        model = Services.Gateway.IsEnabled ? Services.Gateway.Options.Model : null,
        instructions = Services.Roles.Get(Role).InstructionsHash,
    };

    /// <summary>One escalation per kind and job: an engine's check and the role's check of the same X3 row
    /// must not ask a human twice.</summary>
    protected static ImmutableArray<EscalationRequest> Distinct(IEnumerable<EscalationRequest> escalations) =>
        [.. escalations.DistinctBy(e => (e.Kind, e.JobId?.Value))];
}
