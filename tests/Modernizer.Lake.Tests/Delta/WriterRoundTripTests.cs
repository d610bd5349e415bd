using System.Collections.Immutable;
using System.Globalization;
using DuckDB.NET.Data;
using Modernizer.Lake.Delta.Writing;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>Issue item 1: tables written by the project's own Delta writer read back at every version.</summary>
public sealed class WriterRoundTripTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Versions_partitions_and_checkpoints_from_the_writer_read_back()
    {
        var table = _temp.Combine("sales");
        await using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            await connection.OpenAsync();
            var writer = new DeltaTableWriter(connection);
            var options = new DeltaCommitOptions("sales", T0) { PartitionColumns = ["region"] };
            await writer.WriteAsync(table, "SELECT range AS id, CASE WHEN range % 2 = 0 THEN 'north' ELSE 'south' END AS region, (range * 1.5)::DECIMAL(10,2) AS amount FROM range(10)", DeltaWriteMode.Create, options, CancellationToken.None);
            await writer.WriteAsync(table, "SELECT 100 + range AS id, 'east' AS region, 2.00::DECIMAL(10,2) AS amount FROM range(3)", DeltaWriteMode.Append, options with { CommitTime = T0.AddHours(1) }, CancellationToken.None);
            await writer.WriteCheckpointAsync(table, CancellationToken.None);
            await writer.WriteAsync(table, "SELECT 7 AS id, 'west' AS region, 9.99::DECIMAL(10,2) AS amount", DeltaWriteMode.Overwrite, options with { CommitTime = T0.AddHours(2) }, CancellationToken.None);
        }

        var v0 = await LakeTable.OpenAsync(table, TableVersionSpec.AtVersion(0), CancellationToken.None);
        var v1 = await LakeTable.OpenAsync(table, TableVersionSpec.AtVersion(1), CancellationToken.None);
        var latest = await LakeTable.OpenAsync(table, null, CancellationToken.None);

        Assert.Equal(["region"], v0.PartitionColumns.ToArray());
        Assert.Equal((10L, 67.5m), await SummaryAsync(v0));
        Assert.Equal((13L, 73.5m), await SummaryAsync(v1));
        Assert.Equal(2, latest.Version);
        Assert.Equal((1L, 9.99m), await SummaryAsync(latest));
        Assert.Empty(latest.Warnings);
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(table, "_delta_log")), f => f.EndsWith(".checkpoint.parquet", StringComparison.Ordinal));
    }

    private static async Task<(long Rows, decimal Amount)> SummaryAsync(TableSnapshot snapshot)
    {
        await using var engine = await DeltaReaderTests.EngineFor(snapshot);
        var result = await engine.QueryAsync($"SELECT count(*), sum(amount) FROM {DuckDbRelation.Render(snapshot)}", null, CancellationToken.None);
        return (Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture), Convert.ToDecimal(result.Rows[0][1] ?? 0m, CultureInfo.InvariantCulture));
    }

    public void Dispose() => _temp.Dispose();
}
