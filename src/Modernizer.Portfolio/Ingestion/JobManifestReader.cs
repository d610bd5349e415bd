using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>Reads jobs/*/job.yaml and the code size of each coded job. A job folder is metadata,
/// not data: there are as many as there are coded jobs, so this is plain file reading.</summary>
internal static class JobManifestReader
{
    private static readonly string[] CodeExtensions = [".py", ".sql", ".ipynb", ".scala"];

    public static async Task<(ImmutableArray<JobManifest> Manifests, ImmutableArray<BadRow> Problems)> ReadAsync(
        WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workspace.Jobs))
        {
            return ([], []);
        }

        var manifests = ImmutableArray.CreateBuilder<JobManifest>();
        var problems = ImmutableArray.CreateBuilder<BadRow>();
        foreach (var folder in Directory.EnumerateDirectories(workspace.Jobs).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folderName = Path.GetFileName(folder);

            // A folder's name is its job's id, escaped (WorkspacePaths.JobFolder): a name no id escapes to
            // ("50%off", a shortened name) cannot be matched with its job, so it is reported, not guessed.
            if (!SafeFolderName.TryUnescape(folderName, out var jobId) || string.IsNullOrWhiteSpace(jobId))
            {
                problems.Add(new BadRow($"jobs/{folderName}/", null,
                    "the folder name is not a job folder name: '%' starts an escape (%25 is '%'), and '/', '\\', ':', '*', '?', '\"', '<', '>', '|', '~' and control characters are escaped"));
                continue;
            }

            var codeFiles = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).ToArray();
            long lines = 0;
            foreach (var file in codeFiles)
            {
                lines += (await File.ReadAllLinesAsync(file, cancellationToken)).Count(l => !string.IsNullOrWhiteSpace(l));
            }

            var yamlPath = Path.Combine(folder, "job.yaml");
            YamlMappingNode? root = null;
            if (File.Exists(yamlPath))
            {
                try
                {
                    var stream = new YamlStream();
                    stream.Load(new StringReader(await File.ReadAllTextAsync(yamlPath, cancellationToken)));
                    root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
                }
                catch (YamlDotNet.Core.YamlException e)
                {
                    problems.Add(new BadRow($"jobs/{folderName}/job.yaml", e.Start.Line, "not valid YAML: " + e.Message));
                }
            }

            var catalog = Child(root, "catalog") as YamlMappingNode;
            manifests.Add(new JobManifest(
                jobId,
                Scalar(root, "name"),
                Scalar(root, "schedule"),
                Scalar(root, "owner"),
                Child(root, "tags") is YamlSequenceNode tags ? [.. tags.Children.OfType<YamlScalarNode>().Select(t => t.Value ?? "").Where(t => t.Length > 0)] : [],
                Scalar(catalog, "source"),
                Scalar(catalog, "workspace_id"),
                Scalar(catalog, "job_id"),
                lines,
                codeFiles.Length,
                root is not null,
                await ReadAnalysisAsync(workspace, jobId, problems, cancellationToken)));
        }

        return (manifests.ToImmutable(), problems.ToImmutable());
    }

    private static async Task<CodeAnalysisSummary?> ReadAnalysisAsync(
        WorkspacePaths workspace, string jobId, ImmutableArray<BadRow>.Builder problems, CancellationToken cancellationToken)
    {
        var job = new JobId(jobId);
        var path = WorkspacePaths.Under(workspace.JobOutput(job), "analysis.json");
        if (!File.Exists(path))
        {
            return null;
        }

        var relative = $".modernize/{WorkspacePaths.JobArtifactReference(job, "analysis.json")}";
        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var root = document.RootElement;
            var ruleIds = Array(root, "anti_patterns").Select(a => a.TryGetProperty("rule_id", out var r) ? r.GetString() ?? "" : "").ToImmutableArray();
            return new CodeAnalysisSummary(
                relative,
                [.. Array(root, "sources").Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)],
                [.. Array(root, "targets").Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)],
                ruleIds.Length,
                Array(root, "suspected_defects").Count(),
                ruleIds);
        }
        catch (JsonException e)
        {
            problems.Add(new BadRow(relative, e.LineNumber + 1, "not valid JSON: " + e.Message));
            return null;
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToArray()
            : [];

    private static YamlNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode? node, string key) =>
        Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } && value is not "null" and not "~" ? value : null;
}
