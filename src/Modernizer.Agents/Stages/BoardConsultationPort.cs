using System.Collections.Immutable;
using Modernizer.Agents.Consultation;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Requirements.Interpretations;

namespace Modernizer.Agents.Stages;

/// <summary>The Requirements Inferencer's questions (X1) through the consultation board: a span question goes
/// to the Code Reviewer, a column question to the Data Profiler, each logged as a consultation decision.</summary>
internal sealed class BoardConsultationPort(ConsultationBoard board, JobId job, StageId stage, RoleId asker) : IConsultationPort
{
    public async Task<ConsultationReply?> AskAsync(ConsultationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ConsultationQuestion question = request.RuleId is { } rule
            ? new RuleSpanQuestion(asker, job, request.Requirement, rule)
            : new ColumnNullQuestion(asker, job, request.Requirement, request.Table ?? string.Empty, request.Column ?? string.Empty);
        var exchange = await board.AskAsync(stage, question, cancellationToken);
        return exchange.Answer.Answered
            ? new ConsultationReply(exchange.Answer.Answer, [.. exchange.Answer.Evidence.Select(ToRequirement)])
            : null;
    }

    private static RequirementEvidence ToRequirement(Evidence evidence) => new(
        evidence.Kind switch
        {
            EvidenceKind.CodeSpan => EvidenceSource.Code,
            EvidenceKind.OutputData => EvidenceSource.OutputData,
            _ => EvidenceSource.SourceData,
        },
        evidence.Reference,
        evidence.Detail ?? string.Empty);

    public static ImmutableArray<Evidence> ToDomain(IEnumerable<RequirementEvidence> evidence) =>
        [.. evidence.Select(e => new Evidence(
            e.Kind switch
            {
                EvidenceSource.Code => EvidenceKind.CodeSpan,
                EvidenceSource.OutputData => EvidenceKind.OutputData,
                _ => EvidenceKind.SourceData,
            },
            e.Reference,
            e.Query is { } query ? $"{e.Detail} [{query.Summary()}]" : e.Detail))];
}
