using DuckDB.NET.Data;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Samples.Legacy;

namespace Modernizer.Specs.Tests.Support;

/// <summary>A small workspace built for the tests: one PySpark job (shop_usd: a filter on status, a boundary
/// filter on qty, a left join to a rate table with a missing and a duplicated key, a rounded product), its lake
/// as Parquet tables, a legacy runner (a reference program following the legacy/ protocol), and the legacy
/// output that runner produced on the whole lake.</summary>
public sealed class MiniShop : IAsyncLifetime
{
    public const string JobName = "shop_usd";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "modernizer-specs-" + Guid.NewGuid().ToString("N"));

    public WorkspacePaths Workspace => new(Root);

    public JobId Job { get; } = new(JobName);

    public ModernizeSettings Settings { get; } = ModernizeSettings.Default;

    public string Tests => Path.Combine(Workspace.JobOutput(Job), "tests");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public async Task InitializeAsync()
    {
        var job = Path.Combine(Root, "jobs", JobName);
        Directory.CreateDirectory(job);
        File.Copy(Fixture("shop_usd/main.py"), Path.Combine(job, "main.py"));
        File.Copy(Fixture("shop_usd/job.yaml"), Path.Combine(job, "job.yaml"));
        var paid = Path.Combine(Root, "jobs", "shop_paid");
        Directory.CreateDirectory(paid);
        await File.WriteAllTextAsync(Path.Combine(paid, "main.py"), """
            # shop_paid
            # Paid orders, as they are, for the finance export.
            from pyspark.sql import SparkSession
            from pyspark.sql import functions as F

            spark = SparkSession.builder.appName("shop_paid").getOrCreate()
            paid = spark.table("raw.orders").filter(F.col("status") == "PAID").select("order_id", "day", "currency", "amount")
            paid.write.mode("overwrite").format("delta").saveAsTable("curated.paid_orders")
            """);
        Directory.CreateDirectory(Path.Combine(Root, "legacy"));
        File.Copy(Fixture("shop_legacy_run.py"), Path.Combine(Root, "legacy", "run.py"));
        await WriteTableAsync("raw/orders", """
            SELECT CAST(i AS BIGINT) AS order_id,
                   DATE '2026-10-01' + CAST(i % 5 AS INTEGER) AS "day",
                   ['USD', 'EUR', 'GBP'][i % 3 + 1] AS currency,
                   CASE WHEN i % 11 = 0 THEN NULL WHEN i % 7 = 0 THEN 'CANCELLED' ELSE 'PAID' END AS status,
                   CAST(CASE WHEN i % 13 = 0 THEN NULL WHEN i % 6 = 0 THEN 1 ELSE 2 + i % 3 END AS INTEGER) AS qty,
                   CAST(i * 1.25 AS DECIMAL(10,2)) AS amount
            FROM range(1, 41) t(i)
            """);
        await WriteTableAsync("raw/rates", """
            SELECT d AS rate_day, c AS currency,
                   CAST(CASE c WHEN 'USD' THEN 1 WHEN 'EUR' THEN 1.1 ELSE 1.3 END AS DECIMAL(10,4)) AS rate, 'ECB' AS source
            FROM (SELECT DATE '2026-10-01' + CAST(n AS INTEGER) AS d FROM range(0, 5) t(n)) days, (SELECT unnest(['USD', 'EUR', 'GBP']) AS c) currencies
            WHERE NOT (c = 'GBP' AND d = DATE '2026-10-03')
            UNION ALL SELECT DATE '2026-10-02', 'EUR', CAST(1.2 AS DECIMAL(10,4)), 'MANUAL'
            """);
        await WriteTableAsync("curated/paid_orders", $"SELECT order_id, \"day\", currency, amount FROM read_parquet('{Path.Combine(Root, "lake/raw/orders/part-00000.parquet")}') WHERE status = 'PAID'");
        var work = Path.Combine(Root, ".legacy-run");
        var run = await LegacyRunner.ForWorkspace(Root).RunAsync(JobName,
            new Dictionary<string, string> { ["raw.orders"] = Path.Combine(Root, "lake/raw/orders"), ["raw.rates"] = Path.Combine(Root, "lake/raw/rates") },
            new Dictionary<string, string?>(), work, CancellationToken.None);
        var curated = Path.Combine(Root, "lake/curated/orders_usd");
        Directory.CreateDirectory(curated);
        File.Copy(Path.Combine(run.Outputs["curated.orders_usd"], "part-00000.parquet"), Path.Combine(curated, "part-00000.parquet"));
        Directory.Delete(work, recursive: true);
    }

    /// <summary>Installs a rewrite folder (DuckDB rendering, optionally edited) as the Code Writer would leave it.</summary>
    public void InstallRewrite(Func<string, string>? edit = null)
    {
        var layout = RewriteLayout.For(Workspace, Job);
        Directory.CreateDirectory(layout.Folder);
        var sql = File.ReadAllText(Fixture("shop_usd.duckdb.sql"));
        File.WriteAllText(layout.DuckDbSql, edit is null ? sql : edit(sql));
        File.WriteAllText(layout.Manifest, """{"job_id":"shop_usd","status":"validated","parameters":[]}""");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task WriteTableAsync(string relative, string select)
    {
        var folder = Path.Combine(Root, "lake", relative);
        Directory.CreateDirectory(folder);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{Path.Combine(folder, "part-00000.parquet")}' (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
    }
}
