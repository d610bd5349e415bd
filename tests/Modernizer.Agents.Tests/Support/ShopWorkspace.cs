using DuckDB.NET.Data;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain.Workspace;
using Modernizer.Samples.Legacy;

namespace Modernizer.Agents.Tests.Support;

/// <summary>A small workspace for the specification and test stages: the shop_usd job with its legacy runner and
/// lake (the same as the Specs tests use), and shop_fx, a SOX job that converts amounts through a dict built from a
/// rate table holding two different rates for one key.</summary>
internal static class ShopWorkspace
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static async Task<WorkspacePaths> CreateAsync(TestDirectory directory)
    {
        var root = directory.Path;
        var usd = Path.Combine(root, "jobs", "shop_usd");
        Directory.CreateDirectory(usd);
        File.Copy(Fixture("shop_usd/main.py"), Path.Combine(usd, "main.py"));
        File.Copy(Fixture("shop_usd/job.yaml"), Path.Combine(usd, "job.yaml"));
        var fx = Path.Combine(root, "jobs", "shop_fx");
        Directory.CreateDirectory(fx);
        await File.WriteAllTextAsync(Path.Combine(fx, "main.py"), """
            # shop_fx
            # Daily USD amounts of paid orders (SOX control FIN-9), at the rate of the order's day.
            from pyspark.sql import SparkSession
            from pyspark.sql import functions as F


            def main():
                spark = SparkSession.builder.appName("shop_fx").getOrCreate()
                rate_of = {}
                for r in spark.table("raw.rates").collect():
                    rate_of[(r.rate_day, r.currency)] = r.rate
                rows = []
                for o in spark.table("raw.orders").filter(F.col("status") == "PAID").collect():
                    rate = rate_of.get((o.day, o.currency))
                    rows.append((o.order_id, None if rate is None else o.amount * rate))
                spark.createDataFrame(rows, "order_id long, amount_usd decimal(18,2)").write.mode("overwrite").saveAsTable("curated.orders_fx")


            if __name__ == "__main__":
                main()
            """);
        await File.WriteAllTextAsync(Path.Combine(fx, "job.yaml"), "name: Shop FX (SOX)\nschedule: \"0 0 7 * * ?\"\ntags: [finance, sox]\nparameters: {}\n");
        Directory.CreateDirectory(Path.Combine(root, "legacy"));
        File.Copy(Fixture("shop_legacy_run.py"), Path.Combine(root, "legacy", "run.py"));
        await WriteAsync(root, "raw/orders", """
            SELECT CAST(i AS BIGINT) AS order_id, DATE '2026-10-01' + CAST(i % 5 AS INTEGER) AS "day", ['USD', 'EUR', 'GBP'][i % 3 + 1] AS currency,
                   CASE WHEN i % 11 = 0 THEN NULL WHEN i % 7 = 0 THEN 'CANCELLED' ELSE 'PAID' END AS status,
                   CAST(CASE WHEN i % 13 = 0 THEN NULL WHEN i % 6 = 0 THEN 1 ELSE 2 + i % 3 END AS INTEGER) AS qty,
                   CAST(i * 1.25 AS DECIMAL(10,2)) AS amount
            FROM range(1, 41) t(i)
            """);
        await WriteAsync(root, "raw/rates", """
            SELECT d AS rate_day, c AS currency, CAST(CASE c WHEN 'USD' THEN 1 WHEN 'EUR' THEN 1.1 ELSE 1.3 END AS DECIMAL(10,4)) AS rate, 'ECB' AS source
            FROM (SELECT DATE '2026-10-01' + CAST(n AS INTEGER) AS d FROM range(0, 5) t(n)) days, (SELECT unnest(['USD', 'EUR', 'GBP']) AS c) currencies
            WHERE NOT (c = 'GBP' AND d = DATE '2026-10-03')
            UNION ALL SELECT DATE '2026-10-02', 'EUR', CAST(1.2 AS DECIMAL(10,4)), 'MANUAL'
            """);
        await WriteAsync(root, "curated/orders_fx", "SELECT CAST(1 AS BIGINT) AS order_id, CAST(1.25 AS DECIMAL(18,2)) AS amount_usd");
        var run = await LegacyRunner.ForWorkspace(root).RunAsync("shop_usd",
            new Dictionary<string, string> { ["raw.orders"] = Path.Combine(root, "lake/raw/orders"), ["raw.rates"] = Path.Combine(root, "lake/raw/rates") },
            new Dictionary<string, string?>(), Path.Combine(root, ".legacy-run"), CancellationToken.None);
        var curated = Path.Combine(root, "lake/curated/orders_usd");
        Directory.CreateDirectory(curated);
        File.Copy(Path.Combine(run.Outputs["curated.orders_usd"], "part-00000.parquet"), Path.Combine(curated, "part-00000.parquet"));
        Directory.Delete(Path.Combine(root, ".legacy-run"), recursive: true);
        return new WorkspacePaths(root);
    }

    public static void InstallRewrite(WorkspacePaths workspace, Func<string, string>? edit = null)
    {
        var layout = RewriteLayout.For(workspace, new Domain.JobId("shop_usd"));
        Directory.CreateDirectory(layout.Folder);
        var sql = File.ReadAllText(Fixture("shop_usd.duckdb.sql"));
        File.WriteAllText(layout.DuckDbSql, edit is null ? sql : edit(sql));
    }

    private static async Task WriteAsync(string root, string relative, string select)
    {
        var folder = Path.Combine(root, "lake", relative);
        Directory.CreateDirectory(folder);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{Path.Combine(folder, "part-00000.parquet")}' (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
    }
}
