using Modernizer.Delivery.Analysis;
using Modernizer.Delivery.Rewrites;
using Modernizer.Delivery.Tests.Fakes;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Tests;

public sealed class StaticAnalysisTests
{
    private static readonly RewriteTarget Partitioned = new("curated.daily_revenue", "overwrite", ["order_date"], null, null);

    [Fact]
    public async Task A_clean_rewrite_is_not_blocking_and_every_tool_ran()
    {
        using var workspace = new DeliveryWorkspace();
        var report = await new StaticAnalyzer(workspace.Paths, workspace.Settings()).AnalyzeAsync(workspace.Job, CancellationToken.None);

        Assert.False(report.Blocking, string.Join("\n", report.Findings.Where(f => f.Blocking).Select(f => f.ToString())));
        Assert.Equal(RewriteLayout.Hash(workspace.Layout.Folder), report.RewriteHash);
        Assert.Contains(report.Tools, t => t.Tool == "sqlfluff" && t.Status == "ran");
        Assert.Contains(report.Tools, t => t.Tool == "bandit" && t.Status == "skipped");
        Assert.Contains(report.Tools, t => t.Tool == IdempotencyCheck.Tool && t.Status == "ran" && t.Detail!.Contains("3 rows after the first run, 3 after the second", StringComparison.Ordinal));
        Assert.True(File.Exists(StaticAnalyzer.ValidationPath(workspace.Paths, workspace.Job)));
        Assert.False(File.Exists(ReworkRequest.PathFor(workspace.Paths, workspace.Job, "static_analysis")));
    }

    [Fact]
    public async Task Badly_formatted_sql_gets_sqlfluff_findings()
    {
        using var workspace = new DeliveryWorkspace();
        File.WriteAllText(workspace.Layout.SparkSql, "insert into curated.daily_revenue (order_date, store_id, revenue)\nselect order_date,store_id , sum(amount)as revenue FROM raw.orders   where status='COMPLETE' group by 1,2;\n");
        var report = await new StaticAnalyzer(workspace.Paths, workspace.Settings()).AnalyzeAsync(workspace.Job, CancellationToken.None);

        var lint = report.Findings.Where(f => f.Tool == "sqlfluff").ToList();
        Assert.Contains(lint, f => f.Rule == "L008" || f.Rule == "L005" || f.Rule == "L039");
        Assert.All(lint, f => Assert.Equal("orders_daily_revenue.sql", f.File));
        Assert.All(lint, f => Assert.Equal(Severity.Warning, f.Severity));
    }

    [Fact]
    public async Task A_planted_secret_blocks_and_goes_back_to_the_code_writer()
    {
        using var workspace = new DeliveryWorkspace();
        File.AppendAllText(workspace.Layout.SparkSql, "-- token = 'dapi0123456789abcdef0123456789abcdef'\n");
        var report = await new StaticAnalyzer(workspace.Paths, workspace.Settings()).AnalyzeAsync(workspace.Job, CancellationToken.None);

        Assert.True(report.Blocking);
        var secret = Assert.Single(report.Findings, f => f.Rule == "SEC01");
        Assert.Equal(File.ReadAllLines(workspace.Layout.SparkSql).Length, secret.Line);
        Assert.DoesNotContain("0123456789abcdef0123456789abcdef", secret.Message, StringComparison.Ordinal);
        var rework = await ReworkRequest.ReadAsync(ReworkRequest.PathFor(workspace.Paths, workspace.Job, "static_analysis"), CancellationToken.None);
        Assert.NotNull(rework);
        Assert.Equal(report.RewriteHash, rework.RewriteHash);
        Assert.Contains(rework.Findings, f => f.Rule == "SEC01");
    }

    [Fact]
    public async Task A_rendering_that_appends_on_every_run_is_not_idempotent()
    {
        using var workspace = new DeliveryWorkspace();
        File.WriteAllText(workspace.Layout.DuckDbSql, DeliveryWorkspace.DuckDbSql.Replace("WHERE order_date <> getvariable('run_date')", string.Empty, StringComparison.Ordinal));
        var report = await new StaticAnalyzer(workspace.Paths, workspace.Settings()).AnalyzeAsync(workspace.Job, CancellationToken.None);

        var finding = Assert.Single(report.Findings, f => f.Rule == "IDEM01");
        Assert.Contains("curated.daily_revenue", finding.Message, StringComparison.Ordinal);
        Assert.True(report.Blocking);
    }

    [Fact]
    public async Task A_python_driver_that_is_left_is_scanned_by_bandit()
    {
        using var workspace = new DeliveryWorkspace();
        File.WriteAllText(Path.Combine(workspace.Layout.Folder, "driver.py"), "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n");
        var report = await new StaticAnalyzer(workspace.Paths, workspace.Settings()).AnalyzeAsync(workspace.Job, CancellationToken.None);

        Assert.Contains(report.Tools, t => t.Tool == "bandit" && t.Status == "ran");
        Assert.Contains(report.Findings, f => f.Tool == "bandit" && f.Rule == "B602" && f.File == "driver.py" && f.Line == 4 && f.Blocking);
    }

    [Theory]
    [InlineData("INSERT INTO curated.daily_revenue (order_date, store_id) SELECT * FROM raw.orders;", "PLAN01")]
    [InlineData("INSERT INTO curated.daily_revenue SELECT order_date, store_id FROM raw.orders;", "PLAN02")]
    [InlineData("INSERT OVERWRITE curated.daily_revenue (order_date, store_id) SELECT order_date, store_id FROM raw.orders;", "PLAN03")]
    [InlineData("INSERT INTO curated.daily_revenue REPLACE WHERE true SELECT order_date, store_id FROM raw.orders;", "PLAN03")]
    [InlineData("INSERT INTO curated.daily_revenue (a) SELECT a FROM parquet.`/mnt/lake/raw/orders`;", "PLAN04")]
    [InlineData("CREATE TABLE x.y (a INT) LOCATION 's3://bucket/y';", "PLAN04")]
    [InlineData("INSERT INTO prod_curated.daily_revenue (a) SELECT a FROM raw.orders;", "PLAN05")]
    [InlineData("INSERT INTO curated.daily_revenue (a) SELECT a FROM raw.orders WHERE env = 'prod';", "PLAN05")]
    [InlineData("INSERT INTO curated.daily_revenue (a) SELECT amount / qty FROM raw.orders;", "PLAN06")]
    [InlineData("MERGE INTO curated.t USING s ON t.k = s.k WHEN NOT MATCHED THEN INSERT *;", "PLAN02")]
    [InlineData("INSERT INTO curated.daily_revenue SELECT * FROM (SELECT a FROM raw.orders) AS q;", "PLAN01")]
    public void Plan_checks_find_what_they_are_for(string sql, string rule)
    {
        var findings = PlanChecks.Run("job.sql", sql, [Partitioned]);
        Assert.Contains(findings, f => f.Rule == rule);
    }

    [Theory]
    [InlineData("INSERT INTO curated.daily_revenue REPLACE WHERE order_date = :run_date SELECT o.order_date, count(*) AS n, try_divide(a, b), a / 100 FROM raw.orders AS o;")]
    [InlineData("INSERT OVERWRITE curated.daily_revenue PARTITION (order_date = :run_date) (store_id) SELECT store_id FROM raw.orders;")]
    [InlineData("INSERT INTO other.t BY NAME SELECT a FROM raw.products WHERE name = 'Product deluxe';")]
    [InlineData("INSERT INTO other.t (a, b) SELECT * FROM (SELECT a, b FROM raw.products) AS q;")]
    [InlineData("INSERT INTO other.t (a) SELECT a FROM (SELECT *, row_number() OVER (ORDER BY a) AS n FROM raw.products) AS q WHERE n = 1;")]
    [InlineData("INSERT INTO other.t (a) SELECT a % nullif(b, 0) FROM raw.products;")]
    [InlineData("MERGE INTO other.t USING (SELECT * FROM raw.products) AS s ON t.k = s.k WHEN NOT MATCHED THEN INSERT (k) VALUES (s.k);")]
    public void Plan_checks_pass_safe_sql(string sql)
    {
        Assert.Empty(PlanChecks.Run("job.sql", sql, [Partitioned]));
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "SEC03")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----", "SEC04")]
    [InlineData("jdbc:postgresql://etl:s3cr3tpass@db.internal:5432/x", "SEC08")]
    [InlineData("password = 'hunter2hunter2'", "SEC09")]
    public void The_secret_scanner_knows_common_formats(string text, string rule)
    {
        Assert.Contains(SecretScanner.Scan("f.sql", "SELECT 1;\n" + text + "\n"), f => f.Rule == rule && f.Line == 2);
    }

    [Fact]
    public void A_secret_read_from_a_secret_scope_is_not_a_finding()
    {
        Assert.Empty(SecretScanner.Scan("f.py", "password = dbutils.secrets.get('etl', 'db')\ntoken = \"{{secrets/etl/token}}\"\n"));
    }
}
