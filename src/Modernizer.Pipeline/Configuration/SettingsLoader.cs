using System.Collections;
using System.Collections.Immutable;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Pipeline.Configuration;

/// <summary>Loads a workspace's <c>modernize.yaml</c>: defaults, then the file, then
/// <c>MODERNIZE__SECTION__KEY</c> environment overrides, then validation. Every problem found is
/// reported at once, each naming its file, line, key and what is expected.</summary>
public sealed class SettingsLoader
{
    public const string PostgresEnvironmentVariable = "MODERNIZE_POSTGRES";

    private static readonly Dictionary<string, StateProvider> StateProviders = new(StringComparer.Ordinal)
    {
        ["sqlite"] = StateProvider.Sqlite,
        ["postgres"] = StateProvider.Postgres,
    };

    private static readonly Dictionary<string, EngineKind> EngineKinds = new(StringComparer.Ordinal)
    {
        ["duckdb"] = EngineKind.Duckdb,
        ["databricks"] = EngineKind.Databricks,
    };

    private static readonly Dictionary<string, LlmProvider> LlmProviders = new(StringComparer.Ordinal)
    {
        ["none"] = LlmProvider.None,
        ["anthropic"] = LlmProvider.Anthropic,
        ["openai-compatible"] = LlmProvider.OpenAiCompatible,
    };

    private readonly IReadOnlyDictionary<string, string> _environment;

    public SettingsLoader(IReadOnlyDictionary<string, string> environment)
    {
        _environment = environment;
    }

    /// <summary>A loader over the current process environment.</summary>
    public static SettingsLoader FromProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return new SettingsLoader(variables);
    }

    /// <summary>Loads and validates; throws <see cref="ConfigurationException"/> with every error.</summary>
    public async Task<ModernizeSettings> LoadAsync(WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!Directory.Exists(workspace.Root))
        {
            throw new ConfigurationException([new ConfigError(workspace.Root, null, "(workspace)", "the workspace folder does not exist")]);
        }

        var text = File.Exists(workspace.ConfigFile) ? await File.ReadAllTextAsync(workspace.ConfigFile, cancellationToken) : string.Empty;
        var (settings, errors) = Parse(text, workspace.ConfigFile, workspace);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return settings;
    }

    /// <summary>Parses <paramref name="yaml"/> as the file <paramref name="source"/>; when a workspace
    /// is given, the folders the configuration references must exist in it.</summary>
    public (ModernizeSettings Settings, IReadOnlyList<ConfigError> Errors) Parse(string yaml, string source, WorkspacePaths? workspace)
    {
        var errors = new List<ConfigError>();
        var root = YamlConfigReader.Read(yaml, source, errors);
        EnvironmentOverrides.Apply(root, _environment);
        var reader = new SectionReader(root, string.Empty, errors);
        var defaults = ModernizeSettings.Default;

        var settings = new ModernizeSettings(
            ReadPhases(reader.Section("phases"), defaults.Phases),
            ReadSelection(reader.Section("selection"), defaults.Selection),
            ReadConcurrency(reader.Section("concurrency"), defaults.Concurrency),
            ReadState(reader.Section("state"), defaults.State),
            ReadPrioritization(reader.Section("prioritization"), defaults.Prioritization),
            ReadEscalation(reader.Section("escalation"), defaults.Escalation),
            ReadTags(reader.Section("tags"), defaults.Tags),
            ReadLake(reader.Section("lake"), defaults.Lake, workspace),
            ReadEngine(reader.Section("engine"), defaults.Engine),
            ReadLlm(reader.Section("llm"), defaults.Llm),
            ReadBudgets(reader.Section("budgets"), defaults.Budgets),
            ReadRetry(reader.Section("retry"), defaults.Retry))
        {
            Delivery = DeliverySettingsReader.Read(reader.Section("delivery"), defaults.Delivery),
            Rewrite = ReadRewrite(reader.Section("rewrite"), defaults.Rewrite),
        };
        reader.Finish();
        return (settings, errors);
    }

    private static PhaseSettings ReadPhases(SectionReader s, PhaseSettings d)
    {
        var enabled = s.IntList("enabled", d.Enabled, 1, 4);
        s.Finish();
        return new PhaseSettings(enabled.Distinct().Order().ToImmutableArray());
    }

    private static SelectionSettings ReadSelection(SectionReader s, SelectionSettings d)
    {
        var topN = s.Int("top_n", d.TopN, 1, 1_000_000);
        var jobs = s.StringList("jobs", d.Jobs);
        var pilot = s.String("pilot", d.Pilot);
        s.Finish();
        return new SelectionSettings(topN, jobs, string.IsNullOrWhiteSpace(pilot) ? null : pilot.Trim());
    }

    private static ConcurrencySettings ReadConcurrency(SectionReader s, ConcurrencySettings d)
    {
        var node = s.Node("max_jobs");
        var maxJobs = node is ConfigScalar { Value: { } text } && text.Trim().Equals("cores", StringComparison.OrdinalIgnoreCase)
            ? s.String("max_jobs", null) is not null ? Environment.ProcessorCount : d.MaxJobs
            : s.Int("max_jobs", d.MaxJobs, 1, 1024);
        s.Finish();
        return new ConcurrencySettings(maxJobs);
    }

    private StateSettings ReadState(SectionReader s, StateSettings d)
    {
        var provider = s.Enum("provider", d.Provider, StateProviders);
        var connection = s.String("connection_string", d.ConnectionString);
        var lease = s.Int("lease_seconds", d.LeaseSeconds, 5, 86_400);
        if (provider == StateProvider.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            connection = _environment.TryGetValue(PostgresEnvironmentVariable, out var fromEnvironment) ? fromEnvironment : null;
            if (string.IsNullOrWhiteSpace(connection))
            {
                s.Error(s.Node("provider"), "connection_string",
                    $"provider postgres needs a connection string: set state.connection_string or the environment variable {PostgresEnvironmentVariable}");
            }
        }

        s.Finish();
        return new StateSettings(provider, connection, lease);
    }

    private static PrioritizationSettings ReadPrioritization(SectionReader s, PrioritizationSettings d)
    {
        var w = s.Section("weights");
        var weights = new PriorityWeights(
            w.Double("cost", d.Weights.Cost, 0, 1),
            w.Double("failure", d.Weights.Failure, 0, 1),
            w.Double("complexity", d.Weights.Complexity, 0, 1),
            w.Double("criticality", d.Weights.Criticality, 0, 1),
            w.Double("difficulty", d.Weights.Difficulty, 0, 1));
        if (Math.Abs(weights.Sum - 1.0) > 1e-9)
        {
            s.Error(s.Node("weights"), "weights",
                FormattableString.Invariant($"the weights cost, failure, complexity, criticality and difficulty must sum to 1.0 (they sum to {weights.Sum:0.###})"));
        }

        w.Finish();
        s.Finish();
        return new PrioritizationSettings(weights);
    }

    private static EscalationSettings ReadEscalation(SectionReader s, EscalationSettings d)
    {
        var result = new EscalationSettings(
            s.Decimal("cost_discrepancy_usd_per_month", d.CostDiscrepancyUsdPerMonth, 0),
            s.Int("top_n_metadata", d.TopNMetadata, 0, 1_000_000),
            s.Int("top_n_compliance", d.TopNCompliance, 0, 1_000_000),
            s.Double("regulatory_confidence_floor", d.RegulatoryConfidenceFloor, 0, 1),
            s.Double("consultation_confidence_floor", d.ConsultationConfidenceFloor, 0, 1),
            s.Double("reconciliation_escalate_below", d.ReconciliationEscalateBelow, 0, 1),
            s.Double("acceptance_threshold", d.AcceptanceThreshold, 0, 1),
            s.Int("rewrite_attempts", d.RewriteAttempts, 1, 100),
            s.Int("sla_breaches_min", d.SlaBreachesMin, 1, 100_000),
            s.Double("corruption_row_ratio", d.CorruptionRowRatio, 1, 1_000_000));
        if (result.AcceptanceThreshold < result.ReconciliationEscalateBelow)
        {
            s.Error(s.Node("acceptance_threshold"), "acceptance_threshold",
                FormattableString.Invariant($"expected at least reconciliation_escalate_below ({result.ReconciliationEscalateBelow}) (got {result.AcceptanceThreshold})"));
        }

        s.Finish();
        return result;
    }

    private static RewriteSettings ReadRewrite(SectionReader s, RewriteSettings d)
    {
        var result = new RewriteSettings(
            s.Int("max_attempts", d.MaxAttempts, 1, 20),
            Zone(s, "driver_time_zone", d.DriverTimeZone),
            Zone(s, "session_time_zone", d.SessionTimeZone),
            s.StringMap("choices", d.Choices));
        s.Finish();
        return result;
    }

    /// <summary>An IANA zone this machine knows (the rewrite renders it into SQL, so it must exist).</summary>
    private static string Zone(SectionReader s, string key, string fallback)
    {
        var zone = s.String(key, fallback) ?? fallback;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            s.Error(s.Node(key), key, $"'{zone}' is not a time zone id (IANA, e.g. America/New_York or UTC)");
            return fallback;
        }

        return zone;
    }

    private static TagSettings ReadTags(SectionReader s, TagSettings d)
    {
        var result = new TagSettings(
            s.StringList("compliance_critical", d.ComplianceCritical),
            s.StringList("financial_columns", d.FinancialColumns),
            s.StringList("regulatory_columns", d.RegulatoryColumns),
            s.StringList("pii_columns", d.PiiColumns));
        s.Finish();
        return result;
    }

    private static LakeSettings ReadLake(SectionReader s, LakeSettings d, WorkspacePaths? workspace)
    {
        var root = s.String("root", d.Root) ?? d.Root;
        var mounts = s.StringMap("mounts", d.Mounts);
        if (workspace is not null)
        {
            if (!Directory.Exists(Path.Combine(workspace.Root, root)))
            {
                s.Error(s.Node("root"), "root", $"the folder '{root}' does not exist in the workspace {workspace.Root}");
            }

            foreach (var (mount, target) in mounts)
            {
                if (!Directory.Exists(Path.Combine(workspace.Root, target)))
                {
                    s.Error((s.Node("mounts") as ConfigMap)?[mount] ?? s.Node("mounts"), "mounts." + mount,
                        $"the folder '{target}' does not exist in the workspace {workspace.Root}");
                }
            }
        }

        s.Finish();
        return new LakeSettings(root, mounts);
    }

    private static EngineSettings ReadEngine(SectionReader s, EngineSettings d)
    {
        var kind = s.Enum("kind", d.Kind, EngineKinds);
        var host = s.String("host", d.Host);
        var warehouse = s.String("warehouse_id", d.WarehouseId);
        s.Forbid("token", "secrets are read only from the environment: set DATABRICKS_TOKEN and remove this key");

        if (kind == EngineKind.Databricks)
        {
            if (string.IsNullOrWhiteSpace(host))
            {
                s.Error(s.Node("kind"), "host", "engine kind databricks needs host (the workspace URL)");
            }

            if (string.IsNullOrWhiteSpace(warehouse))
            {
                s.Error(s.Node("kind"), "warehouse_id", "engine kind databricks needs warehouse_id (the SQL warehouse id)");
            }
        }

        s.Finish();
        return new EngineSettings(kind, host, warehouse);
    }

    private static LlmSettings ReadLlm(SectionReader s, LlmSettings d)
    {
        var provider = s.Enum("provider", d.Provider, LlmProviders);
        var model = s.String("model", d.Model);
        var maxTokens = s.Int("max_tokens", d.MaxTokens, 1, 1_000_000);
        var temperature = s.Double("temperature", d.Temperature, 0, 2);
        var endpoint = s.String("endpoint", d.Endpoint);
        var allowPlainHttp = s.Bool("allow_plain_http", d.AllowPlainHttp);
        foreach (var secret in new[] { "api_key", "key", "token" })
        {
            s.Forbid(secret, "secrets are read only from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY): remove this key");
        }

        if (provider != LlmProvider.None && string.IsNullOrWhiteSpace(model))
        {
            s.Error(s.Node("provider"), "model", "a model name is needed when provider is not none");
        }

        if (provider == LlmProvider.OpenAiCompatible && string.IsNullOrWhiteSpace(endpoint))
        {
            s.Error(s.Node("endpoint") ?? s.Node("provider"), "endpoint", "provider openai-compatible needs endpoint, an absolute URL");
        }
        else if (!string.IsNullOrWhiteSpace(endpoint) && EndpointProblem(endpoint, allowPlainHttp) is { } problem)
        {
            s.Error(s.Node("endpoint"), "endpoint", problem);
        }

        s.Finish();
        return new LlmSettings(provider, model, maxTokens, temperature, endpoint) { AllowPlainHttp = allowPlainHttp };
    }

    /// <summary>The model endpoint carries prompts (legacy code, data samples) and an API key: https, or
    /// plain http to this machine only (a local model server), unless <c>llm.allow_plain_http</c> says
    /// the network in between is trusted. Any other scheme is refused here, not at the first request.</summary>
    internal static string? EndpointProblem(string endpoint, bool allowPlainHttp)
    {
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return $"expected an absolute http(s) URL such as https://api.anthropic.com (got '{endpoint}')";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"the scheme {uri.Scheme}:// is not supported: use https:// (or http:// to a model server on this machine)";
        }

        return uri.IsLoopback || allowPlainHttp
            ? null
            : $"plain http:// to {uri.Host} would send the API key and the prompts unencrypted: use https://, or set llm.allow_plain_http: true if the network to it is trusted";
    }

    private static BudgetSettings ReadBudgets(SectionReader s, BudgetSettings d)
    {
        var result = new BudgetSettings(
            s.Long("tokens_per_job", d.TokensPerJob, 0),
            s.Decimal("usd_per_job", d.UsdPerJob, 0),
            s.Int("attempts_per_stage", d.AttemptsPerStage, 1, 100),
            s.Int("stage_timeout_seconds", d.StageTimeoutSeconds, 1, 7 * 86_400))
        {
            CrashesPerStage = s.Int("crashes_per_stage", d.CrashesPerStage, 1, 1000),
        };
        s.Finish();
        return result;
    }

    private static RetrySettings ReadRetry(SectionReader s, RetrySettings d)
    {
        var result = new RetrySettings(
            s.Int("base_delay_ms", d.BaseDelayMs, 0, 3_600_000),
            s.Int("max_delay_ms", d.MaxDelayMs, 0, 3_600_000),
            s.Bool("jitter", d.Jitter));
        if (result.MaxDelayMs < result.BaseDelayMs)
        {
            s.Error(s.Node("max_delay_ms"), "max_delay_ms", "expected at least base_delay_ms");
        }

        s.Finish();
        return result;
    }
}
