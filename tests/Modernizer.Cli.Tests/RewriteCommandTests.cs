using System.Text.Json;
using DuckDB.NET.Data;

namespace Modernizer.Cli.Tests;

/// <summary><c>modernize rewrite</c>: exit 0 when the rewrite is delivered and reconciled exactly, 1 when it
/// is not (with the reason), 2 on error.</summary>
public sealed class RewriteCommandTests
{
    private const string Job = "INSERT OVERWRITE TABLE curated.doubled\nSELECT id, amount * 2 AS doubled FROM raw.amounts WHERE amount IS NOT NULL;\n";

    [Fact]
    public async Task A_rewrite_that_reconciles_exactly_exits_0_and_reports_as_json()
    {
        using var folder = new TempFolder();
        await WorkspaceAsync(folder.Path, "SELECT id, amount * 2 AS doubled FROM src WHERE amount IS NOT NULL");
        var json = Path.Combine(folder.Path, "rewrite-result.json");

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "rewrite", "--workspace", folder.Path, "--job", "doubler", "--json", json);

        Assert.True(exit == 0, output);
        Assert.Contains("validated doubler", output, StringComparison.Ordinal);
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("validated", result.RootElement.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(folder.Path, ".modernize", "jobs", "doubler", "rewrite", "doubler.sql")));
    }

    [Fact]
    public async Task A_legacy_output_the_rewrite_does_not_reproduce_exits_1_with_the_reason()
    {
        using var folder = new TempFolder();
        await WorkspaceAsync(folder.Path, "SELECT id, amount * 3 AS doubled FROM src WHERE amount IS NOT NULL");

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "rewrite", "--workspace", folder.Path, "--job", "doubler");

        Assert.True(exit == 1, output);
        Assert.Contains("escalated doubler: no interpretation reconciled exactly", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_job_option_or_workspace_exits_2()
    {
        using var folder = new TempFolder();
        Assert.Equal(2, (await CliRunner.RunAsync(CliRunner.Services(), "rewrite", "--workspace", folder.Path)).Exit);
        Assert.Equal(2, (await CliRunner.RunAsync(CliRunner.Services(), "rewrite", "--workspace", Path.Combine(folder.Path, "none"), "--job", "x")).Exit);
    }

    /// <summary>Test data only: the input and the legacy output as Parquet tables written by DuckDB.</summary>
    private static async Task WorkspaceAsync(string root, string legacy)
    {
        Directory.CreateDirectory(Path.Combine(root, "jobs", "doubler"));
        await File.WriteAllTextAsync(Path.Combine(root, "jobs", "doubler", "main.sql"), Job);
        foreach (var table in new[] { "raw/amounts", "curated/doubled" })
        {
            Directory.CreateDirectory(Path.Combine(root, "lake", table));
        }

        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var lake = Path.Combine(root, "lake").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"""
            CREATE TABLE src AS SELECT CAST(i AS BIGINT) AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE CAST(i AS DECIMAL(10,2)) / 4 END AS amount FROM range(40) t(i);
            COPY src TO '{lake}/raw/amounts/part-0.parquet' (FORMAT parquet);
            COPY ({legacy}) TO '{lake}/curated/doubled/part-0.parquet' (FORMAT parquet);
            """;
        await command.ExecuteNonQueryAsync();
    }
}
