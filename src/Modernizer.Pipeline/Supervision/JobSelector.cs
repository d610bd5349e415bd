using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Pipeline.Supervision;

/// <summary>The jobs selected for tiers 2-5 (R5.2) and, when none could be selected, why.</summary>
public sealed record JobSelection(ImmutableArray<JobId> Jobs, string Source, string? Problem);

/// <summary>Picks the jobs for tiers 2-5: the pilot job when set, else the explicit list, else the
/// top N candidates of <c>backlog.json</c> by rank.</summary>
public static class JobSelector
{
    public static async Task<JobSelection> SelectAsync(SelectionSettings settings, WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(workspace);
        if (settings.Pilot is { } pilot)
        {
            return Checked([pilot], "selection.pilot");
        }

        if (!settings.Jobs.IsDefaultOrEmpty)
        {
            return Checked(settings.Jobs.Distinct(StringComparer.Ordinal).ToArray(), "selection.jobs");
        }

        if (!File.Exists(workspace.BacklogJson))
        {
            return new([], "backlog.json", "no backlog yet: tier 1 (scan, finops, prioritize) has not completed");
        }

        await using var stream = File.OpenRead(workspace.BacklogJson);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{workspace.BacklogJson}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{workspace.BacklogJson}: expected an object with a candidates[] array");
            }

            var ranked = new List<(long Rank, int Index, string Job)>();
            var index = 0;
            foreach (var candidate in candidates.EnumerateArray())
            {
                if (!candidate.TryGetProperty("job_id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()))
                {
                    throw new InvalidDataException($"{workspace.BacklogJson}: candidates[{index}] has no job_id");
                }

                var rank = candidate.TryGetProperty("rank", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : long.MaxValue;
                ranked.Add((rank, index++, id.GetString()!));
            }

            var jobs = ranked.OrderBy(c => c.Rank).ThenBy(c => c.Index).Select(c => c.Job).Distinct(StringComparer.Ordinal)
                .Take(settings.TopN).ToArray();
            return Checked(jobs, $"backlog.json top {settings.TopN}");
        }
    }

    /// <summary>The ids that can be jobs; the others are left out and named in the selection's problem
    /// (a catalog id is data: it may be anything, a run must not stop for it).</summary>
    private static JobSelection Checked(IReadOnlyList<string> ids, string source)
    {
        var jobs = ImmutableArray.CreateBuilder<JobId>();
        var refused = new List<string>();
        foreach (var id in ids)
        {
            if (JobId.TryCreate(id, out var job, out var problem))
            {
                jobs.Add(job);
            }
            else
            {
                refused.Add($"'{Printable(id)}' ({problem})");
            }
        }

        var message = refused.Count == 0 ? null
            : $"{refused.Count} job id(s) from {source} left out: " + string.Join("; ", refused.Take(5)) + (refused.Count > 5 ? "; ..." : string.Empty);
        return new(jobs.ToImmutable(), source, message);
    }

    private static string Printable(string id) =>
        string.Concat(id.Take(80).Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}") : c.ToString()))
        + (id.Length > 80 ? "..." : string.Empty);

    /// <summary>True when <c>jobs/&lt;id&gt;/</c> holds legacy code (.py, .sql or .ipynb files).</summary>
    public static bool HasCode(WorkspacePaths workspace, JobId job)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var folder = workspace.JobCode(job);
        return Directory.Exists(folder)
            && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Any(f => Path.GetExtension(f).ToLowerInvariant() is ".py" or ".sql" or ".ipynb");
    }
}
