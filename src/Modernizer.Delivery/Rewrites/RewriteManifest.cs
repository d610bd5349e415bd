using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Rewrites;

/// <summary>A parameter of the rewrite (a named marker <c>:name</c> in the Spark SQL) and its legacy default.</summary>
public sealed record RewriteParameter(string Name, string Type, string? Default);

/// <summary>A table the rewrite writes, how, and which DuckDB rendering computes its rows.</summary>
public sealed record RewriteTarget(string Table, string Mode, ImmutableArray<string> PartitionBy, string? DuckDbFile, string? Output);

/// <summary>A table the parallel run read, at the Delta version it read.</summary>
public sealed record RewriteInput(string Table, long? Version);

/// <summary>An assumption of the Code Writer (below 80% its alternative is a parameter).</summary>
public sealed record RewriteAssumption(string Id, string Statement, double? Confidence, string? Alternative, string? Parameter);

/// <summary>The Code Writer's <c>rewrite.json</c> as Delivery reads it, plus the folder's current hash.</summary>
public sealed record RewriteManifest(
    JobId Job,
    RewriteLayout Layout,
    string Status,
    int? LoopsBefore,
    int? LoopsAfter,
    string? RecordedHash,
    string CurrentHash,
    ImmutableArray<RewriteParameter> Parameters,
    ImmutableArray<RewriteTarget> Targets,
    ImmutableArray<RewriteInput> Inputs,
    ImmutableArray<RewriteAssumption> Assumptions)
{
    /// <summary>Reads the rewrite of <paramref name="job"/>; a missing or malformed file is an error naming it.</summary>
    public static async Task<RewriteManifest> ReadAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        var layout = RewriteLayout.For(workspace, job);
        if (!File.Exists(layout.Manifest))
        {
            throw new DeliveryException($"{layout.Manifest}: no rewrite for job {job} (the Code Writer writes rewrite.json).");
        }

        if (!File.Exists(layout.SparkSql))
        {
            throw new DeliveryException($"{layout.SparkSql}: the rewrite of job {job} has no Spark SQL deliverable.");
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(layout.Manifest, cancellationToken).ConfigureAwait(false));
            var root = document.RootElement;
            return new RewriteManifest(
                job,
                layout,
                Text(root, "status") ?? "unknown",
                Int(root, "loops_before"),
                Int(root, "loops_after"),
                Text(root, "rewrite_hash"),
                RewriteLayout.Hash(layout.Folder),
                [.. Items(root, "parameters").Select(p => new RewriteParameter(Text(p, "name") ?? throw Missing(layout, "parameters[].name"), Text(p, "type") ?? "STRING", Scalar(p, "default")))],
                [.. Items(root, "targets").Select(t => new RewriteTarget(
                    Text(t, "table") ?? throw Missing(layout, "targets[].table"),
                    Text(t, "mode") ?? "overwrite",
                    [.. Items(t, "partition_by").Select(v => v.GetString() ?? string.Empty)],
                    Text(t, "duckdb_file"),
                    Text(t, "output")))],
                [.. Items(root, "inputs").Select(i => new RewriteInput(Text(i, "table") ?? throw Missing(layout, "inputs[].table"), Long(i, "version")))],
                [.. Items(root, "assumptions").Select(a => new RewriteAssumption(Text(a, "id") ?? "?", Text(a, "statement") ?? string.Empty, Double(a, "confidence"), Text(a, "alternative"), Text(a, "parameter")))]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new DeliveryException($"{layout.Manifest}: not a valid rewrite.json ({e.Message}).", e);
        }
    }

    /// <summary>The DuckDB rendering that computes <paramref name="target"/>'s rows.</summary>
    public string DuckDbFileFor(RewriteTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.DuckDbFile is { } named)
        {
            return Path.Combine(Layout.Folder, Path.GetFileName(named));
        }

        return Targets.Length == 1 ? Layout.DuckDbSql : Layout.DuckDbSqlFor(target.Table);
    }

    /// <summary>Python drivers that remain beside the SQL (a notebook task instead of a SQL task).</summary>
    public ImmutableArray<string> PythonDrivers =>
        Directory.Exists(Layout.Folder) ? [.. Directory.GetFiles(Layout.Folder, "*.py").Order(StringComparer.Ordinal)] : [];

    private static DeliveryException Missing(RewriteLayout layout, string field) => new($"{layout.Manifest}: {field} is missing.");

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Scalar(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static double? Double(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Job} ({Status}, {CurrentHash[..12]})");
}
