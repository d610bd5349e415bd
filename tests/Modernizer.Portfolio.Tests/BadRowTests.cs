using System.Text;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio.Tests;

/// <summary>R1.1 on broken exports: every row that is left out is reported with its file and line,
/// counted once per line (so each file's rows_bad adds up to bad_row_count), a repeated job id is
/// reported rather than silently overwritten, and one huge line is a bad row, not a failed tier 1.</summary>
public sealed class BadRowTests
{
    private static async Task<Tier1Result> RunAsync(TempWorkspace ws)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        return await Tier1.RunAsync(ws.Paths, engine, PortfolioOptions.Default, CancellationToken.None);
    }

    [Fact]
    public async Task A_line_with_many_problems_counts_once_and_the_file_counts_agree_with_the_total()
    {
        using var ws = new TempWorkspace()
            .Write("catalog/jobs.csv", "job_id,name,schedule,owner,tags,code_path,last_modified\norders,Orders,0 2 * * *,a,,,2024-01-15\n")
            .Write("catalog/runs.csv", """
                job_id,run_id,start_time,end_time,status,rows_read,rows_written,bytes_read,bytes_written
                orders,r1,2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,SUCCESS,1,1,1,1
                orders,r2,yesterday,later,SUCCESS,many,few,some,none
                orders,r3,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,SUCCESS,1,1,1,1,extra,columns
                orders,r4,2026-03-03T09:00:00Z,2026-03-03T10:00:00Z,SUCCESS,lots,1,1,1
                """);

        var ingestion = (await RunAsync(ws)).Scan.Inventory.Ingestion;

        var runs = Assert.Single(ingestion.Files, f => f.File == "catalog/runs.csv");
        Assert.Equal(1, runs.RowsKept);
        Assert.Equal(3, runs.RowsBad);
        Assert.Equal(ingestion.Files.Sum(f => f.RowsBad), ingestion.BadRowCount);
        Assert.Equal(3, ingestion.BadRowCount);
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/runs.csv" && b.Line == 3 && b.Problem.Contains("start_time", StringComparison.Ordinal));
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/runs.csv" && b.Line == 4 && b.Problem.Contains("columns", StringComparison.OrdinalIgnoreCase));
        // The line after a rejected one keeps its own number (the reader does not return the rejected line).
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/runs.csv" && b.Line == 5 && b.Problem.Contains("rows_read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_job_id_is_reported_and_the_first_row_is_kept()
    {
        using var ws = new TempWorkspace().Write("catalog/jobs.csv", """
            job_id,name,schedule,owner,tags,code_path,last_modified
            orders,Orders first,0 2 * * *,a,,,2024-01-15
            billing,Billing,0 3 * * *,b,,,2024-01-15
            orders,Orders again,0 4 * * *,c,,,2025-01-15
            """);

        var result = await RunAsync(ws);

        var ingestion = result.Scan.Inventory.Ingestion;
        var duplicate = Assert.Single(ingestion.BadRows);
        Assert.Equal(("catalog/jobs.csv", 4L), (duplicate.File, duplicate.Line));
        Assert.Contains("duplicate job_id 'orders': the row at catalog/jobs.csv:2 came first", duplicate.Problem, StringComparison.Ordinal);
        var jobs = Assert.Single(ingestion.Files);
        Assert.Equal((2L, 1L), (jobs.RowsKept, jobs.RowsBad));
        Assert.Equal("Orders first", Assert.Single(result.Scan.Inventory.Jobs, j => j.JobId == "orders").Name);
    }

    [Fact]
    public async Task One_fifty_megabyte_line_is_a_bad_row_with_its_file_and_line_and_the_rest_is_read()
    {
        using var ws = new TempWorkspace();
        var path = Path.Combine(ws.Root, "catalog", "jobs.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync("job_id,name,schedule,owner,tags,code_path,last_modified\norders,Orders,0 2 * * *,a,,,2024-01-15\nhuge,");
            var chunk = new string('x', 1 << 20);
            for (var i = 0; i < 50; i++)
            {
                await writer.WriteAsync(chunk);
            }

            await writer.WriteAsync(",0 2 * * *,a,,,2024-01-15\nbilling,Billing,0 3 * * *,b,,,2024-01-15\nbroken,\"never closed\n");
        }

        var result = await RunAsync(ws);

        var ingestion = result.Scan.Inventory.Ingestion;
        Assert.Equal(["billing", "orders"], result.Scan.Inventory.Jobs.Select(j => j.JobId).Order(StringComparer.Ordinal).ToArray());
        var huge = Assert.Single(ingestion.BadRows, b => b.Line == 3);
        Assert.Equal("catalog/jobs.csv", huge.File);
        Assert.Contains("bytes long", huge.Problem, StringComparison.Ordinal);
        Assert.Contains(ingestion.BadRows, b => b.File == "catalog/jobs.csv" && b.Line == 5 && b.Problem.Contains("quote", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(ingestion.Files.Sum(f => f.RowsBad), ingestion.BadRowCount);
        Assert.Equal(2, ingestion.BadRowCount);
    }

    [Fact]
    public async Task Rows_after_a_dropped_huge_line_keep_their_line_numbers()
    {
        using var ws = new TempWorkspace();
        var path = Path.Combine(ws.Root, "catalog", "jobs.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync("job_id,name,schedule,owner,tags,code_path,last_modified\nhuge,");
            await writer.WriteAsync(new string('x', 40 << 20));
            await writer.WriteAsync(",0 2 * * *,a,,,2024-01-15\norders,Orders,0 2 * * *,a,,,2024-01-15\norders,Again,0 2 * * *,a,,,2024-01-15\nlate,Late,0 2 * * *,a,,,someday\n");
        }

        var ingestion = (await RunAsync(ws)).Scan.Inventory.Ingestion;

        Assert.Equal([2L, 4L, 5L], ingestion.BadRows.Select(b => b.Line ?? 0).Order().ToArray());
        Assert.Contains(ingestion.BadRows, b => b.Line == 4 && b.Problem.Contains("the row at catalog/jobs.csv:3 came first", StringComparison.Ordinal));
        Assert.Contains(ingestion.BadRows, b => b.Line == 5 && b.Problem.Contains("last_modified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_line_longer_than_the_reader_allows_in_a_small_file_is_a_bad_row_too()
    {
        var huge = new string('y', 3 << 20);
        using var ws = new TempWorkspace().Write("catalog/jobs.csv",
            $"job_id,name,schedule,owner,tags,code_path,last_modified\nbig,{huge},0 2 * * *,a,,,2024-01-15\norders,Orders,0 2 * * *,a,,,2024-01-15\n");

        var ingestion = (await RunAsync(ws)).Scan.Inventory.Ingestion;

        var bad = Assert.Single(ingestion.BadRows);
        Assert.Equal(("catalog/jobs.csv", 2L), (bad.File, bad.Line));
        Assert.Equal(1, Assert.Single(ingestion.Files).RowsBad);
        Assert.Equal(1, Assert.Single(ingestion.Files).RowsKept);
    }
}
