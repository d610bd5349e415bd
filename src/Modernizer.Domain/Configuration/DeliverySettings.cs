using System.Collections.Immutable;

namespace Modernizer.Domain.Configuration;

/// <summary>Whether a Databricks Asset Bundle holds one job or every job of a batch.</summary>
public enum BundleGrouping
{
    Job,
    Batch,
}

/// <summary>Tier 5 (R4.2, R5.1): static analysis, packaging as a Databricks Asset Bundle, the pull
/// request and promotion dev → staging → prod. Secrets never live here: tokens are read from the
/// environment variables these settings name.</summary>
public sealed record DeliverySettings(
    BundleGrouping BundlePer,
    string BatchName,
    string DefaultTimeZone,
    ImmutableSortedDictionary<string, string> Permissions,
    ImmutableArray<DeliveryTarget> Targets,
    StaticAnalysisSettings StaticAnalysis,
    RepositorySettings Repository,
    PromotionSettings Promotion)
{
    public static ImmutableArray<string> Environments { get; } = ["dev", "staging", "prod"];

    public static DeliverySettings Default { get; } = new(
        BundleGrouping.Job,
        "modernized_jobs",
        "UTC",
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
        [.. Environments.Select(DeliveryTarget.Unconfigured)],
        StaticAnalysisSettings.Default,
        RepositorySettings.Default,
        PromotionSettings.Default);

    public DeliveryTarget Target(string environment) =>
        Targets.FirstOrDefault(t => t.Name == environment) ?? DeliveryTarget.Unconfigured(environment);
}

/// <summary>One bundle target (dev, staging or prod): the Databricks workspace, the SQL warehouse the
/// job's SQL task runs on, and where the bundle's files live in the workspace.</summary>
public sealed record DeliveryTarget(string Name, string? Host, string? WarehouseId, string RootPath, string TokenVariable)
{
    public static DeliveryTarget Unconfigured(string name) =>
        new(name, null, null, $"/Workspace/Shared/.bundle/modernizer/{name}", "DATABRICKS_TOKEN");

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(WarehouseId);
}

/// <summary>The external tools of the Static Analyzer and when a finding blocks delivery.</summary>
public sealed record StaticAnalysisSettings(string Sqlfluff, string SqlfluffDialect, bool SqlfluffBlocks, string Bandit, int MaxLineLength)
{
    public static StaticAnalysisSettings Default { get; } = new("sqlfluff", "sparksql", false, "bandit", 120);
}

/// <summary>The git repository the bundles are committed to (a URL or a local path), and the forge
/// that hosts its pull requests (GitHub or GitHub Enterprise through its REST API).</summary>
public sealed record RepositorySettings(
    string? Url,
    string BaseBranch,
    string BundleRoot,
    string AuthorName,
    string AuthorEmail,
    string GitTokenVariable,
    string Forge,
    string ApiUrl,
    string? Owner,
    string? Name,
    string ForgeTokenVariable)
{
    public static RepositorySettings Default { get; } = new(
        null, "main", "bundles", "Modernizer", "modernizer@localhost", "GIT_TOKEN", "github", "https://api.github.com/", null, null, "GITHUB_TOKEN");

    public bool HasForge => Forge == "github" && !string.IsNullOrWhiteSpace(Owner) && !string.IsNullOrWhiteSpace(Name);
}

/// <summary>Promotion gates and their inputs (R5.1, X4): production needs reconciliation passed on the
/// same rewrite, the tests, clean static analysis, every escalation approved, and the pull request
/// merged or an approval named here; shadow runs in staging before prod (0 = off).</summary>
public sealed record PromotionSettings(
    bool RequireMergedPullRequest,
    ImmutableSortedDictionary<string, string> Approvals,
    int ShadowRuns,
    string? ShadowOutputRoot,
    int PollIntervalSeconds,
    int RunTimeoutSeconds)
{
    public static PromotionSettings Default { get; } = new(
        true, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), 0, null, 10, 3600);
}
