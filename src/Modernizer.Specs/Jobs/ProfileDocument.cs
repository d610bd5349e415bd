using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Domain.Serialization;
using Modernizer.Lake.Profiling;

namespace Modernizer.Specs.Jobs;

/// <summary>One table of the Data Profiler's job profile (<c>jobs/&lt;job&gt;/profile.json</c>, <c>tables[]</c>).</summary>
public sealed record ProfiledTable(string Role, string Name, string Table, long? Version, long Rows, ImmutableArray<ColumnProfile> Columns)
{
    public ColumnProfile? Column(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What the requirements and test engines read from the job profile: per table and column
/// the row count, nulls, distinct values and range. Missing profile: no table, nothing invented.</summary>
public sealed record ProfileDocument(ImmutableArray<ProfiledTable> Tables)
{
    public static ProfileDocument Empty { get; } = new([]);

    public ProfiledTable? Table(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public ColumnProfile? Column(string table, string column) => Table(table)?.Column(column);

    public static async Task<ProfileDocument> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
            var tables = document.RootElement.TryGetProperty("tables", out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Select(ReadTable).ToImmutableArray()
                : [];
            return new ProfileDocument(tables);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a valid job profile ({e.Message}).", e);
        }
    }

    private static ProfiledTable ReadTable(JsonElement table)
    {
        var columns = table.TryGetProperty("columns", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(e => e.Deserialize<ColumnProfile>(JsonDefaults.Artifact)!).ToImmutableArray()
            : [];
        return new ProfiledTable(
            table.GetProperty("role").GetString() ?? "source",
            table.GetProperty("name").GetString() ?? string.Empty,
            table.TryGetProperty("table", out var t) ? t.GetString() ?? string.Empty : string.Empty,
            table.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null,
            table.TryGetProperty("rows", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : 0,
            columns);
    }

    /// <summary>A profile statistic as invariant text (JSON numbers and strings alike).</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value when value.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
