using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Consultation;

/// <summary>The Data Profiler's answers, read from the profiler engine's artifact
/// (<c>.modernize/jobs/&lt;job&gt;/profile.json</c>: one table object, a <c>tables</c> array, or an array of
/// table objects, each with <c>columns[] {name, nulls, count}</c>). No profile, no answer.</summary>
public sealed class ProfileConsultant(WorkspacePaths workspace) : IConsultant
{
    public RoleId Role => RoleId.DataProfiler;

    public bool CanAnswer(ConsultationQuestion question) => question is ColumnNullQuestion;

    public async Task<ConsultationAnswer> AnswerAsync(ConsultationQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var q = (ColumnNullQuestion)question;
        var path = Path.Combine(workspace.JobOutput(q.Job), "profile.json");
        if (!File.Exists(path))
        {
            return ConsultationAnswer.Unknown($"No profile of job {q.Job} yet ({path}).");
        }

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        foreach (var table in Tables(document.RootElement))
        {
            var name = table.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            if (!SameTable(name, q.Table) || !table.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var column in columns.EnumerateArray())
            {
                if (!column.TryGetProperty("name", out var n) || !string.Equals(n.GetString(), q.Column, StringComparison.OrdinalIgnoreCase)
                    || !column.TryGetProperty("nulls", out var nulls) || nulls.ValueKind != JsonValueKind.Number)
                {
                    continue;
                }

                var count = nulls.GetInt64();
                var rows = column.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : (long?)null;
                var evidence = new Evidence(EvidenceKind.SourceData, $"jobs/{WorkspacePaths.JobFolder(q.Job)}/profile.json#{name}.{q.Column}",
                    rows is null
                        ? string.Create(CultureInfo.InvariantCulture, $"nulls={count}")
                        : string.Create(CultureInfo.InvariantCulture, $"nulls={count}, count={rows}"));
                var text = count == 0
                    ? $"No: {name}.{q.Column} has no nulls in the profiled version."
                    : string.Create(CultureInfo.InvariantCulture, $"Yes: {name}.{q.Column} has {count} nulls in the profiled version.");
                // Profiled counts are exact facts about one table version, not about all future data.
                return new ConsultationAnswer(true, text, new Confidence(count == 0 ? 0.9 : 1.0), [evidence]);
            }
        }

        return ConsultationAnswer.Unknown($"The profile of job {q.Job} has no column {q.Column} of {q.Table}.");
    }

    private static IEnumerable<JsonElement> Tables(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.EnumerateArray(),
        JsonValueKind.Object when root.TryGetProperty("tables", out var tables) && tables.ValueKind == JsonValueKind.Array => tables.EnumerateArray(),
        JsonValueKind.Object => [root],
        _ => [],
    };

    private static bool SameTable(string profiled, string asked) =>
        string.Equals(profiled, asked, StringComparison.OrdinalIgnoreCase)
        || profiled.EndsWith("." + asked, StringComparison.OrdinalIgnoreCase)
        || asked.EndsWith("." + profiled, StringComparison.OrdinalIgnoreCase);
}
