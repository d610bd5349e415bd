using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery;

/// <summary>Where a table named <c>schema.table</c> (or <c>catalog.schema.table</c>) lives in the
/// workspace lake: <c>lake/&lt;schema&gt;/&lt;table&gt;/</c>. Never outside the workspace.</summary>
public static class LakeTables
{
    public static string? Find(WorkspacePaths workspace, LakeSettings lake, string table)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(table);
        var parts = table.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 3 || parts.Any(p => p is "." or ".." || p.Contains('/', StringComparison.Ordinal) || p.Contains('\\', StringComparison.Ordinal)))
        {
            return null;
        }

        var root = Path.GetFullPath(Path.Combine(workspace.Root, lake.Root));
        var candidate = Path.GetFullPath(Path.Combine([root, .. parts]));
        return candidate.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Directory.Exists(candidate) ? candidate : null;
    }
}
