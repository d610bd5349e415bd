using System.Diagnostics;
using System.Diagnostics.Metrics;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Modernizer.Agents.Telemetry;

/// <summary>Traces per job, stage, role and model call, and spend metrics. Model-call spans come from
/// Microsoft.Extensions.AI's OpenTelemetry chat client under the same source name and follow the GenAI
/// semantic conventions (gen_ai.operation.name, gen_ai.request.model, gen_ai.provider.name,
/// gen_ai.usage.input_tokens / output_tokens); job, stage and role spans carry gen_ai.agent.name.</summary>
public sealed class AgentTelemetry : IDisposable
{
    public const string SourceName = "Modernizer.Agents";
    public const string MeterName = "Modernizer.Agents";

    private readonly ActivitySource _source = new(SourceName);
    private readonly Meter _meter = new(MeterName);

    public AgentTelemetry()
    {
        Tokens = _meter.CreateCounter<long>("modernizer.agents.tokens", "{token}", "Model tokens spent, by role and direction.");
        CostUsd = _meter.CreateCounter<double>("modernizer.agents.cost", "USD", "Model cost in US dollars, by role.");
        Judgments = _meter.CreateCounter<long>("modernizer.agents.judgments", "{judgment}", "Judgments asked of a model, by role and result.");
        LimitsReached = _meter.CreateCounter<long>("modernizer.agents.limits_reached", "{limit}", "Limits reached, by limit.");
        Consultations = _meter.CreateCounter<long>("modernizer.agents.consultations", "{question}", "Questions between roles (X1).");
    }

    public Counter<long> Tokens { get; }

    public Counter<double> CostUsd { get; }

    public Counter<long> Judgments { get; }

    public Counter<long> LimitsReached { get; }

    public Counter<long> Consultations { get; }

    public Activity? StartJob(JobId? job) =>
        _source.StartActivity("modernize job " + (job?.Value ?? "portfolio"), ActivityKind.Internal)?
            .SetTag("modernizer.job_id", job?.Value ?? "portfolio");

    public Activity? StartStage(StageId stage, JobId? job) =>
        _source.StartActivity("stage " + stage.Name, ActivityKind.Internal)?
            .SetTag("modernizer.stage", stage.Name)
            .SetTag("modernizer.job_id", job?.Value ?? "portfolio");

    /// <summary>A role's agent invocation (GenAI convention: operation invoke_agent).</summary>
    public Activity? StartRole(RoleId role, StageId stage, JobId? job) =>
        _source.StartActivity("invoke_agent " + RoleNames.Snake(role), ActivityKind.Internal)?
            .SetTag("gen_ai.operation.name", "invoke_agent")
            .SetTag("gen_ai.agent.name", RoleNames.Snake(role))
            .SetTag("modernizer.stage", stage.Name)
            .SetTag("modernizer.job_id", job?.Value ?? "portfolio");

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }

    /// <summary>Registers the agents' traces for the integrator's tracer provider (OTLP exporter there).</summary>
    public static TracerProviderBuilder AddAgentsInstrumentation(TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(SourceName);
    }

    public static MeterProviderBuilder AddAgentsInstrumentation(MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(MeterName);
    }

    /// <summary>A tracer provider that exports the agents' spans over OTLP to <paramref name="endpoint"/>
    /// (defaults follow OTEL_EXPORTER_OTLP_* environment variables when null).</summary>
    public static TracerProvider CreateOtlpTracerProvider(Uri? endpoint)
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddSource(SourceName);
        return builder.AddOtlpExporter(o =>
        {
            if (endpoint is not null)
            {
                o.Endpoint = endpoint;
            }
        }).Build()!;
    }
}
