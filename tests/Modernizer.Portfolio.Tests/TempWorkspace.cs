using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio.Tests;

/// <summary>A throw-away workspace folder the test writes its exports into; deleted on dispose.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "modernizer-portfolio-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Paths = new WorkspacePaths(Root);
    }

    public string Root { get; }

    public WorkspacePaths Paths { get; }

    public TempWorkspace Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return this;
    }

    /// <summary>Writes a Parquet file through DuckDB from a SELECT (the test builds its data in SQL).</summary>
    public async Task<TempWorkspace> WriteParquetAsync(string relativePath, string select)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        await engine.ExecuteAsync($"COPY ({select}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)", null, CancellationToken.None);
        return this;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
