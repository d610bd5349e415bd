namespace Modernizer.Domain.Roles;

/// <summary>The 16 roles of the mission, tiers 1 to 5.</summary>
public enum RoleId
{
    PortfolioScanner,
    FinOpsAnalyst,
    PrioritizationOrchestrator,
    CodeReviewer,
    DataProfiler,
    RequirementsInferencer,
    SpecWriter,
    TestCaseDesigner,
    TestDataGenerator,
    TestHarnessBuilder,
    CodeWriter,
    StaticAnalyzer,
    TestRunner,
    ValidationReconciler,
    DeploymentAgent,
    Supervisor,
}
