using System.Text.Json;
using Modernizer.Lake.Engines;

namespace Modernizer.Cli.Tests;

/// <summary>A table folder holding only a <c>_delta_log</c> whose adds point outside it (a Parquet
/// file with personal data elsewhere on disk, and /etc/passwd): <c>modernize profile</c> and
/// <c>modernize reconcile</c> refuse it, name the table, the action and the path, and write no
/// profile; with the outside folder given as an allowed root the profile reads it.</summary>
public sealed class HostileTableTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();

    private string Hostile => Path.Combine(_temp.Path, "lake", "hostile");

    private string Passwd => Path.Combine(_temp.Path, "lake", "passwd");

    private string Outside => Path.Combine(_temp.Path, "elsewhere");

    private string Secret => Path.Combine(Outside, "customers.parquet");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Outside);
        await using (var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Outside), CancellationToken.None))
        {
            await engine.ExecuteAsync(
                "COPY (SELECT range AS id, 'person' || range || '@example.com' AS email FROM range(5337)) TO $p (FORMAT parquet)",
                [new QueryParameter("p", Secret)],
                CancellationToken.None);
        }

        WriteLog(Hostile, new Uri(Secret).AbsoluteUri, new FileInfo(Secret).Length);
        WriteLog(Passwd, "../../../../../../../../../../etc/passwd", 1000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Profile_refuses_a_log_pointing_outside_the_table_and_writes_no_profile()
    {
        foreach (var (table, path) in new[] { (Hostile, new Uri(Secret).AbsoluteUri), (Passwd, "../../../../../../../../../../etc/passwd") })
        {
            var json = Path.Combine(_temp.Path, "out", Path.GetFileName(table) + ".json");

            var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "profile", table, "--json", json);

            Assert.Equal(2, exit);
            Assert.Contains($"Table '{table}'", output, StringComparison.Ordinal);
            Assert.Contains($"00000000000000000000.json line 3: add path '{path}'", output, StringComparison.Ordinal);
            Assert.Contains("outside the table folder", output, StringComparison.Ordinal);
            Assert.DoesNotContain("@example.com", output, StringComparison.Ordinal);
            Assert.False(File.Exists(json));
        }
    }

    [Fact]
    public async Task Profile_reads_outside_files_only_under_an_allowed_root()
    {
        var json = Path.Combine(_temp.Path, "out", "clone.json");

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "profile", Hostile, "--json", json, "--allow-root", Outside);

        Assert.Equal(0, exit);
        using var profile = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(5337, profile.RootElement.GetProperty("rows").GetInt64());
        Assert.DoesNotContain("error", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_refuses_a_log_pointing_outside_the_table()
    {
        var json = Path.Combine(_temp.Path, "out", "reconciliation.json");
        var twin = Path.Combine(_temp.Path, "lake", "twin");
        WriteLog(twin, "customers.parquet", new FileInfo(Secret).Length);
        File.Copy(Secret, Path.Combine(twin, "customers.parquet"));

        foreach (var hostile in new[] { Hostile, Passwd })
        {
            var (exit, _) = await CliRunner.RunAsync(CliRunner.Services(), "reconcile", "--baseline", twin, "--candidate", hostile, "--key", "id", "--json", json);

            Assert.Equal(2, exit);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal("error", report.RootElement.GetProperty("status").GetString());
            var error = report.RootElement.GetProperty("error").GetString();
            Assert.Contains($"Cannot read table '{hostile}'", error, StringComparison.Ordinal);
            Assert.Contains("00000000000000000000.json line 3: add path '", error, StringComparison.Ordinal);
            Assert.Contains("outside the table folder", error, StringComparison.Ordinal);
        }
    }

    /// <summary>A Delta log by hand: protocol, a one-column schema, one add.</summary>
    private static void WriteLog(string table, string addPath, long size)
    {
        var log = Path.Combine(table, "_delta_log");
        Directory.CreateDirectory(log);
        var schema = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"email\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
        File.WriteAllLines(Path.Combine(log, "00000000000000000000.json"),
        [
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
            JsonSerializer.Serialize(new { metaData = new { id = "6f1c", format = new { provider = "parquet", options = new { } }, schemaString = schema, partitionColumns = Array.Empty<string>(), configuration = new { }, createdTime = 1700000000000L } }),
            JsonSerializer.Serialize(new { add = new { path = addPath, partitionValues = new { }, size, modificationTime = 1700000000000L, dataChange = true } }),
        ]);
    }

    public void Dispose() => _temp.Dispose();
}
