using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Delivery.Packaging;

/// <summary>What the bundle takes from the legacy job: its name, schedule (and time zone), owner, tags
/// and the catalog's job id — from <c>jobs/&lt;job&gt;/job.yaml</c>, the schedule falling back to the
/// inventory (R1.1) when the job has no job.yaml.</summary>
public sealed record JobProfile(
    JobId Job,
    string Name,
    string? Schedule,
    string? TimeZone,
    string? Owner,
    ImmutableArray<string> Tags,
    string? CatalogJobId)
{
    public static async Task<JobProfile> ReadAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var path = Path.Combine(workspace.JobCode(job), "job.yaml");
        string? name = null, schedule = null, zone = null, owner = null, catalogId = null;
        var tags = ImmutableArray<string>.Empty;
        if (File.Exists(path))
        {
            var stream = new YamlStream();
            try
            {
                using var reader = new StringReader(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
                stream.Load(reader);
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new DeliveryException($"{path}:{e.Start.Line}: not valid YAML ({e.Message})", e);
            }

            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root)
            {
                name = Scalar(root, "name");
                schedule = Scalar(root, "schedule");
                zone = Scalar(root, "timezone") ?? Scalar(root, "timezone_id");
                owner = Scalar(root, "owner");
                tags = root.Children.TryGetValue(new YamlScalarNode("tags"), out var t) && t is YamlSequenceNode list
                    ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>()]
                    : [];
                catalogId = root.Children.TryGetValue(new YamlScalarNode("catalog"), out var c) && c is YamlMappingNode catalog ? Scalar(catalog, "job_id") : null;
            }
        }

        schedule ??= await InventoryScheduleAsync(workspace, job, cancellationToken).ConfigureAwait(false);
        return new JobProfile(job, name ?? job.Value, schedule, zone, owner, tags, catalogId);
    }

    private static async Task<string?> InventoryScheduleAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        if (!File.Exists(workspace.InventoryJson))
        {
            return null;
        }

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(workspace.InventoryJson, cancellationToken).ConfigureAwait(false));
        if (!document.RootElement.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return jobs.EnumerateArray()
            .Where(j => j.TryGetProperty("job_id", out var id) && id.GetString() == job.Value)
            .Select(j => j.TryGetProperty("schedule", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null)
            .FirstOrDefault();
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } && value != "null" && value != "~" ? value : null;
}
