using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Modernizer.Domain.Serialization;

namespace Modernizer.Samples.Generation;

/// <summary>Gives code to the catalog-only jobs the catalog script marked as templated (the planted
/// copies, and a share of the others for scale portfolios): each gets jobs/&lt;name&gt;/ with the files
/// of its template, one of the twelve coded jobs, every curated table renamed
/// <c>curated.&lt;name&gt;__&lt;table&gt;</c>, and a job.yaml with the template's parameters linking it to its
/// Lakeflow row. legacy/templated.json maps each copy to its template, so the legacy runner
/// reproduces a copy with its template's reference program (legacy/README.md).</summary>
internal static class TemplatedJobs
{
    public const string MappingFile = "legacy/templated.json";

    public static async Task<int> WriteAsync(SampleDb db, string workspace, CancellationToken cancellationToken)
    {
        var jobs = await db.RowsAsync(
            "SELECT job_id, name, owner, cadence, start_hour, start_minute, template FROM all_jobs WHERE templated ORDER BY job_id", cancellationToken);
        var resources = EmbeddedSample.ResourcePaths();
        var mapping = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in jobs)
        {
            var jobId = Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
            var name = (string)row[1]!;
            var template = (string)row[6]!;
            var folder = $"jobs/{template}/";
            foreach (var path in resources.Where(p => p.StartsWith(folder, StringComparison.Ordinal) && !p.EndsWith("/job.yaml", StringComparison.Ordinal)))
            {
                var text = Rename(Encoding.UTF8.GetString(EmbeddedSample.Read(path)), template, name);
                await AtomicFile.WriteAllTextAsync(Path.Combine(workspace, "jobs", name, path[folder.Length..]), text, cancellationToken);
            }

            var yaml = Rename(Encoding.UTF8.GetString(EmbeddedSample.Read(folder + "job.yaml")), template, name);
            await AtomicFile.WriteAllTextAsync(Path.Combine(workspace, "jobs", name, "job.yaml"), JobYaml(yaml, jobId, name, row), cancellationToken);
            mapping[name] = template;
        }

        var json = JsonSerializer.Serialize(mapping, new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        await AtomicFile.WriteAllTextAsync(Path.Combine(workspace, MappingFile), json, cancellationToken);
        return jobs.Count;
    }

    /// <summary>The copy's text: every curated table <c>curated.t</c> becomes <c>curated.&lt;name&gt;__t</c> and
    /// every other mention of the template's name becomes the copy's, in one pass (so a table named after
    /// its job is renamed once, not twice).</summary>
    internal static string Rename(string text, string template, string name) =>
        Regex.Replace(text, @"curated\.\w*|\b" + Regex.Escape(template) + @"\b", m => m.Value.StartsWith("curated.", StringComparison.Ordinal)
            ? $"curated.{name}__{m.Value["curated.".Length..]}"
            : name);

    /// <summary>The template's job.yaml (parameters, target framework) with the copy's name, schedule,
    /// owner, tags and Lakeflow job id.</summary>
    private static string JobYaml(string templateYaml, long jobId, string name, object?[] row)
    {
        var cadence = (string)row[3]!;
        var hour = Convert.ToInt32(row[4], CultureInfo.InvariantCulture);
        var minute = Convert.ToInt32(row[5], CultureInfo.InvariantCulture);
        var schedule = cadence switch
        {
            "weekly" => $"0 {minute} {hour} ? * MON",
            "hourly" => $"0 {minute} * * * ?",
            _ => $"0 {minute} {hour} * * ?",
        };
        var lines = templateYaml.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(line => line switch
        {
            _ when line.StartsWith("name:", StringComparison.Ordinal) => $"name: {name}",
            _ when line.StartsWith("schedule:", StringComparison.Ordinal) => $"schedule: \"{schedule}\"",
            _ when line.StartsWith("owner:", StringComparison.Ordinal) => string.Create(CultureInfo.InvariantCulture, $"owner: {row[2]}"),
            _ when line.StartsWith("tags:", StringComparison.Ordinal) => "tags: [templated]",
            _ when line.StartsWith("  job_id:", StringComparison.Ordinal) => string.Create(CultureInfo.InvariantCulture, $"  job_id: \"{jobId}\""),
            _ => line,
        });
        return string.Join('\n', lines) + "\n";
    }
}
