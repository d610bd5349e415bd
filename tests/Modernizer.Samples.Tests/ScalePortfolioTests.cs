using System.Globalization;

namespace Modernizer.Samples.Tests;

/// <summary>Deliverable 7 at a small size: --jobs/--days shape the catalog, and a share of jobs gets templated code.</summary>
public sealed class ScalePortfolioTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modernizer-scale-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Jobs_and_days_set_the_portfolio_size_and_templated_jobs_get_code()
    {
        var summary = await SampleWorkspaceWriter.WriteAsync(_dir, new SampleOptions { Jobs = 400, Days = 40, CodeShare = 0.1, IncludeLake = false }, null, CancellationToken.None);

        Assert.DoesNotContain(summary.Areas, a => a.Name.StartsWith("lake", StringComparison.Ordinal));
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var jobs = Convert.ToInt64(SampleWorkspaceFixture.Scalar(db, $"SELECT count(DISTINCT job_id) FROM read_parquet('{Path.Combine(_dir, "catalog/lakeflow/jobs.parquet")}')"), CultureInfo.InvariantCulture);
        Assert.Equal(399, jobs);
        var days = Convert.ToInt64(SampleWorkspaceFixture.Scalar(db, $"SELECT count(DISTINCT period_start_time::DATE) FROM read_parquet('{Path.Combine(_dir, "catalog/lakeflow/job_run_timeline.parquet")}')"), CultureInfo.InvariantCulture);
        Assert.InRange(days, 40, 41);

        var folders = Directory.EnumerateDirectories(Path.Combine(_dir, "jobs")).Select(Path.GetFileName).ToList();
        Assert.InRange(folders.Count, 12 + 15, 12 + 70);
        var templated = folders.First(f => !File.ReadAllText(Path.Combine(_dir, "jobs", f!, "job.yaml")).Contains("parameters:\n", StringComparison.Ordinal)
            && File.ReadAllText(Path.Combine(_dir, "jobs", f!, "job.yaml")).Contains("[templated]", StringComparison.Ordinal));
        var code = Directory.EnumerateFiles(Path.Combine(_dir, "jobs", templated!)).Where(f => !f.EndsWith("job.yaml", StringComparison.Ordinal)).Select(File.ReadAllText).Single();
        Assert.Contains($"curated.{templated}__", code, StringComparison.Ordinal);
    }
}
