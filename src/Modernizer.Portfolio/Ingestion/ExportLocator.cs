namespace Modernizer.Portfolio.Ingestion;

/// <summary>Finds an export by its base name: <c>base.parquet</c>, <c>base.csv</c>, <c>base.jsonl</c>
/// (or <c>.json</c>, newline-delimited), or a folder <c>base/</c> of such files (docs/sample.md).</summary>
internal static class ExportLocator
{
    private static readonly (string Extension, ExportFormat Format)[] Extensions =
    [
        (".parquet", ExportFormat.Parquet),
        (".csv", ExportFormat.Csv),
        (".jsonl", ExportFormat.Jsonl),
        (".ndjson", ExportFormat.Jsonl),
        (".json", ExportFormat.Jsonl),
    ];

    public static IReadOnlyList<ExportFile> Locate(string workspaceRoot, string relativeBase)
    {
        var basePath = Path.Combine(workspaceRoot, relativeBase.Replace('/', Path.DirectorySeparatorChar));
        var found = new List<ExportFile>();
        foreach (var (extension, format) in Extensions)
        {
            if (File.Exists(basePath + extension))
            {
                found.Add(Create(workspaceRoot, basePath + extension, format));
            }
        }

        if (Directory.Exists(basePath))
        {
            foreach (var file in Directory.EnumerateFiles(basePath).Order(StringComparer.Ordinal))
            {
                var match = Extensions.FirstOrDefault(e => file.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase));
                if (match.Extension is not null)
                {
                    found.Add(Create(workspaceRoot, file, match.Format));
                }
            }
        }

        return found;
    }

    public static ExportFormat? FormatOf(string path) =>
        Extensions.FirstOrDefault(e => path.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase)) is { Extension: not null } m ? m.Format : null;

    private static ExportFile Create(string root, string fullPath, ExportFormat format) =>
        new(fullPath, Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/'), format);
}
