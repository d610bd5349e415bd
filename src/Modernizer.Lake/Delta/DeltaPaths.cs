using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta;

/// <summary>Paths in the log are URI-encoded, relative to the table or absolute URIs.</summary>
internal static class DeltaPaths
{
    public static string ToLocalPath(string tablePath, string logPath)
    {
        if (logPath.Contains("://", StringComparison.Ordinal) || logPath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(logPath, UriKind.Absolute, out var uri))
            {
                throw new LakeTableException(tablePath, $"path '{logPath}' in the log is not a valid URI");
            }

            if (!uri.IsFile)
            {
                throw new LakeTableException(tablePath, $"path '{logPath}' is on '{uri.Scheme}' storage; only local files are read (run remote tables on the Databricks engine)");
            }

            return Path.GetFullPath(uri.LocalPath);
        }

        return Path.GetFullPath(Path.Combine(tablePath, Uri.UnescapeDataString(logPath)));
    }
}
