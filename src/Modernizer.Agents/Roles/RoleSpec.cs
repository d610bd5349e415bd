using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Modernizer.Agents.Safety;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Serialization;

namespace Modernizer.Agents.Roles;

/// <summary>What every answer a model gives a role carries: a confidence and references to evidence that
/// an engine can check (P1: no evidence, no requirement).</summary>
public interface IModelJudgment
{
    double Confidence { get; }

    ImmutableArray<string> EvidenceRefs { get; }
}

/// <summary>The thresholds of the mission's escalation table (X3) that role checks read. The integrator
/// maps modernize.yaml thresholds onto it.</summary>
public sealed record EscalationThresholds
{
    public decimal CostDiscrepancyUsdPerMonth { get; init; } = 1000m;

    public double RegulatoryConfidenceFloor { get; init; } = 0.60;

    public double RequirementConfidenceTarget { get; init; } = 0.80;

    public double ReconciliationEscalationFloor { get; init; } = 0.95;

    public int TopJobsForMetadata { get; init; } = 50;
}

/// <summary>A role, defined once: its stage and place in the mission (from <see cref="RoleCatalog"/>), its
/// versioned instructions (their SHA-256 goes into every decision a model took part in), the engine
/// functions it may call (an allow-list enforced in code), and the typed input and output of the one
/// judgment it may ask a model for, with their JSON schemas.</summary>
public abstract class RoleSpec
{
    private readonly Lazy<string> _hash;
    private readonly Lazy<JsonNode> _inputSchema;
    private readonly Lazy<JsonNode> _outputSchema;

    protected RoleSpec()
    {
        _hash = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FullInstructions))));
        _inputSchema = new Lazy<JsonNode>(() => SchemaOf(InputType));
        _outputSchema = new Lazy<JsonNode>(() => SchemaOf(OutputType));
    }

    public abstract RoleId Role { get; }

    public RoleDefinition Definition => RoleCatalog.Get(Role);

    public StageId Stage => Definition.Stage;

    /// <summary>Bumped whenever <see cref="Instructions"/> change, so recordings and decisions can be traced.</summary>
    public abstract string InstructionsVersion { get; }

    /// <summary>What the role is for and how to judge, written for this product from its requirements (docs/glossary.md).</summary>
    public abstract string Instructions { get; }

    /// <summary>What the model is asked, in one sentence (trusted text; data goes in envelopes).</summary>
    public abstract string JudgmentQuestion { get; }

    /// <summary>The engine functions a model may call for this role; anything else is refused in code.</summary>
    public abstract ImmutableArray<string> AllowedTools { get; }

    public abstract Type InputType { get; }

    public abstract Type OutputType { get; }

    /// <summary>The instructions as sent: role text, the output contract and the data framing rule.</summary>
    public string FullInstructions =>
        $"You are the {Definition.DisplayName} of Modernizer ({Definition.RequirementId}), instructions version {InstructionsVersion}.\n\n" +
        Instructions.Trim() + "\n\n" +
        "Answer with one JSON object that matches the response schema, and nothing else. Give a confidence in [0, 1] " +
        "and evidence_refs that name only references listed in the known_evidence of the input; an answer without " +
        "evidence is rejected. The existing code's output is the source of truth (P1): never propose to change what it " +
        "outputs, even where it looks wrong; call that a suspected defect.\n\n" + DataEnvelope.Framing;

    public string InstructionsHash => _hash.Value;

    public JsonNode InputSchema => _inputSchema.Value;

    public JsonNode OutputSchema => _outputSchema.Value;

    /// <summary>The JSON schema of a judgment record, exported from the type itself (System.Text.Json's
    /// <see cref="JsonSchemaExporter"/>); confidence is bounded to [0, 1].</summary>
    public static JsonNode SchemaOf(Type type) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(JudgmentJson.Options, type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                if (context.PropertyInfo?.Name == "confidence" && node is JsonObject bounded)
                {
                    bounded["minimum"] = 0;
                    bounded["maximum"] = 1;
                }

                return node;
            },
        });
}

/// <summary>A role with its typed judgment: <typeparamref name="TInput"/> is what the model is shown (as
/// data), <typeparamref name="TOutput"/> what it must answer.</summary>
public abstract class RoleSpec<TInput, TOutput> : RoleSpec
    where TOutput : IModelJudgment
{
    public override Type InputType => typeof(TInput);

    public override Type OutputType => typeof(TOutput);

    /// <summary>The role's own engine check of a model answer; null when valid, else the error the model
    /// is shown on retry.</summary>
    public virtual string? Validate(TInput input, TOutput output) => null;

    /// <summary>The role's escalation checks (X3) over its typed result; plain code, never the model's call.</summary>
    public virtual ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, TInput input, TOutput output, EscalationThresholds thresholds) => [];
}
