using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles;
using Modernizer.Agents.Telemetry;
using Modernizer.Domain.Configuration;
using Modernizer.Portfolio;

namespace Modernizer.Agents.Stages;

/// <summary>What every role's stage work shares in one process: the model gateway (with its budget
/// ledger and circuit breaker), the judgment runner, the role definitions, thresholds and telemetry.
/// Built once by the composition root from the workspace settings.</summary>
public sealed class AgentServices : IDisposable
{
    /// <summary>Environment variable naming a folder of recorded exchanges to replay (tests, demos).</summary>
    public const string ReplayVariable = "MODERNIZE_LLM_REPLAY";

    /// <summary>Environment variable naming a folder where live exchanges are recorded.</summary>
    public const string RecordVariable = "MODERNIZE_LLM_RECORD";

    public AgentServices(ModelGateway gateway, EscalationThresholds thresholds, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        Gateway = gateway;
        Thresholds = thresholds;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Runner = new JudgmentRunner(gateway, LoggerFactory.CreateLogger<JudgmentRunner>());
        Step = new RoleStep(Runner, gateway.Options.Limits, thresholds);
    }

    public ModelGateway Gateway { get; }

    public JudgmentRunner Runner { get; }

    public RoleStep Step { get; }

    public RoleRegistry Roles { get; } = new();

    public EscalationThresholds Thresholds { get; }

    public AgentTelemetry Telemetry => Gateway.Telemetry;

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Builds the services from modernize.yaml's settings and the environment (keys, and the
    /// optional <see cref="ReplayVariable"/> / <see cref="RecordVariable"/> folders).</summary>
    public static AgentServices Create(ModernizeSettings settings, AgentTelemetry telemetry, Func<string, string?>? environment = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var read = environment ?? Environment.GetEnvironmentVariable;
        var options = ToModelOptions(settings, read);
        var gateway = ModelGateway.Create(options, telemetry, loggerFactory, read);
        return new AgentServices(gateway, ToThresholds(settings), loggerFactory);
    }

    /// <summary>modernize.yaml <c>llm:</c> and <c>budgets:</c> as <see cref="ModelOptions"/>.</summary>
    public static ModelOptions ToModelOptions(ModernizeSettings settings, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var llm = settings.Llm;
        var replay = environment(ReplayVariable);
        var record = environment(RecordVariable);
        var defaults = new ModelOptions();
        return defaults with
        {
            Provider = llm.Provider switch
            {
                LlmProvider.Anthropic => ModelProvider.Anthropic,
                LlmProvider.OpenAiCompatible => ModelProvider.OpenAICompatible,
                _ => ModelProvider.None,
            },
            Model = string.IsNullOrWhiteSpace(llm.Model) ? defaults.Model : llm.Model,
            Endpoint = string.IsNullOrWhiteSpace(llm.Endpoint) ? null : new Uri(llm.Endpoint, UriKind.Absolute),
            MaxOutputTokens = llm.MaxTokens,
            Temperature = (float)llm.Temperature,
            Replay = !string.IsNullOrWhiteSpace(replay),
            RecordingsDirectory = !string.IsNullOrWhiteSpace(replay) ? replay : string.IsNullOrWhiteSpace(record) ? null : record,
            Limits = defaults.Limits with
            {
                MaxTokensPerJob = settings.Budgets.TokensPerJob,
                MaxCostPerJobUsd = settings.Budgets.UsdPerJob,
                MaxAttemptsPerJudgment = Math.Max(1, settings.Budgets.AttemptsPerStage),
                StageTimeout = TimeSpan.FromSeconds(Math.Max(1, settings.Budgets.StageTimeoutSeconds)),
            },
        };
    }

    public static EscalationThresholds ToThresholds(ModernizeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var e = settings.Escalation;
        return new EscalationThresholds
        {
            CostDiscrepancyUsdPerMonth = e.CostDiscrepancyUsdPerMonth,
            RegulatoryConfidenceFloor = e.RegulatoryConfidenceFloor,
            RequirementConfidenceTarget = e.ConsultationConfidenceFloor,
            ReconciliationEscalationFloor = e.ReconciliationEscalateBelow,
            TopJobsForMetadata = e.TopNMetadata,
        };
    }

    /// <summary>modernize.yaml <c>prioritization:</c>, <c>escalation:</c> and <c>tags:</c> as tier 1's options.</summary>
    public static PortfolioOptions ToPortfolioOptions(ModernizeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var e = settings.Escalation;
        return PortfolioOptions.Default with
        {
            Weights = settings.Prioritization.Weights,
            TopN = Math.Max(PortfolioOptions.Default.TopN, settings.Selection.TopN),
            TopNMetadata = e.TopNMetadata,
            CostDiscrepancyUsdPerMonth = e.CostDiscrepancyUsdPerMonth,
            ComplianceTopRank = e.TopNCompliance,
            SlaPatternMinBreaches = e.SlaBreachesMin,
            ComplianceTags = settings.Tags.ComplianceCritical.IsDefault ? PortfolioOptions.Default.ComplianceTags : settings.Tags.ComplianceCritical,
        };
    }

    public void Dispose() => Gateway.Dispose();
}
