using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

/// <summary>Column names of lake tables, when known, so <c>SELECT *</c> and open reads expand.</summary>
public interface ISchemaProvider
{
    /// <summary>The columns of <paramref name="table"/> (<c>schema.table</c>), or null when unknown.</summary>
    IReadOnlyList<string>? TryGetColumns(string table);
}

/// <summary>Maps path references (<c>/mnt/lake/raw/orders</c>, <c>dbfs:/mnt/...</c>) to
/// <c>schema.table</c> through lake mounts: each mount is a path prefix whose next two path
/// segments are the schema and the table (three when the mount is a catalog root).</summary>
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
                var rest = normalized[(p.Length + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (rest.Length >= 2)
                {
                    return (rest[0] + "." + rest[1]).ToLowerInvariant();
                }
            }
        }

        return null;
    }
}

internal sealed record FrontendOptions(
    ImmutableDictionary<string, string> Parameters,
    LakeMounts Mounts,
    ISchemaProvider? Schemas,
    ISqlReader SqlReader);
