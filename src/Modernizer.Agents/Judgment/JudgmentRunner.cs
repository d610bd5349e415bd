using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modernizer.Agents.Limits;
using Modernizer.Agents.Models;
using Modernizer.Agents.Roles;
using Modernizer.Agents.Safety;
using Modernizer.Domain.Serialization;

namespace Modernizer.Agents.Judgment;

/// <summary>Asks a model for one role judgment through Microsoft Agent Framework (a
/// <see cref="ChatClientAgent"/> over the gateway's pipeline), with structured output, engine checks and
/// bounded retries that show the model its validation error. Whatever happens, it returns: a model that
/// is absent, wrong, over budget or misbehaving leaves the deterministic result standing.</summary>
public sealed partial class JudgmentRunner(ModelGateway gateway, ILogger<JudgmentRunner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<JudgmentRunner>.Instance;

    public bool ModelAvailable => gateway.IsEnabled;

    public async Task<JudgmentResult<TOutput>> AskAsync<TInput, TOutput>(
        RoleSpec<TInput, TOutput> role,
        JudgmentRequest<TInput> request,
        CancellationToken cancellationToken)
        where TOutput : IModelJudgment
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(request);
        if (!gateway.IsEnabled)
        {
            return new JudgmentResult<TOutput>(JudgmentStatus.NotAsked, default, 0, 0, 0, 0m, role.InstructionsHash, []);
        }

        var limits = gateway.Options.Limits;
        var budget = gateway.Ledger.For(request.Job?.Value ?? LoggedSpend.PortfolioScope);
        var meter = new UsageMeter();
        var tools = request.Tools.IsDefault ? [] : request.Tools.Where(t => role.AllowedTools.Contains(t.Name)).ToImmutableArray();
        using var client = gateway.CreateJudgmentClient(role.Role, budget, meter, [.. tools.Select(t => t.Name)]);
        var agent = new ChatClientAgent(client, new ChatClientAgentOptions
        {
            Name = RoleNames.Snake(role.Role),
            Description = role.Definition.DisplayName,
            UseProvidedChatClientAsIs = true,
            ChatOptions = new ChatOptions
            {
                Instructions = role.FullInstructions,
                ModelId = gateway.Options.Model,
                MaxOutputTokens = gateway.Options.MaxOutputTokens,
                Temperature = gateway.Options.Temperature,
                Tools = [.. tools],
                ResponseFormat = ChatResponseFormat.ForJsonSchema(
                    JsonSerializer.SerializeToElement(role.OutputSchema), RoleNames.Snake(role.Role) + "_judgment", role.JudgmentQuestion),
            },
        });

        var messages = new List<ChatMessage> { new(ChatRole.User, BuildPrompt(role, request)) };
        var problems = ImmutableArray.CreateBuilder<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.StageTimeout);
        var attempts = 0;
        while (attempts < limits.MaxAttemptsPerJudgment)
        {
            attempts++;
            string answer;
            try
            {
                var response = await agent.RunAsync(messages, session: null, options: null, timeout.Token).ConfigureAwait(false);
                answer = response.Text;
            }
            catch (LimitReachedException e)
            {
                return Finish(JudgmentStatus.LimitReached, default, e.Message, e.Limit);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Finish(JudgmentStatus.LimitReached, default, "The judgment ran past the stage's wall-clock limit.", "timeout");
            }
            catch (Exception e) when (e is DisallowedToolCallException or ModelUnavailableException or PartialModelOutputException)
            {
                return Finish(JudgmentStatus.Failed, default, e.Message, null);
            }

            var (output, error) = Check(role, request, answer);
            if (output is not null)
            {
                return Finish(JudgmentStatus.Accepted, output, null, null);
            }

            problems.Add(string.Create(CultureInfo.InvariantCulture, $"attempt {attempts}: {error}"));
            LogRejected(_logger, RoleNames.Snake(role.Role), attempts, error!);
            messages.Add(new ChatMessage(ChatRole.Assistant, answer));
            messages.Add(new ChatMessage(ChatRole.User,
                $"Your answer was rejected by the engine check: {error} Answer again with one JSON object that matches the schema."));
        }

        return Finish(JudgmentStatus.Rejected, default, $"No valid answer in {attempts} attempts; the deterministic result stands.", "attempts");

        JudgmentResult<TOutput> Finish(JudgmentStatus status, TOutput? output, string? problem, string? limit)
        {
            if (problem is not null)
            {
                problems.Add(problem);
            }

            var spent = meter.Spent;
            var roleTag = new KeyValuePair<string, object?>("gen_ai.agent.name", RoleNames.Snake(role.Role));
            gateway.Telemetry.Judgments.Add(1, roleTag, new KeyValuePair<string, object?>("modernizer.judgment.status", status.ToString()));
            gateway.Telemetry.Tokens.Add(spent.InputTokens, roleTag, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
            gateway.Telemetry.Tokens.Add(spent.OutputTokens, roleTag, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
            gateway.Telemetry.CostUsd.Add((double)spent.CostUsd, roleTag);
            if (limit is not null)
            {
                gateway.Telemetry.LimitsReached.Add(1, new KeyValuePair<string, object?>("modernizer.limit", limit));
            }

            return new JudgmentResult<TOutput>(status, output, attempts, spent.InputTokens, spent.OutputTokens, spent.CostUsd,
                role.InstructionsHash, problems.ToImmutable(), limit);
        }
    }

    /// <summary>Trusted question first; the typed input and every untrusted text only inside data envelopes.</summary>
    internal static string BuildPrompt<TInput, TOutput>(RoleSpec<TInput, TOutput> role, JudgmentRequest<TInput> request)
        where TOutput : IModelJudgment
    {
        var input = new JsonObject
        {
            ["input"] = JsonSerializer.SerializeToNode(request.Input, JudgmentJson.Options),
            ["known_evidence"] = new JsonArray([.. request.KnownEvidence.Order(StringComparer.Ordinal).Select(e => (JsonNode)JsonValue.Create(e))]),
        };
        var builder = new StringBuilder();
        builder.Append(role.JudgmentQuestion).Append("\n\n");
        builder.Append(DataEnvelope.Wrap(new DataItem(DataKind.EngineResult, "input", input.ToJsonString())));
        if (!request.Data.IsDefaultOrEmpty)
        {
            builder.Append("\n\n").Append(DataEnvelope.WrapAll(request.Data));
        }

        return builder.ToString();
    }

    /// <summary>The engine check every answer passes: parses as the output record, confidence in [0, 1],
    /// at least one evidence reference and only known ones, then the role's own validation.</summary>
    internal static (TOutput? Output, string? Error) Check<TInput, TOutput>(RoleSpec<TInput, TOutput> role, JudgmentRequest<TInput> request, string answer)
        where TOutput : IModelJudgment
    {
        var json = ExtractJsonObject(answer);
        if (json is null)
        {
            return (default, "The answer is not a JSON object.");
        }

        TOutput? output;
        try
        {
            output = JsonSerializer.Deserialize<TOutput>(json, JudgmentJson.Options);
        }
        catch (JsonException e)
        {
            return (default, $"The answer does not match the schema: {e.Message}");
        }

        if (output is null)
        {
            return (default, "The answer is null.");
        }

        if (double.IsNaN(output.Confidence) || output.Confidence < 0 || output.Confidence > 1)
        {
            return (default, "confidence must lie in [0, 1].");
        }

        if (output.EvidenceRefs.IsDefaultOrEmpty)
        {
            return (default, "evidence_refs is empty; every answer must cite evidence from known_evidence.");
        }

        var unknown = output.EvidenceRefs.Where(r => !request.KnownEvidence.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            return (default, $"evidence_refs cites references that do not exist: {string.Join(", ", unknown)}.");
        }

        var roleError = role.Validate(request.Input, output);
        return roleError is null ? (output, null) : (default, roleError);
    }

    private static string? ExtractJsonObject(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        return start >= 0 && end > start ? text[start..(end + 1)] : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Role {Role}: model answer rejected on attempt {Attempt}: {Error}")]
    private static partial void LogRejected(ILogger logger, string role, int attempt, string error);
}
