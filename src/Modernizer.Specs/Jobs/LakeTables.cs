using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Specs.Jobs;

/// <summary>Where a table the code names lives in the workspace lake: <c>lake/&lt;schema&gt;/&lt;table&gt;/</c>,
/// <c>lake/&lt;catalog&gt;/&lt;schema&gt;/&lt;table&gt;/</c>, or a path reference through <c>lake.mounts</c>.
/// Never a folder outside the workspace, whatever the code names.</summary>
public static class LakeTables
{
    public static string? Find(WorkspacePaths workspace, LakeSettings lake, string table)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(table);
        var root = Path.GetFullPath(Path.Combine(workspace.Root, lake.Root));
        string candidate;
        var mount = lake.Mounts.Where(m => table.StartsWith(m.Key, StringComparison.Ordinal)).OrderByDescending(m => m.Key.Length).FirstOrDefault();
        if (mount.Key is not null)
        {
            candidate = Path.GetFullPath(Path.Combine(workspace.Root, mount.Value, table[mount.Key.Length..].TrimStart('/')));
        }
        else if (table.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }
        else
        {
            var parts = table.Split('.', StringSplitOptions.RemoveEmptyEntries);
            candidate = Path.GetFullPath(Path.Combine([root, .. parts]));
            if (!Directory.Exists(candidate) && parts.Length == 3)
            {
                // A three-part name whose catalog the workspace does not mirror: schema.table.
                candidate = Path.GetFullPath(Path.Combine([root, .. parts[1..]]));
            }
        }

        var inside = candidate.StartsWith(Path.GetFullPath(workspace.Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside && Directory.Exists(candidate) ? candidate : null;
    }
}
