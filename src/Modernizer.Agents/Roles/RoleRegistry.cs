using System.Collections.Immutable;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles;

/// <summary>The 16 role definitions, one per <see cref="RoleId"/>, in pipeline order.</summary>
public sealed class RoleRegistry
{
    public RoleRegistry()
    {
        All =
        [
            new PortfolioScannerRole(),
            new FinOpsAnalystRole(),
            new PrioritizationOrchestratorRole(),
            new CodeReviewerRole(),
            new DataProfilerRole(),
            new RequirementsInferencerRole(),
            new SpecWriterRole(),
            new TestCaseDesignerRole(),
            new TestDataGeneratorRole(),
            new TestHarnessBuilderRole(),
            new CodeWriterRole(),
            new StaticAnalyzerRole(),
            new TestRunnerRole(),
            new ValidationReconcilerRole(),
            new DeploymentAgentRole(),
            new SupervisorRole(),
        ];
    }

    public ImmutableArray<RoleSpec> All { get; }

    public RoleSpec Get(RoleId role) => All.First(r => r.Role == role);

    public T Get<T>()
        where T : RoleSpec => All.OfType<T>().First();
}
