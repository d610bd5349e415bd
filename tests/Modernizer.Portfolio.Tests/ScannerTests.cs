using Modernizer.Domain.Decisions;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Tests;

/// <summary>R1.1: the inventory from the simple catalog form.</summary>
public sealed class ScannerTests
{
    private static async Task<ScanResult> ScanAsync(TempWorkspace ws, PortfolioOptions? options = null)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);
        return await new PortfolioScanner(engine, options ?? PortfolioOptions.Default).ScanAsync(ws.Paths, CancellationToken.None);
    }

    [Fact]
    public async Task Simple_form_gives_runs_runtime_and_failure_rate()
    {
        using var ws = new TempWorkspace()
            .Write("catalog/jobs.csv", """
                job_id,name,schedule,owner,tags,code_path,last_modified
                orders_daily,Orders daily,0 2 * * *,team-a,finance;SOX,jobs/orders_daily,2025-01-15
                """)
            .Write("catalog/runs.csv", """
                job_id,run_id,start_time,end_time,status,rows_read,rows_written,bytes_read,bytes_written
                orders_daily,1,2026-01-01T02:00:00+00:00,2026-01-01T02:10:00+00:00,SUCCESS,100,50,1000,500
                orders_daily,2,2026-01-02T02:00:00+00:00,2026-01-02T02:20:00+00:00,FAILED,100,0,1000,0
                orders_daily,3,2026-01-03T02:00:00Z,2026-01-03T02:30:00Z,SUCCESS,100,50,1000,500
                orders_daily,4,2026-01-04T03:00:00+01:00,2026-01-04T02:40:00+00:00,SUCCESS,100,50,1000,500
                """);

        var result = await ScanAsync(ws);

        var job = Assert.Single(result.Inventory.Jobs);
        Assert.Equal("Orders daily", job.Name);
        Assert.Equal("0 2 * * *", job.Schedule);
        Assert.Equal("daily", job.ScheduleFrequency);
        Assert.Equal(4, job.Runs);
        Assert.Equal(1500, job.AvgRuntimeS); // 10, 20, 30 and 40 minutes (the last start is 02:00 UTC)
        Assert.Equal(0.25, job.FailureRate);
        Assert.Equal(["finance", "SOX"], job.Tags.ToArray());
        Assert.Equal(137.5, job.DataVolumeRows); // rows read + written, averaged per run
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero), job.LastModified);
        Assert.InRange(job.HealthScore, 1, 10);
        Assert.Equal(5, job.HealthComponents.Length);
        Assert.Empty(result.Escalations);
    }
}
