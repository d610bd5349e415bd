using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Modernizer.Agents.Telemetry;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Serialization;

namespace Modernizer.Agents.Consultation;

/// <summary>One question and its answer, with the decision that logs it.</summary>
public sealed record ConsultationExchange(ConsultationQuestion Question, ConsultationAnswer Answer, bool RoundsExhausted, DecisionDraft Decision);

/// <summary>X1: roles resolve ambiguity by asking each other before anyone escalates. Every exchange is a
/// decision with its evidence; after <c>maxRounds</c> questions about one ambiguity the board stops
/// answering and says so, and the asking role's policy may escalate. Questions reach the answering role's
/// deterministic consultant; models ask through the same board via the <c>ask_*</c> tools.</summary>
public sealed class ConsultationBoard
{
    private readonly ImmutableArray<IConsultant> _consultants;
    private readonly int _maxRounds;
    private readonly AgentTelemetry? _telemetry;
    private readonly ConcurrentDictionary<(string Job, string Ambiguity), int> _rounds = new();
    private readonly ConcurrentQueue<DecisionDraft> _decisions = new();

    public ConsultationBoard(IEnumerable<IConsultant> consultants, int maxRounds, AgentTelemetry? telemetry = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        _consultants = [.. consultants];
        _maxRounds = maxRounds;
        _telemetry = telemetry;
    }

    public async Task<ConsultationExchange> AskAsync(StageId stage, ConsultationQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var round = _rounds.AddOrUpdate((question.Job.Value, question.AmbiguityId), 1, (_, n) => n + 1);
        _telemetry?.Consultations.Add(1, new KeyValuePair<string, object?>("modernizer.consultation.to", RoleNames.Snake(question.To)));
        ConsultationAnswer answer;
        var exhausted = round > _maxRounds;
        if (exhausted)
        {
            answer = ConsultationAnswer.Unknown(string.Create(CultureInfo.InvariantCulture,
                $"Ambiguity {question.AmbiguityId} has used its {_maxRounds} consultation rounds; the asking role's policy decides."));
        }
        else
        {
            var consultant = _consultants.FirstOrDefault(c => c.Role == question.To && c.CanAnswer(question));
            answer = consultant is null
                ? ConsultationAnswer.Unknown($"{RoleCatalog.Get(question.To).DisplayName} has no engine that answers this question.")
                : await consultant.AnswerAsync(question, cancellationToken).ConfigureAwait(false);
        }

        var decision = new DecisionDraft(
            question.Job,
            stage,
            question.From,
            exhausted ? "consultation_rounds_exhausted" : "consultation",
            DecisionOutcome.Autonomous,
            answer.Confidence,
            "X1",
            string.Create(CultureInfo.InvariantCulture,
                $"Asked {RoleCatalog.Get(question.To).DisplayName} (round {round} of {_maxRounds} for {question.AmbiguityId}): {question.Text} Answer: {answer.Answer}"),
            [],
            answer.Evidence);
        _decisions.Enqueue(decision);
        return new ConsultationExchange(question, answer, exhausted, decision);
    }

    /// <summary>Takes the decisions logged so far (the stage puts them in its outcome).</summary>
    public ImmutableArray<DecisionDraft> DrainDecisions()
    {
        var drained = ImmutableArray.CreateBuilder<DecisionDraft>();
        while (_decisions.TryDequeue(out var decision))
        {
            drained.Add(decision);
        }

        return drained.ToImmutable();
    }

    /// <summary>The board as tools a model may call (the role's allow-list still filters them).</summary>
    public ImmutableArray<AIFunction> ToolsFor(RoleId asker, JobId job, StageId stage, string ambiguityId) =>
    [
        AIFunctionFactory.Create(
            async ([Description("Table name as the code names it, e.g. raw.orders")] string table,
                   [Description("Column name")] string column,
                   CancellationToken cancellationToken) =>
                Render(await AskAsync(stage, new ColumnNullQuestion(asker, job, ambiguityId, table, column), cancellationToken).ConfigureAwait(false)),
            "ask_data_profiler",
            "Ask the Data Profiler whether a column of a table the job reads or writes is ever null; answers from the profile with evidence."),
        AIFunctionFactory.Create(
            async ([Description("Rule, anti-pattern, assumption or suspected-defect id from the analysis")] string ruleId,
                   CancellationToken cancellationToken) =>
                Render(await AskAsync(stage, new RuleSpanQuestion(asker, job, ambiguityId, ruleId), cancellationToken).ConfigureAwait(false)),
            "ask_code_reviewer",
            "Ask the Code Reviewer which code span implements a rule; answers from the code analysis with evidence."),
    ];

    private static string Render(ConsultationExchange exchange) =>
        JsonSerializer.Serialize(new
        {
            answered = exchange.Answer.Answered,
            answer = exchange.Answer.Answer,
            confidence = exchange.Answer.Confidence.Value,
            evidence = exchange.Answer.Evidence.Select(e => e.Reference).ToArray(),
        }, JsonDefaults.Compact);
}
