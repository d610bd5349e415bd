using System.Text.Json;
using DuckDB.NET.Data;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Tables;

namespace Modernizer.Agents.Tests;

/// <summary>The Data Profiler stage opens lake tables through the same path check as the standalone
/// commands: a lake table whose Delta log points outside its folder (at another file with personal
/// data, or at /etc/passwd) fails the stage with the table and the path named, and no profile is
/// written.</summary>
public sealed class ProfileStageHostileTableTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly WorkspacePaths _workspace;
    private readonly JobId _job = new("orders_daily");
    private readonly AgentTelemetry _telemetry = new();
    private readonly AgentServices _services;

    public ProfileStageHostileTableTests()
    {
        _workspace = new WorkspacePaths(_dir.Path);
        _services = AgentServices.Create(ModernizeSettings.Default, _telemetry, _ => null);
    }

    [Theory]
    [InlineData("outside-parquet")]
    [InlineData("etc-passwd")]
    public async Task A_lake_table_whose_log_leaves_its_folder_fails_the_stage_and_writes_no_profile(string kind)
    {
        var secret = _dir.Combine("elsewhere", "customers.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(secret)!);
        await using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT range AS order_id, 'person' || range || '@example.com' AS email FROM range(100)) TO '{secret}' (FORMAT parquet)";
            await command.ExecuteNonQueryAsync();
        }

        var path = kind == "etc-passwd" ? "/etc/passwd" : "file://" + secret;
        WriteLog(_dir.Combine("lake", "raw", "orders"), path);
        WriteLog(_dir.Combine("lake", "curated", "daily"), path);
        WriteAnalysis();

        var error = await Assert.ThrowsAsync<LakeTableException>(() =>
            new StageWorkCatalog(_services).Create(RoleId.DataProfiler).RunAsync(new StageContext(_workspace, _job, ModernizeSettings.Default, 1), CancellationToken.None));

        Assert.Equal(_dir.Combine("lake", "raw", "orders"), error.TablePath);
        Assert.Contains($"add path '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the table folder", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace.JobOutput(_job), "profile.json")));
    }

    private static void WriteLog(string table, string addPath)
    {
        var log = Path.Combine(table, "_delta_log");
        Directory.CreateDirectory(log);
        var schema = "{\"type\":\"struct\",\"fields\":[{\"name\":\"order_id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"email\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
        File.WriteAllLines(Path.Combine(log, "00000000000000000000.json"),
        [
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
            JsonSerializer.Serialize(new { metaData = new { id = "6f1c", format = new { provider = "parquet", options = new { } }, schemaString = schema, partitionColumns = Array.Empty<string>(), configuration = new { } } }),
            JsonSerializer.Serialize(new { add = new { path = addPath, partitionValues = new { }, size = 100L, modificationTime = 1700000000000L, dataChange = true } }),
        ]);
    }

    private void WriteAnalysis()
    {
        var output = _workspace.JobOutput(_job);
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "analysis.json"), """
            {"job_id":"orders_daily","sources":["raw.orders"],"targets":["curated.daily"],
             "column_lineage":{},"transformations":[],"anti_patterns":[],"suspected_defects":[],"assumptions":[]}
            """);
    }

    public void Dispose()
    {
        _services.Dispose();
        _telemetry.Dispose();
        _dir.Dispose();
    }
}
