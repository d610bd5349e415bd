using System.Collections.Immutable;
using Modernizer.Code.Plan;

namespace Modernizer.Code.Frontend;

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
    ISqlReader SqlReader)
{
    /// <summary>Column names of <paramref name="table"/>, or null when unknown.</summary>
    public IReadOnlyList<string>? ColumnsOf(string table) => Schemas.ColumnsOf(table);
}
