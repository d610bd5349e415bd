using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements.Interpretations;

/// <summary>A question the Inferencer asks another role (X1): the Code Reviewer about a span, the Data
/// Profiler about a column. The stage routes it through the consultation board; without one, the
/// answer comes straight from the analysis and the profile.</summary>
public sealed record ConsultationRequest(string Requirement, string To, string Question, string? Table, string? Column, string? RuleId);

public sealed record ConsultationReply(string Answer, ImmutableArray<RequirementEvidence> Evidence);

/// <summary>Answers consultation requests (the consultation board in the agent runtime).</summary>
public interface IConsultationPort
{
    Task<ConsultationReply?> AskAsync(ConsultationRequest request, CancellationToken cancellationToken);
}

/// <summary>R2.3 below the consultation floor (80% by default): consult the code analysis's assumptions and the
/// profile (X1), then run one query per interpretation against the legacy output and keep the reading the data
/// supports. Every step is kept with the requirement, and logged as a decision by the stage.</summary>
internal sealed class InterpretationResolver(double floor, IConsultationPort? port)
{
    private static readonly IInterpretationProbe[] Probes =
    [
        new InnerJoinDropsProbe(),
        new FanOutProbe(),
        new FloatEqualityProbe(),
        new DateWindowProbe(),
        new IntegerDivisionProbe(),
        new RunTimeFilterProbe(),
        new DefaultValueProbe(),
    ];

    public List<Consultation> Consultations { get; } = [];

    public async Task ResolveAsync(InferenceContext context, CancellationToken cancellationToken)
    {
        foreach (var requirement in context.Requirements.Where(r => r.Confidence < floor).ToList())
        {
            await ConsultAsync(context, requirement, cancellationToken);
            var probe = Probes.FirstOrDefault(p => p.Applies(context, requirement));
            var result = probe is null ? null : await probe.ProbeAsync(context, requirement, cancellationToken);
            if (result is null)
            {
                context.Replace(requirement with
                {
                    Interpretations = Undecided(context, requirement),
                    InitialConfidence = requirement.Confidence,
                });
                continue;
            }

            context.Replace(requirement with
            {
                Statement = result.Statement ?? requirement.Statement,
                Confidence = Math.Round(result.Confidence, 2),
                InitialConfidence = requirement.Confidence,
                Interpretations = result.Interpretations,
                Evidence = requirement.Evidence.AddRange(result.Evidence),
            });
        }
    }

    /// <summary>X1: what the Code Reviewer recorded at the same span, and what the profile says of the columns.</summary>
    private async Task ConsultAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var span = requirement.Evidence.FirstOrDefault(e => e.Kind == EvidenceSource.Code)?.Reference;
        var ruleIds = new List<string>();
        if (requirement.Origin.Defect is { } defect)
        {
            ruleIds.Add(defect);
        }

        if (requirement.Origin.Assumption is { } assumption)
        {
            ruleIds.Add(assumption);
        }

        if (span is not null)
        {
            ruleIds.AddRange(context.Inputs.Analysis.Assumptions.Where(a => $"{a.File}:{a.Line.ToString(CultureInfo.InvariantCulture)}" == span).Select(a => a.Id));
        }

        foreach (var rule in ruleIds.Distinct(StringComparer.Ordinal))
        {
            var request = new ConsultationRequest(requirement.Id, "code_reviewer", $"Which code span implements {rule}?", null, null, rule);
            var reply = port is null ? null : await port.AskAsync(request, cancellationToken);
            reply ??= AnswerFromAnalysis(context, rule);
            Consultations.Add(new Consultation(requirement.Id, request.To, request.Question, reply.Answer, reply.Evidence));
        }

        // At most three questions per requirement: the consultation board bounds the rounds of one ambiguity.
        foreach (var column in requirement.Columns.Where(c => c.Count(ch => ch == '.') >= 2).Take(Math.Max(0, 3 - ruleIds.Distinct(StringComparer.Ordinal).Count())))
        {
            var cut = column.LastIndexOf('.');
            var (table, name) = (column[..cut], column[(cut + 1)..]);
            var request = new ConsultationRequest(requirement.Id, "data_profiler", $"Is column {name} of {table} ever null?", table, name, null);
            var reply = port is null ? null : await port.AskAsync(request, cancellationToken);
            reply ??= AnswerFromProfile(context, table, name);
            Consultations.Add(new Consultation(requirement.Id, request.To, request.Question, reply.Answer, reply.Evidence));
        }
    }

    private static ConsultationReply AnswerFromAnalysis(InferenceContext context, string rule)
    {
        var analysis = context.Inputs.Analysis;
        var spans = analysis.SuspectedDefects.Where(d => d.Id == rule).Select(d => (d.File, d.Line, d.Description))
            .Concat(analysis.Assumptions.Where(a => a.Id == rule).Select(a => (a.File, a.Line, Description: a.Statement + " (alternatives: " + string.Join("; ", a.Alternatives) + ")")))
            .ToList();
        return spans.Count == 0
            ? new ConsultationReply($"The analysis names no span for {rule}.", [])
            : new ConsultationReply($"{rule} is at {string.Join(", ", spans.Select(s => $"{s.File}:{s.Line.ToString(CultureInfo.InvariantCulture)}"))}: {spans[0].Description}",
                [.. spans.Select(s => RequirementEvidence.Code($"{s.File}:{s.Line.ToString(CultureInfo.InvariantCulture)}", s.Description))]);
    }

    private static ConsultationReply AnswerFromProfile(InferenceContext context, string table, string column)
    {
        var profile = context.Inputs.Profile.Column(table, column);
        return profile is null
            ? new ConsultationReply($"The profile has no column {column} of {table}.", [])
            : new ConsultationReply(
                profile.Nulls == 0 ? $"No: {table}.{column} has no nulls in the profiled version." : string.Create(CultureInfo.InvariantCulture, $"Yes: {table}.{column} has {profile.Nulls} nulls."),
                [new RequirementEvidence(EvidenceSource.SourceData, $"jobs/{context.Inputs.Job}/profile.json#{table}.{column}", string.Create(CultureInfo.InvariantCulture, $"nulls={profile.Nulls}, count={profile.Count}, distinct={profile.Distinct}"))]);
    }

    /// <summary>No query can decide: the code's reading stays (P1: the code is the source of truth for output),
    /// with the alternatives the reviewer recorded.</summary>
    private static ImmutableArray<Interpretation> Undecided(InferenceContext context, Requirement requirement)
    {
        var alternatives = requirement.Origin.Assumption is { } id
            ? context.Inputs.Analysis.Assumptions.FirstOrDefault(a => a.Id == id)?.Alternatives ?? []
            : requirement.Origin.Defect is not null
                ? ["the behaviour the code seems to intend (a fix, rejected by P1)"]
                : requirement.Category == "lookup"
                    ? ["the first row read wins", "a particular source row (e.g. the official rate) wins"]
                    : [];
        var reading = requirement.Category == "lookup"
            ? "the legacy output holds values computed from the looked-up ones, and the row order that decides them is not defined by the code: no query over the data can tell which row was meant"
            : "no query over the source or the legacy output tells these readings apart";
        return
        [
            new Interpretation("a", requirement.Statement, null, true, reading),
            .. alternatives.Select((a, i) => new Interpretation(((char)('b' + i)).ToString(), a, null, false, reading)),
        ];
    }
}
