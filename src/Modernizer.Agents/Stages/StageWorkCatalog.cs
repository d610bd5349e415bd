using System.Collections.Immutable;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;

namespace Modernizer.Agents.Stages;

/// <summary>Why a role has no stage work: its engine does not exist yet. Such roles are shown as
/// "not available" and never faked.</summary>
public sealed record UnavailableRole(RoleId Role, StageId Stage, string Reason);

/// <summary>The stage work of every role whose engine exists, for the supervisor; and the roles that are
/// not available, with the reason.</summary>
public sealed class StageWorkCatalog(AgentServices services)
{
    /// <summary>The roles this build can run, each with its factory.</summary>
    public static ImmutableArray<RoleId> AvailableRoles { get; } =
    [
        RoleId.PortfolioScanner,
        RoleId.FinOpsAnalyst,
        RoleId.PrioritizationOrchestrator,
        RoleId.CodeReviewer,
        RoleId.DataProfiler,
        RoleId.CodeWriter,
        RoleId.ValidationReconciler,
    ];

    public static ImmutableArray<UnavailableRole> Unavailable { get; } =
    [
        .. RoleCatalog.All
            .Where(r => !AvailableRoles.Contains(r.Role) && r.Role != RoleId.Supervisor)
            .Select(r => new UnavailableRole(r.Role, r.Stage, ReasonFor(r.Role))),
    ];

    public IStageWork Create(RoleId role) => role switch
    {
        RoleId.PortfolioScanner => new ScanStageWork(services),
        RoleId.FinOpsAnalyst => new FinOpsStageWork(services),
        RoleId.PrioritizationOrchestrator => new PrioritizeStageWork(services),
        RoleId.CodeReviewer => new CodeReviewStageWork(services),
        RoleId.DataProfiler => new ProfileStageWork(services),
        RoleId.CodeWriter => new RewriteStageWork(services),
        RoleId.ValidationReconciler => new ReconcileStageWork(services),
        _ => throw new ArgumentException($"{RoleCatalog.Get(role).DisplayName} is not available: {ReasonFor(role)}", nameof(role)),
    };

    public ImmutableArray<IStageWork> CreateAll() => [.. AvailableRoles.Select(Create)];

    private static string ReasonFor(RoleId role) => role switch
    {
        RoleId.RequirementsInferencer or RoleId.SpecWriter => "the requirements and spec engines are not in this build",
        RoleId.TestCaseDesigner or RoleId.TestDataGenerator or RoleId.TestHarnessBuilder => "the test engineering engines are not in this build",
        RoleId.TestRunner => "the test runner is not in this build",
        RoleId.StaticAnalyzer or RoleId.DeploymentAgent => "registered by the command (Modernizer.Cli RoleRegistrations) with its clock and environment",
        RoleId.Supervisor => "the supervisor is the pipeline itself",
        _ => "available",
    };
}
