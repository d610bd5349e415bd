using System.Collections.Immutable;

namespace Modernizer.Domain.Configuration;

/// <summary>The typed root of <c>modernize.yaml</c>, after defaults, environment overrides and
/// validation. Every plane reads its own section; <see cref="Stages.StageContext.Settings"/>
/// carries this record, so a role casts it back to read what it needs. Pure data: secrets are
/// never in it (they are read from the environment where they are used).</summary>
public sealed record ModernizeSettings(
    PhaseSettings Phases,
    SelectionSettings Selection,
    ConcurrencySettings Concurrency,
    StateSettings State,
    PrioritizationSettings Prioritization,
    EscalationSettings Escalation,
    TagSettings Tags,
    LakeSettings Lake,
    EngineSettings Engine,
    LlmSettings Llm,
    BudgetSettings Budgets,
    RetrySettings Retry)
{
    /// <summary>The configuration of a workspace whose <c>modernize.yaml</c> sets nothing.</summary>
    public static ModernizeSettings Default { get; } = new(
        PhaseSettings.Default,
        SelectionSettings.Default,
        ConcurrencySettings.Default,
        StateSettings.Default,
        PrioritizationSettings.Default,
        EscalationSettings.Default,
        TagSettings.Default,
        LakeSettings.Default,
        EngineSettings.Default,
        LlmSettings.Default,
        BudgetSettings.Default,
        RetrySettings.Default);

    /// <summary>Tier 5: static analysis, packaging, pull request and promotion (R4.2, R5.1).</summary>
    public DeliverySettings Delivery { get; init; } = DeliverySettings.Default;

    /// <summary>Tier 4: the Code Writer (R4.1, X4).</summary>
    public RewriteSettings Rewrite { get; init; } = RewriteSettings.Default;
}

/// <summary>The Code Writer's settings: how many interpretations the retry loop tries (X4) and what the
/// legacy runs' environment was where the code cannot tell (time zones).</summary>
/// <param name="MaxAttempts">Attempts per rewrite: the first takes every assumption's stated reading,
/// each further one switches the next assumption that has an alternative; for a job the lifter refuses, the
/// attempts left (at least one) bound the model's proposals.</param>
/// <param name="DriverTimeZone">The zone of the legacy driver (Python's local time: <c>date.today()</c>,
/// <c>datetime.fromtimestamp</c>).</param>
/// <param name="SessionTimeZone">The legacy runs' <c>spark.sql.session.timeZone</c>.</param>
/// <param name="Choices">Assumption id → the alternative to take from the first attempt on.</param>
public sealed record RewriteSettings(int MaxAttempts, string DriverTimeZone, string SessionTimeZone, ImmutableSortedDictionary<string, string> Choices)
{
    public static RewriteSettings Default { get; } = new(3, "UTC", "UTC", ImmutableSortedDictionary<string, string>.Empty);
}

/// <summary>R5.2 phasing: 1 = tier 1 + supervisor, 2 = tier 2, 3 = tiers 3-4, 4 = tier 5.</summary>
public sealed record PhaseSettings(ImmutableArray<int> Enabled)
{
    public static PhaseSettings Default { get; } = new([1, 2, 3, 4]);

    public bool IsEnabled(int phase) => Enabled.Contains(phase);
}

/// <summary>Which jobs go through tiers 2-5 (R5.2): one pilot job, else an explicit list, else
/// the top N candidates of <c>backlog.json</c>.</summary>
public sealed record SelectionSettings(int TopN, ImmutableArray<string> Jobs, string? Pilot)
{
    public static SelectionSettings Default { get; } = new(20, [], null);
}

/// <summary>How many jobs move at once; at most one stage of a job runs at a time.</summary>
public sealed record ConcurrencySettings(int MaxJobs)
{
    public static ConcurrencySettings Default { get; } = new(Environment.ProcessorCount);
}

public enum StateProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the state store lives. <see cref="ConnectionString"/> is for PostgreSQL only and
/// may come from the environment variable <c>MODERNIZE_POSTGRES</c>. A worker holds a job's lease
/// for <see cref="LeaseSeconds"/> and renews it while it works.</summary>
public sealed record StateSettings(StateProvider Provider, string? ConnectionString, int LeaseSeconds)
{
    public static StateSettings Default { get; } = new(StateProvider.Sqlite, null, 60);
}

/// <summary>R1.3 weights; they sum to 1.0.</summary>
public sealed record PriorityWeights(double Cost, double Failure, double Complexity, double Criticality, double Difficulty)
{
    public static PriorityWeights Default { get; } = new(0.30, 0.25, 0.20, 0.15, 0.10);

    public double Sum => Cost + Failure + Complexity + Criticality + Difficulty;
}

public sealed record PrioritizationSettings(PriorityWeights Weights)
{
    public static PrioritizationSettings Default { get; } = new(PriorityWeights.Default);
}

/// <summary>The thresholds of the escalation table (X3) and of reconciliation routing (X4).</summary>
public sealed record EscalationSettings(
    decimal CostDiscrepancyUsdPerMonth,
    int TopNMetadata,
    int TopNCompliance,
    double RegulatoryConfidenceFloor,
    double ConsultationConfidenceFloor,
    double ReconciliationEscalateBelow,
    double AcceptanceThreshold,
    int RewriteAttempts,
    int SlaBreachesMin,
    double CorruptionRowRatio)
{
    public static EscalationSettings Default { get; } = new(
        CostDiscrepancyUsdPerMonth: 5000m,
        TopNMetadata: 50,
        TopNCompliance: 5,
        RegulatoryConfidenceFloor: 0.60,
        ConsultationConfidenceFloor: 0.80,
        ReconciliationEscalateBelow: 0.95,
        AcceptanceThreshold: 1.0,
        RewriteAttempts: 3,
        SlaBreachesMin: 3,
        CorruptionRowRatio: 1.5);
}

/// <summary>Tags and column-name patterns (globs with <c>*</c> and <c>?</c>, case-insensitive)
/// that make a job compliance-critical or a column financial, regulatory or personal.</summary>
public sealed record TagSettings(
    ImmutableArray<string> ComplianceCritical,
    ImmutableArray<string> FinancialColumns,
    ImmutableArray<string> RegulatoryColumns,
    ImmutableArray<string> PiiColumns)
{
    public static TagSettings Default { get; } = new(
        ["SOX", "GDPR", "HIPAA", "PCI"],
        ["*amount*", "*price*", "*cost*", "*revenue*", "*balance*", "*_usd", "*tax*", "*total*"],
        ["*ssn*", "*tax_id*", "*consent*", "*gdpr*", "*hipaa*", "*diagnosis*"],
        ["*email*", "*phone*", "*ssn*", "*birth*", "*dob*", "*address*", "*first_name*", "*last_name*"]);
}

/// <summary>The lake folder (relative to the workspace) and how code paths map onto it.</summary>
public sealed record LakeSettings(string Root, ImmutableSortedDictionary<string, string> Mounts)
{
    public static LakeSettings Default { get; } = new(
        "lake",
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("/mnt/lake", "lake")]));
}

public enum EngineKind
{
    Duckdb,
    Databricks,
}

/// <summary>The query engine. For Databricks the token comes only from <c>DATABRICKS_TOKEN</c>.</summary>
public sealed record EngineSettings(EngineKind Kind, string? Host, string? WarehouseId)
{
    public static EngineSettings Default { get; } = new(EngineKind.Duckdb, null, null);
}

public enum LlmProvider
{
    None,
    Anthropic,
    OpenAiCompatible,
}

/// <summary>The optional model. Keys come only from the environment (<c>ANTHROPIC_API_KEY</c>,
/// <c>OPENAI_API_KEY</c>). The endpoint is https, or plain http to this machine; plain http to another
/// host only with <see cref="AllowPlainHttp"/>.</summary>
public sealed record LlmSettings(LlmProvider Provider, string? Model, int MaxTokens, double Temperature, string? Endpoint)
{
    public static LlmSettings Default { get; } = new(LlmProvider.None, null, 4096, 0.0, null);

    public bool AllowPlainHttp { get; init; }
}

/// <summary>Limits enforced in code per job and per stage. <see cref="CrashesPerStage"/>: how many
/// processes may end while running the same stage of a job on the same input before the stage is
/// marked failed instead of started again (a stage that crashes the process must not take every
/// later run down with it).</summary>
public sealed record BudgetSettings(long TokensPerJob, decimal UsdPerJob, int AttemptsPerStage, int StageTimeoutSeconds)
{
    public static BudgetSettings Default { get; } = new(200_000, 5.00m, 3, 900);

    public int CrashesPerStage { get; init; } = 2;
}

/// <summary>Backoff between attempts of a stage that failed transiently.</summary>
public sealed record RetrySettings(int BaseDelayMs, int MaxDelayMs, bool Jitter)
{
    public static RetrySettings Default { get; } = new(200, 10_000, true);
}
