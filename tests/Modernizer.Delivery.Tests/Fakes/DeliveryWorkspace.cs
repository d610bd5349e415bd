using System.Collections.Immutable;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using LibGit2Sharp;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Tests.Fakes;

/// <summary>A workspace with one job whose rewrite folder is written by hand, following the Code
/// Writer's contract (rewrite.json, the Spark SQL with :named parameters, the DuckDB rendering ending in
/// one SELECT, the candidate output), with its lake (Parquet), reconciliation.json carrying the rewrite
/// hash, tests/results.json, and a local bare git repository with a main branch.</summary>
internal sealed class DeliveryWorkspace : IDisposable
{
    public const string JobName = "orders_daily_revenue";

    public const string SparkSql = """
        -- orders_daily_revenue: revenue and orders per store and day (set-based rewrite).
        -- Parameters: :run_date (default '2026-11-01').
        CREATE TABLE IF NOT EXISTS curated.daily_revenue (
            order_date DATE,
            store_id INT,
            revenue DECIMAL(18, 2),
            orders BIGINT
        ) USING DELTA
        PARTITIONED BY (order_date);

        INSERT INTO curated.daily_revenue REPLACE WHERE order_date = :run_date
        SELECT
            o.order_date,
            o.store_id,
            CAST(SUM(o.amount) AS DECIMAL(18, 2)) AS revenue,
            COUNT(*) AS orders
        FROM raw.orders AS o
        WHERE o.order_date = :run_date AND o.status = 'COMPLETE'
        GROUP BY o.order_date, o.store_id;

        """;

    public const string DuckDbSql = """
        SET VARIABLE run_date = COALESCE(getvariable('run_date'), DATE '2026-11-01');
        CREATE TABLE IF NOT EXISTS curated.daily_revenue (order_date DATE, store_id INTEGER, revenue DECIMAL(18, 2), orders BIGINT);
        SELECT order_date, store_id, revenue, orders FROM curated.daily_revenue WHERE order_date <> getvariable('run_date')
        UNION ALL
        SELECT o.order_date, o.store_id, CAST(SUM(o.amount) AS DECIMAL(18, 2)) AS revenue, COUNT(*) AS orders
        FROM raw.orders AS o
        WHERE o.order_date = getvariable('run_date') AND o.status = 'COMPLETE'
        GROUP BY o.order_date, o.store_id;

        """;

    public DeliveryWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("modernize-delivery-").FullName;
        Paths = new WorkspacePaths(Root);
        Job = new JobId(JobName);
        Layout = RewriteLayout.For(Paths, Job);
        Directory.CreateDirectory(Layout.Folder);
        WriteLake();
        Directory.CreateDirectory(Paths.JobCode(Job));
        File.WriteAllText(Path.Combine(Paths.JobCode(Job), "main.py"), "# legacy driver (not read by delivery)\n");
        File.WriteAllText(Path.Combine(Paths.JobCode(Job), "job.yaml"), """
            name: Orders daily revenue (SOX)
            schedule: "30 2 * * 1-5"
            timezone: America/New_York
            owner: finance-data@retail.example
            tags: [finance, sox]
            catalog:
              source: lakeflow
              job_id: "101"
            """);
        File.WriteAllText(Layout.SparkSql, SparkSql);
        File.WriteAllText(Layout.DuckDbSql, DuckDbSql);
        File.WriteAllText(Layout.Review, "# orders_daily_revenue\n\nLegacy loop over collected orders → one GROUP BY.\n");
        WriteManifest();
        Reconcile();
        File.WriteAllText(Path.Combine(Output, "tests", "results.json"), """
            {"cases": [
              {"id": "happy_path", "kind": "happy_path", "tags": [], "requirement_ids": ["REQ-1"], "status": "passed"},
              {"id": "null_amount", "kind": "null", "tags": [], "requirement_ids": ["REQ-2"], "status": "passed"},
              {"id": "defect_cancelled_counted", "kind": "regression", "tags": ["defect:D1"], "requirement_ids": ["REQ-3"], "status": "passed"}
            ], "passed": 3, "failed": 0, "coverage": {}}
            """);
        File.WriteAllText(Path.Combine(Output, "spec.json"), """{"job_id": "orders_daily_revenue", "purpose": "Daily revenue per store", "requirements": []}""");
        SetEscalations(("esc-0123456789ab", "approved"));
        // Earlier stages' decisions about the job, as the supervisor exports them (the pull request quotes them).
        File.WriteAllLines(Paths.DecisionsJsonl, [
            """{"seq":41,"time":"2026-11-02T08:00:01Z","job_id":"orders_daily_revenue","stage":"code_review","role":"code_reviewer","kind":"anti_pattern","outcome":"autonomous","confidence":0.95,"rule":"P2.ITR01","rationale":"Loop over collect() of raw.orders accumulates revenue per (order_date, store_id): set-based GROUP BY replacement."}""",
            """{"seq":57,"time":"2026-11-02T08:03:12Z","job_id":"orders_daily_revenue","stage":"rewrite","role":"code_writer","kind":"assumption","outcome":"autonomous","confidence":0.72,"rule":"R4.1.swappable_assumption","rationale":"A1: NULL status is not COMPLETE (72%); the alternative is the parameter :null_status_complete."}""",
            """{"seq":63,"time":"2026-11-02T08:04:40Z","job_id":"orders_daily_revenue","stage":"reconcile","role":"validation_reconciler","kind":"reconciliation_route","outcome":"autonomous","confidence":1.0,"rule":"X4.exact","rationale":"4 of 4 rows match exactly on rewrite a26b2384149d: validated."}""",
        ]);

        Remote = Path.Combine(Root, "..", Path.GetFileName(Root) + "-remote.git");
        Repository.Init(Remote, isBare: true);
        using (var repo = new Repository(Remote))
        {
            var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream("# ETL\n"u8.ToArray()));
            var tree = new TreeDefinition();
            tree.Add("README.md", blob, Mode.NonExecutableFile);
            var signature = new Signature("dev", "dev@example.com", DateTimeOffset.UnixEpoch.AddYears(56));
            var commit = repo.ObjectDatabase.CreateCommit(signature, signature, "Initial commit", repo.ObjectDatabase.CreateTree(tree), [], false);
            repo.Refs.Add("refs/heads/main", commit.Id);
        }
    }

    public string Root { get; }

    public string Remote { get; }

    public WorkspacePaths Paths { get; }

    public JobId Job { get; }

    public RewriteLayout Layout { get; }

    public string Output => Paths.JobOutput(Job);

    public ModernizeSettings Settings(FakeDatabricks? databricks = null, FakeGitHub? github = null, int shadowRuns = 0, FakeDatabricks? prod = null) => ModernizeSettings.Default with
    {
        Delivery = DeliverySettings.Default with
        {
            Permissions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("group:finance-data", "CAN_MANAGE"), KeyValuePair.Create("group:data-readers", "CAN_VIEW")]),
            Targets = [.. DeliverySettings.Environments.Select(e => new DeliveryTarget(e, (e == "prod" ? prod ?? databricks : databricks)?.BaseUrl, databricks is null ? null : "wh-" + e, $"/Workspace/Shared/.bundle/{e}", "DATABRICKS_TOKEN"))],
            Repository = RepositorySettings.Default with
            {
                Url = Remote,
                Forge = github is null ? "none" : "github",
                ApiUrl = github?.BaseUrl ?? RepositorySettings.Default.ApiUrl,
                Owner = "retail",
                Name = "etl",
            },
            Promotion = PromotionSettings.Default with { ShadowRuns = shadowRuns, ShadowOutputRoot = ".modernize/shadow", PollIntervalSeconds = 0 },
        },
    };

    public static string? Environment(string name) => name switch
    {
        "DATABRICKS_TOKEN" => FakeDatabricks.Token,
        "GITHUB_TOKEN" => FakeGitHub.Token,
        _ => null,
    };

    public void SetEscalations(params (string Id, string Status)[] escalations)
    {
        Directory.CreateDirectory(Paths.Output);
        var list = new JsonArray([.. escalations.Select(e => (JsonNode)new JsonObject { ["id"] = e.Id, ["job_id"] = JobName, ["status"] = e.Status })]);
        File.WriteAllText(Paths.EscalationsJson, new JsonObject { ["escalations"] = list }.ToJsonString());
    }

    /// <summary>The reconciliation the parallel run left: an exact match, on the rewrite as it is now.</summary>
    public void Reconcile(string? hash = null)
    {
        Directory.CreateDirectory(Path.Combine(Output, "tests"));
        var node = new JsonObject
        {
            ["status"] = "match",
            ["match_rate"] = 1.0,
            ["rows"] = new JsonObject { ["baseline"] = 4, ["candidate"] = 4, ["matched"] = 4, ["changed"] = 0, ["missing_in_candidate"] = 0, ["extra_in_candidate"] = 0, ["duplicate_keys"] = 0 },
            ["columns"] = new JsonArray(new JsonObject { ["name"] = "revenue", ["mismatches"] = 0, ["match_rate"] = 1.0 }),
            ["key"] = new JsonArray("order_date", "store_id"),
            ["samples"] = new JsonArray(),
            ["rewrite_hash"] = hash ?? RewriteLayout.Hash(Layout.Folder),
        };
        File.WriteAllText(Path.Combine(Output, "reconciliation.json"), node.ToJsonString());
    }

    public void Dispose()
    {
        foreach (var folder in new[] { Root, Remote })
        {
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private void WriteManifest()
    {
        var manifest = new JsonObject
        {
            ["job_id"] = JobName,
            ["status"] = "validated",
            ["loops_before"] = 1,
            ["loops_after"] = 0,
            ["patterns"] = new JsonArray(new JsonObject { ["rule"] = "keyed_fold", ["file"] = "main.py", ["line_start"] = 12, ["line_end"] = 20, ["sql"] = "SUM(amount) GROUP BY order_date, store_id" }),
            ["assumptions"] = new JsonArray(new JsonObject
            {
                ["id"] = "A1",
                ["statement"] = "Orders with a NULL status are not COMPLETE",
                ["confidence"] = 0.72,
                ["alternative"] = "count them as COMPLETE",
                ["parameter"] = "null_status_complete",
            }),
            ["attempts"] = new JsonArray(new JsonObject { ["n"] = 1, ["match_rate"] = 1.0, ["outcome"] = "validated" }),
            ["reconciliation"] = new JsonObject { ["status"] = "match", ["match_rate"] = 1.0, ["file"] = "reconciliation.json" },
            ["rewrite_hash"] = RewriteLayout.Hash(Layout.Folder),
            ["parameters"] = new JsonArray(new JsonObject { ["name"] = "run_date", ["type"] = "DATE", ["default"] = "2026-11-01" }),
            ["targets"] = new JsonArray(new JsonObject
            {
                ["table"] = "curated.daily_revenue",
                ["mode"] = "overwrite",
                ["partition_by"] = new JsonArray("order_date"),
                ["duckdb_file"] = "orders_daily_revenue.duckdb.sql",
                ["output"] = "output/curated.daily_revenue",
            }),
            ["inputs"] = new JsonArray(new JsonObject { ["table"] = "raw.orders", ["version"] = null }, new JsonObject { ["table"] = "curated.daily_revenue", ["version"] = null }),
        };
        File.WriteAllText(Layout.Manifest, manifest.ToJsonString());
    }

    private void WriteLake()
    {
        var orders = Path.Combine(Root, "lake", "raw", "orders");
        var legacy = Path.Combine(Root, "lake", "curated", "daily_revenue");
        var candidate = Path.Combine(Layout.Folder, "output", "curated.daily_revenue");
        foreach (var folder in new[] { orders, legacy, candidate })
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE orders AS SELECT * FROM (VALUES
              (1, DATE '2026-10-31', 7, 10.50::DECIMAL(12,2), 'COMPLETE'),
              (2, DATE '2026-10-31', 7, 4.25::DECIMAL(12,2), 'COMPLETE'),
              (3, DATE '2026-10-31', 9, 99.00::DECIMAL(12,2), 'CANCELLED'),
              (4, DATE '2026-11-01', 7, 20.00::DECIMAL(12,2), 'COMPLETE'),
              (5, DATE '2026-11-01', 9, 5.00::DECIMAL(12,2), 'COMPLETE'),
              (6, DATE '2026-11-01', 9, 7.75::DECIMAL(12,2), 'COMPLETE'),
              (7, DATE '2026-11-01', 9, NULL::DECIMAL(12,2), NULL)
            ) t(order_id, order_date, store_id, amount, status);
            COPY orders TO '{orders}/part-00000.parquet' (FORMAT PARQUET);
            CREATE TABLE revenue AS
              SELECT order_date, store_id, CAST(SUM(amount) AS DECIMAL(18, 2)) AS revenue, COUNT(*) AS orders
              FROM orders WHERE status = 'COMPLETE' GROUP BY order_date, store_id;
            COPY revenue TO '{legacy}/part-00000.parquet' (FORMAT PARQUET);
            COPY revenue TO '{candidate}/part-00000.parquet' (FORMAT PARQUET);
            """;
        command.ExecuteNonQuery();
    }
}
