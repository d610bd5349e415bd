using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;

namespace Modernizer.Cli.Composition;

/// <summary>The one place where role implementations join the <c>modernize</c> command: each area
/// adds its roles here, e.g. <c>registry.Add(RoleId.PortfolioScanner, c =&gt; new ScanStage(c.Settings));</c>.
/// Roles not added are shown as "not available" by <c>modernize status</c> and never faked.</summary>
public static class RoleRegistrations
{
    /// <summary>The product's registry. <paramref name="environment"/> reads the model keys and the
    /// MODERNIZE_LLM_REPLAY / MODERNIZE_LLM_RECORD folders (the process environment by default).</summary>
    public static StageWorkRegistry CreateDefault(Func<string, string?>? environment = null)
    {
        var registry = new StageWorkRegistry();
        // One AgentServices per run: the budget ledger and the circuit breaker are shared by all roles.
        var telemetry = new AgentTelemetry();
        AgentServices? services = null;
        AgentServices For(StageWorkContext c) => services ??= AgentServices.Create(c.Settings, telemetry, environment);
        foreach (var role in StageWorkCatalog.AvailableRoles)
        {
            registry.Add(role, c => new StageWorkCatalog(For(c)).Create(role));
        }

        // Tier 4-5 delivery (R4.2, R5.1): the same engines as `modernize package / promote`.
        var read = environment ?? Environment.GetEnvironmentVariable;
        registry.Add(Domain.Roles.RoleId.StaticAnalyzer, c => new StaticAnalysisStageWork(For(c), c.Clock, read));
        registry.Add(Domain.Roles.RoleId.DeploymentAgent, c => new DeployStageWork(For(c), c.Clock, read));

        // Tiers 2-3 (R2.3, R3.1-R3.3) and the test runner (R4.3), built on Modernizer.Specs.
        foreach (var role in SpecsStageWorks.Roles)
        {
            registry.Add(role, c => SpecsStageWorks.Create(role, For(c)));
        }

        return registry;
    }
}
