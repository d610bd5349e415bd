using System.Globalization;
using System.Text.Json;

namespace Modernizer.Specs.Jobs;

/// <summary>What the catalog says about a job's service level: its deadline (<c>finops/slas.csv</c>) and its
/// schedule and observed runtime (the Portfolio Scanner's <c>portfolio/inventory.json</c>). Unknown stays null.</summary>
public sealed record CatalogFacts(
    string? Deadline,
    string? Timezone,
    string? SlaSource,
    string? Schedule,
    double? AvgRuntimeSeconds,
    long? Runs,
    double? FailureRate,
    string? InventorySource)
{
    public static CatalogFacts Unknown { get; } = new(null, null, null, null, null, null, null, null);

    public static async Task<CatalogFacts> ReadAsync(string workspaceRoot, string inventoryJson, string job, CancellationToken cancellationToken)
    {
        var facts = Unknown;
        var slas = Path.Combine(workspaceRoot, "finops", "slas.csv");
        if (File.Exists(slas))
        {
            var lines = await File.ReadAllLinesAsync(slas, cancellationToken);
            var header = lines.Length > 0 ? Csv.Split(lines[0]) : [];
            int Index(string name) => Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            var (jobIndex, deadlineIndex, zoneIndex) = (Index("job_id"), Index("deadline"), Index("timezone"));
            for (var i = 1; i < lines.Length && jobIndex >= 0; i++)
            {
                var cells = Csv.Split(lines[i]);
                if (cells.Length > jobIndex && string.Equals(cells[jobIndex].Trim(), job, StringComparison.Ordinal))
                {
                    facts = facts with
                    {
                        Deadline = deadlineIndex >= 0 && cells.Length > deadlineIndex ? cells[deadlineIndex].Trim() : null,
                        Timezone = zoneIndex >= 0 && cells.Length > zoneIndex ? cells[zoneIndex].Trim() : null,
                        SlaSource = string.Create(CultureInfo.InvariantCulture, $"finops/slas.csv:{i + 1}"),
                    };
                    break;
                }
            }
        }

        if (File.Exists(inventoryJson))
        {
            try
            {
                using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(inventoryJson, cancellationToken));
                if (document.RootElement.TryGetProperty("jobs", out var jobs) && jobs.ValueKind == JsonValueKind.Array)
                {
                    foreach (var entry in jobs.EnumerateArray())
                    {
                        if (entry.TryGetProperty("job_id", out var id) && string.Equals(id.GetString(), job, StringComparison.Ordinal))
                        {
                            facts = facts with
                            {
                                Schedule = entry.TryGetProperty("schedule", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
                                AvgRuntimeSeconds = entry.TryGetProperty("avg_runtime_s", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null,
                                Runs = entry.TryGetProperty("runs", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null,
                                FailureRate = entry.TryGetProperty("failure_rate", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : null,
                                InventorySource = "portfolio/inventory.json#" + job,
                            };
                            break;
                        }
                    }
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{inventoryJson}: not a valid inventory ({e.Message}).", e);
            }
        }

        return facts;
    }
}

/// <summary>RFC 4180 field splitting for the small catalog files (quotes, doubled quotes).</summary>
internal static class Csv
{
    public static string[] Split(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        cells.Add(current.ToString());
        return [.. cells];
    }
}
