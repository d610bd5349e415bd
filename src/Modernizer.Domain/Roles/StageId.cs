namespace Modernizer.Domain.Roles;

/// <summary>A named unit of work performed by exactly one role. Names are the snake_case strings
/// used in the state store, the decision log and the CLI.</summary>
public readonly record struct StageId(string Name)
{
    public static readonly StageId Scan = new("scan");
    public static readonly StageId FinOps = new("finops");
    public static readonly StageId Prioritize = new("prioritize");
    public static readonly StageId CodeReview = new("code_review");
    public static readonly StageId Profile = new("profile");
    public static readonly StageId Requirements = new("requirements");
    public static readonly StageId Spec = new("spec");
    public static readonly StageId TestDesign = new("test_design");
    public static readonly StageId TestData = new("test_data");
    public static readonly StageId TestHarness = new("test_harness");
    public static readonly StageId Rewrite = new("rewrite");
    public static readonly StageId StaticAnalysis = new("static_analysis");
    public static readonly StageId TestRun = new("test_run");
    public static readonly StageId Reconcile = new("reconcile");
    public static readonly StageId Deploy = new("deploy");
    public static readonly StageId Supervise = new("supervise");

    public override string ToString() => Name;
}
