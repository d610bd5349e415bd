using System.Collections.Immutable;
using Modernizer.Code.Plan;

namespace Modernizer.Code.Frontend;

/// <summary>Maps path references (<c>/mnt/lake/raw/orders</c>, <c>dbfs:/mnt/...</c>) to table
/// names through lake mounts: each mount is a path prefix whose next two path segments are the
/// schema and the table (<c>schema.table</c>), or, when there are three or more, the catalog,
/// schema and table (<c>catalog.schema.table</c>). Partition folders and data files below a
/// table are not part of its name.</summary>
public sealed record LakeMounts(ImmutableArray<string> Prefixes)
{
    public static LakeMounts Default { get; } = new(["/mnt/lake", "dbfs:/mnt/lake", "/dbfs/mnt/lake", "lake"]);

    public string? ToTable(string path)
    {
        var normalized = path.Trim().Replace('\\', '/').TrimEnd('/');
        foreach (var prefix in Prefixes.OrderByDescending(p => p.Length))
        {
            var p = prefix.TrimEnd('/');
            if (normalized.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase))
            {
                // Partition folders (date=2024-01-01) and data files are inside the table, not names.
                var rest = normalized[(p.Length + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries)
                    .TakeWhile(s => !s.Contains('=', StringComparison.Ordinal) && !IsDataFile(s))
                    .ToArray();
                if (rest.Length >= 3)
                {
                    return (rest[0] + "." + rest[1] + "." + rest[2]).ToLowerInvariant();
                }

                if (rest.Length == 2)
                {
                    return (rest[0] + "." + rest[1]).ToLowerInvariant();
                }
            }
        }

        return null;
    }

    private static bool IsDataFile(string segment) =>
        segment.StartsWith('_') || Path.GetExtension(segment).ToLowerInvariant() is ".parquet" or ".csv" or ".json" or ".orc" or ".avro" or ".txt" or ".gz" or ".snappy" or ".delta" or ".xml";
}

internal sealed record FrontendOptions(
    ImmutableDictionary<string, string> Parameters,
    LakeMounts Mounts,
    ISchemaProvider? Schemas,
    ISqlReader SqlReader)
{
    /// <summary>Column names of <paramref name="table"/>, or null when unknown.</summary>
    public IReadOnlyList<string>? ColumnsOf(string table) => Schemas.ColumnsOf(table);
}
