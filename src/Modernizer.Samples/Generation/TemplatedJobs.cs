using System.Globalization;
using System.Text;
using Modernizer.Domain.Serialization;

namespace Modernizer.Samples.Generation;

/// <summary>Gives code to the share of catalog-only jobs the catalog script marked as templated:
/// each gets jobs/&lt;name&gt;/ with the files of one of the twelve coded jobs, its curated targets
/// renamed after the job, and a job.yaml linking it to its Lakeflow row.</summary>
internal static class TemplatedJobs
{
    private static readonly string[] Templates =
    [
        "orders_daily_revenue", "customer_360", "product_sales_rank", "customer_dim_scd2", "store_inventory_report", "web_sessions_daily",
        "orders_incremental_merge", "payments_reconciliation", "orders_usd_normalized", "customer_ltv_running", "marketing_segments", "inventory_reorder",
    ];

    public static async Task<int> WriteAsync(SampleDb db, string workspace, CancellationToken cancellationToken)
    {
        var jobs = await db.RowsAsync(
            "SELECT job_id, name, owner, cadence, start_hour, start_minute FROM all_jobs WHERE templated ORDER BY job_id", cancellationToken);
        var resources = EmbeddedSample.ResourcePaths();
        foreach (var row in jobs)
        {
            var jobId = Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
            var name = (string)row[1]!;
            var template = Templates[jobId % Templates.Length];
            foreach (var path in resources.Where(p => p.StartsWith($"jobs/{template}/", StringComparison.Ordinal) && !p.EndsWith("/job.yaml", StringComparison.Ordinal)))
            {
                var text = Encoding.UTF8.GetString(EmbeddedSample.Read(path))
                    .Replace("curated.", $"curated.{name}__", StringComparison.Ordinal)
                    .Replace(template, name, StringComparison.Ordinal);
                var target = Path.Combine(workspace, "jobs", name, path[$"jobs/{template}/".Length..]);
                await AtomicFile.WriteAllTextAsync(target, text, cancellationToken);
            }

            await AtomicFile.WriteAllTextAsync(Path.Combine(workspace, "jobs", name, "job.yaml"), JobYaml(jobId, name, row), cancellationToken);
        }

        return jobs.Count;
    }

    private static string JobYaml(long jobId, string name, object?[] row)
    {
        var cadence = (string)row[3]!;
        var hour = Convert.ToInt32(row[4], CultureInfo.InvariantCulture);
        var minute = Convert.ToInt32(row[5], CultureInfo.InvariantCulture);
        var schedule = cadence switch
        {
            "weekly" => $"0 {minute} {hour} ? * MON",
            "hourly" => $"0 {minute} * * * ?",
            _ => $"0 {minute} {hour} * * ?",
        };
        return string.Create(CultureInfo.InvariantCulture, $"""
            name: {name}
            schedule: "{schedule}"
            owner: {row[2]}
            tags: [templated]
            parameters: {"{}"}
            target_framework: spark_sql
            catalog:
              source: lakeflow
              workspace_id: "1234567890123456"
              job_id: "{jobId}"

            """);
    }
}
