using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Consultation;

/// <summary>The Code Reviewer's answers, read from the code analysis artifact
/// (<c>.modernize/jobs/&lt;job&gt;/analysis.json</c>): a rule id is looked up among <c>anti_patterns[].rule_id</c>,
/// <c>suspected_defects[].id</c> and <c>assumptions[].id</c>, each with <c>file</c> and <c>line</c>.</summary>
public sealed class AnalysisConsultant(WorkspacePaths workspace) : IConsultant
{
    private static readonly (string Array, string IdField)[] Sections =
        [("anti_patterns", "rule_id"), ("suspected_defects", "id"), ("assumptions", "id")];

    public RoleId Role => RoleId.CodeReviewer;

    public bool CanAnswer(ConsultationQuestion question) => question is RuleSpanQuestion;

    public async Task<ConsultationAnswer> AnswerAsync(ConsultationQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var q = (RuleSpanQuestion)question;
        var path = Path.Combine(workspace.JobOutput(q.Job), "analysis.json");
        if (!File.Exists(path))
        {
            return ConsultationAnswer.Unknown($"No code analysis of job {q.Job} yet ({path}).");
        }

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        var spans = ImmutableArray.CreateBuilder<Evidence>();
        foreach (var (array, idField) in Sections)
        {
            if (!document.RootElement.TryGetProperty(array, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object
                    && item.TryGetProperty(idField, out var id) && string.Equals(id.GetString(), q.RuleId, StringComparison.OrdinalIgnoreCase)
                    && item.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String)
                {
                    var line = item.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : (int?)null;
                    var reference = line is null ? file.GetString()! : string.Create(CultureInfo.InvariantCulture, $"{file.GetString()}:{line}");
                    spans.Add(new Evidence(EvidenceKind.CodeSpan, reference, $"{array} {q.RuleId}"));
                }
            }
        }

        return spans.Count == 0
            ? ConsultationAnswer.Unknown($"The analysis of job {q.Job} names no span for {q.RuleId}.")
            : new ConsultationAnswer(true, $"{q.RuleId} is implemented at {string.Join(", ", spans.Select(s => s.Reference))}.", Confidence.Certain, spans.ToImmutable());
    }
}
