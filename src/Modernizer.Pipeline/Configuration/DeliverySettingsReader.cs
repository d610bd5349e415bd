using System.Collections.Immutable;
using Modernizer.Domain.Configuration;

namespace Modernizer.Pipeline.Configuration;

/// <summary>Reads the <c>delivery:</c> section (R4.2, R5.1). Tokens are never configuration: each
/// target and the repository name the environment variable that holds theirs.</summary>
internal static class DeliverySettingsReader
{
    private static readonly Dictionary<string, BundleGrouping> Groupings = new(StringComparer.Ordinal)
    {
        ["job"] = BundleGrouping.Job,
        ["batch"] = BundleGrouping.Batch,
    };

    private static readonly HashSet<string> PermissionLevels = new(StringComparer.Ordinal) { "CAN_MANAGE", "CAN_MANAGE_RUN", "CAN_VIEW", "IS_OWNER" };

    public static DeliverySettings Read(SectionReader s, DeliverySettings d)
    {
        var grouping = s.Enum("bundle_per", d.BundlePer, Groupings);
        var batch = s.String("batch_name", d.BatchName) ?? d.BatchName;
        var zone = s.String("default_timezone", d.DefaultTimeZone) ?? d.DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            s.Error(s.Node("default_timezone"), "default_timezone", $"'{zone}' is not a known time zone id (e.g. UTC, America/New_York)");
        }

        var permissions = s.StringMap("permissions", d.Permissions);
        foreach (var (principal, level) in permissions)
        {
            if (!PermissionLevels.Contains(level))
            {
                s.Error(s.Node("permissions"), "permissions." + principal, "expected one of: " + string.Join(", ", PermissionLevels.Order(StringComparer.Ordinal)));
            }

            if (!(principal.StartsWith("user:", StringComparison.Ordinal) || principal.StartsWith("group:", StringComparison.Ordinal) || principal.StartsWith("service_principal:", StringComparison.Ordinal)))
            {
                s.Error(s.Node("permissions"), "permissions." + principal, "a principal is written user:NAME, group:NAME or service_principal:APPLICATION_ID");
            }
        }

        var targetsSection = s.Section("targets");
        var targets = DeliverySettings.Environments.Select(name => ReadTarget(targetsSection.Section(name), d.Target(name))).ToImmutableArray();
        targetsSection.Finish();
        var analysis = ReadStaticAnalysis(s.Section("static_analysis"), d.StaticAnalysis);
        var repository = ReadRepository(s.Section("repository"), d.Repository);
        var promotion = ReadPromotion(s.Section("promotion"), d.Promotion);
        s.Forbid("token", "secrets are read only from the environment: name the variable with targets.<env>.token_variable");
        s.Finish();
        return new DeliverySettings(grouping, batch, zone, permissions, targets, analysis, repository, promotion);
    }

    private static DeliveryTarget ReadTarget(SectionReader s, DeliveryTarget d)
    {
        var host = s.String("host", d.Host);
        if (host is not null && !Uri.TryCreate(host, UriKind.Absolute, out _))
        {
            s.Error(s.Node("host"), "host", "expected the workspace URL, e.g. https://adb-123.4.azuredatabricks.net");
        }

        var result = new DeliveryTarget(
            d.Name,
            host,
            s.String("warehouse_id", d.WarehouseId),
            s.String("root_path", d.RootPath) ?? d.RootPath,
            s.String("token_variable", d.TokenVariable) ?? d.TokenVariable);
        s.Forbid("token", "secrets are read only from the environment: set token_variable to the variable's name");
        s.Finish();
        return result;
    }

    private static StaticAnalysisSettings ReadStaticAnalysis(SectionReader s, StaticAnalysisSettings d)
    {
        var result = new StaticAnalysisSettings(
            s.String("sqlfluff", d.Sqlfluff) ?? d.Sqlfluff,
            s.String("sqlfluff_dialect", d.SqlfluffDialect) ?? d.SqlfluffDialect,
            s.Bool("sqlfluff_blocks", d.SqlfluffBlocks),
            s.String("bandit", d.Bandit) ?? d.Bandit,
            s.Int("max_line_length", d.MaxLineLength, 40, 1000));
        if (result.SqlfluffDialect is not ("sparksql" or "databricks"))
        {
            s.Error(s.Node("sqlfluff_dialect"), "sqlfluff_dialect", "expected sparksql or databricks");
        }

        s.Finish();
        return result;
    }

    private static RepositorySettings ReadRepository(SectionReader s, RepositorySettings d)
    {
        var result = new RepositorySettings(
            s.String("url", d.Url),
            s.String("base_branch", d.BaseBranch) ?? d.BaseBranch,
            s.String("bundle_root", d.BundleRoot) ?? d.BundleRoot,
            s.String("author_name", d.AuthorName) ?? d.AuthorName,
            s.String("author_email", d.AuthorEmail) ?? d.AuthorEmail,
            s.String("git_token_variable", d.GitTokenVariable) ?? d.GitTokenVariable,
            s.String("forge", d.Forge) ?? d.Forge,
            s.String("api_url", d.ApiUrl) ?? d.ApiUrl,
            s.String("owner", d.Owner),
            s.String("name", d.Name),
            s.String("forge_token_variable", d.ForgeTokenVariable) ?? d.ForgeTokenVariable);
        if (result.Forge is not ("github" or "none"))
        {
            s.Error(s.Node("forge"), "forge", "expected github or none");
        }

        if (!Uri.TryCreate(result.ApiUrl, UriKind.Absolute, out _))
        {
            s.Error(s.Node("api_url"), "api_url", "expected an absolute URL (https://api.github.com/ or https://HOST/api/v3/ for GitHub Enterprise)");
        }

        s.Forbid("token", "secrets are read only from the environment: set git_token_variable / forge_token_variable");
        s.Finish();
        return result;
    }

    private static PromotionSettings ReadPromotion(SectionReader s, PromotionSettings d)
    {
        var result = new PromotionSettings(
            s.Bool("require_merged_pull_request", d.RequireMergedPullRequest),
            s.StringMap("approvals", d.Approvals),
            s.Int("shadow_runs", d.ShadowRuns, 0, 100),
            s.String("shadow_output_root", d.ShadowOutputRoot),
            s.Int("poll_interval_seconds", d.PollIntervalSeconds, 0, 3600),
            s.Int("run_timeout_seconds", d.RunTimeoutSeconds, 1, 7 * 86_400));
        if (result.ShadowRuns > 0 && string.IsNullOrWhiteSpace(result.ShadowOutputRoot))
        {
            s.Error(s.Node("shadow_runs"), "shadow_output_root", "shadow runs need the folder where the staging job's output can be read (shadow_output_root)");
        }

        s.Finish();
        return result;
    }
}
