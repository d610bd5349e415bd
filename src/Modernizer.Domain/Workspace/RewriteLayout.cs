using System.Security.Cryptography;
using System.Text;

namespace Modernizer.Domain.Workspace;

/// <summary>The files of a job's rewrite (<c>.modernize/jobs/&lt;job&gt;/rewrite/</c>) and the hash that
/// identifies one version of it. The Code Writer writes them, the test runner and the reconciler run
/// them, and the Deployment Agent refuses to promote a rewrite whose hash differs from the one that
/// was reconciled (R5.1, X4). Job ids and table names come from data: they are escaped into single
/// names (<see cref="SafeFolderName"/>) and every path is checked to stay in the folder.</summary>
public sealed record RewriteLayout(string Folder, string JobFileStem)
{
    public static RewriteLayout For(WorkspacePaths workspace, JobId job)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return new RewriteLayout(WorkspacePaths.Under(workspace.JobOutput(job), "rewrite"), WorkspacePaths.JobFolder(job));
    }

    /// <summary>The deliverable: Databricks Spark SQL with named parameter markers.</summary>
    public string SparkSql => Path.Combine(Folder, JobFileStem + ".sql");

    /// <summary>The DuckDB rendering of a job with one target.</summary>
    public string DuckDbSql => Path.Combine(Folder, JobFileStem + ".duckdb.sql");

    /// <summary>The DuckDB rendering for one target of a job with several (<c>&lt;job&gt;.&lt;schema&gt;.&lt;table&gt;.duckdb.sql</c>).</summary>
    public string DuckDbSqlFor(string table) => WorkspacePaths.Under(Folder, $"{JobFileStem}.{SafeFolderName.Escape(table)}.duckdb.sql");

    public string Manifest => Path.Combine(Folder, "rewrite.json");

    public string Review => Path.Combine(Folder, "rewrite.md");

    /// <summary>The candidate's output of one target from the parallel run, as Parquet.</summary>
    public string OutputOf(string table) => WorkspacePaths.Under(Folder, "output", SafeFolderName.Escape(table));

    /// <summary>SHA-256 (hex) over every <c>*.sql</c> file of the rewrite, by file name in ordinal
    /// order: name, a zero byte, content, a zero byte. Any edit to any rendering changes it.</summary>
    public static string Hash(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.sql", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            hash.AppendData([0]);
            hash.AppendData(File.ReadAllBytes(file));
            hash.AppendData([0]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
