using System.Collections.Immutable;

namespace Modernizer.Domain.Roles;

/// <summary>The 16 roles, defined once. Order is pipeline order.</summary>
public static class RoleCatalog
{
    public static ImmutableArray<RoleDefinition> All { get; } =
    [
        new(RoleId.PortfolioScanner, "Portfolio Scanner", "R1.1", 1, 1, StageId.Scan, StageScope.Portfolio,
            [], ["catalog/*"], ["portfolio/inventory.json", "portfolio/inventory.csv"]),
        new(RoleId.FinOpsAnalyst, "FinOps Analyst", "R1.2", 1, 1, StageId.FinOps, StageScope.Portfolio,
            [StageId.Scan], ["finops/*", "portfolio/inventory.json"], ["portfolio/finops.json"]),
        new(RoleId.PrioritizationOrchestrator, "Prioritization Orchestrator", "R1.3", 1, 1, StageId.Prioritize, StageScope.Portfolio,
            [StageId.Scan, StageId.FinOps], ["portfolio/inventory.json", "portfolio/finops.json"], ["portfolio/backlog.json", "portfolio/backlog.md"]),
        new(RoleId.CodeReviewer, "Code Reviewer", "R2.1", 2, 2, StageId.CodeReview, StageScope.Job,
            [], ["jobs/{job}/*"], ["jobs/{job}/analysis.json", "jobs/{job}/analysis.md", "jobs/{job}/lineage.json"]),
        new(RoleId.DataProfiler, "Data Profiler", "R2.2", 2, 2, StageId.Profile, StageScope.Job,
            [StageId.CodeReview], ["jobs/{job}/lineage.json", "lake/*"], ["jobs/{job}/profile.json", "jobs/{job}/profile.md"]),
        new(RoleId.RequirementsInferencer, "Requirements Inferencer", "R2.3", 2, 2, StageId.Requirements, StageScope.Job,
            [StageId.CodeReview, StageId.Profile], ["jobs/{job}/analysis.json", "jobs/{job}/profile.json"], ["jobs/{job}/requirements.json"]),
        new(RoleId.SpecWriter, "Spec Writer", "R2.3", 2, 2, StageId.Spec, StageScope.Job,
            [StageId.Requirements], ["jobs/{job}/requirements.json", "jobs/{job}/analysis.json"], ["jobs/{job}/spec.json", "jobs/{job}/spec.md"]),
        new(RoleId.TestCaseDesigner, "Test Case Designer", "R3.1", 3, 3, StageId.TestDesign, StageScope.Job,
            [StageId.Spec], ["jobs/{job}/spec.json"], ["jobs/{job}/tests/inventory.json"]),
        new(RoleId.TestDataGenerator, "Test Data Generator", "R3.2", 3, 3, StageId.TestData, StageScope.Job,
            [StageId.TestDesign], ["jobs/{job}/tests/inventory.json"], ["jobs/{job}/tests/fixtures/"]),
        new(RoleId.TestHarnessBuilder, "Test Harness Builder", "R3.3", 3, 3, StageId.TestHarness, StageScope.Job,
            [StageId.TestData], ["jobs/{job}/tests/inventory.json", "jobs/{job}/tests/fixtures/", "legacy/*"], ["jobs/{job}/tests/cases/", "jobs/{job}/tests/coverage.json"]),
        new(RoleId.CodeWriter, "Code Writer", "R4.1", 4, 3, StageId.Rewrite, StageScope.Job,
            [StageId.TestHarness], ["jobs/{job}/analysis.json", "jobs/{job}/spec.json"], ["jobs/{job}/rewrite/"]),
        new(RoleId.StaticAnalyzer, "Static Analyzer", "R4.2", 4, 3, StageId.StaticAnalysis, StageScope.Job,
            [StageId.Rewrite], ["jobs/{job}/rewrite/"], ["jobs/{job}/validation.json"]),
        new(RoleId.TestRunner, "Test Runner", "R4.3", 4, 3, StageId.TestRun, StageScope.Job,
            [StageId.StaticAnalysis], ["jobs/{job}/rewrite/", "jobs/{job}/tests/cases/"], ["jobs/{job}/tests/results.json"]),
        new(RoleId.ValidationReconciler, "Validation Reconciler", "R4.4", 4, 3, StageId.Reconcile, StageScope.Job,
            [StageId.TestRun], ["jobs/{job}/rewrite/", "lake/*"], ["jobs/{job}/reconciliation.json", "jobs/{job}/reconciliation.html"]),
        new(RoleId.DeploymentAgent, "Deployment Agent", "R5.1", 5, 4, StageId.Deploy, StageScope.Job,
            [StageId.Reconcile], ["jobs/{job}/rewrite/", "jobs/{job}/reconciliation.json", "jobs/{job}/validation.json", "jobs/{job}/tests/results.json"], ["jobs/{job}/bundle/", "jobs/{job}/deployment.json"]),
        new(RoleId.Supervisor, "Supervisor/Orchestrator", "R5.2", 5, 1, StageId.Supervise, StageScope.Portfolio,
            [], ["state.db"], ["decisions.jsonl", "escalations.json"]),
    ];

    public static RoleDefinition Get(RoleId role) => All.First(r => r.Role == role);

    public static RoleDefinition ForStage(StageId stage) =>
        All.FirstOrDefault(r => r.Stage == stage) ?? throw new ArgumentException($"No role performs stage '{stage}'.", nameof(stage));
}
