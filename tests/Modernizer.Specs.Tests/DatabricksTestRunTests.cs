using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines.Databricks;
using Modernizer.Specs.Data;
using Modernizer.Specs.Testing.Harness;
using Modernizer.Specs.Testing.Running;

namespace Modernizer.Specs.Tests;

/// <summary>The test run on a Databricks SQL warehouse, against a stand-in that speaks the Statement Execution API
/// 2.0 wire format (the warehouse cannot be reached from here): the case's tables are created in the scratch
/// catalog with typed values, the targets dropped, the Spark SQL deliverable run with its named parameters
/// bound, the target read back and compared with the legacy rows.</summary>
public sealed class DatabricksTestRunTests : IDisposable
{
    private const string TokenVariable = "MODERNIZER_SPECS_TEST_DATABRICKS_TOKEN";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "modernizer-specs-dbx-" + Guid.NewGuid().ToString("N"));
    private readonly JobId _job = new("usd");

    public DatabricksTestRunTests()
    {
        Environment.SetEnvironmentVariable(TokenVariable, "dapi-test-token");
        var workspace = new WorkspacePaths(_root);
        var cases = Path.Combine(workspace.JobOutput(_job), "tests", "cases");
        Directory.CreateDirectory(cases);
        var file = new CaseFile("happy_path", "usd", "happy_path", "two orders", true, [], ["REQ-001"], [],
            new SortedDictionary<string, string?> { ["start"] = "2026-10-01" }.ToImmutableSortedDictionary(StringComparer.Ordinal),
            [new CaseTable("raw.orders", [new ProtocolColumn("order_id", "long"), new ProtocolColumn("day", "date"), new ProtocolColumn("amount", "decimal(10,2)"), new ProtocolColumn("note", "string")],
                ["""{"order_id":1,"day":"2026-10-01","amount":"1.25","note":"it's"}""", """{"order_id":2,"day":"2026-09-30","amount":"2.50","note":null}"""])],
            new CaseExpectation(ExpectationStatus.Known, "legacy_runner", null,
                [new CaseTable("curated.usd", [new ProtocolColumn("order_id", "long"), new ProtocolColumn("amount", "decimal(10,2)")], ["""{"order_id":1,"amount":"1.25"}"""])]));
        File.WriteAllText(Path.Combine(cases, "happy_path.yaml"), file.ToYaml());
        var layout = RewriteLayout.For(workspace, _job);
        Directory.CreateDirectory(layout.Folder);
        File.WriteAllText(layout.SparkSql, "CREATE TABLE IF NOT EXISTS curated.usd (order_id BIGINT, amount DECIMAL(10,2));\nINSERT OVERWRITE curated.usd\nSELECT order_id, amount FROM raw.orders WHERE day >= :start;\n");
    }

    [Fact]
    public async Task Inputs_are_created_with_typed_values_the_deliverable_runs_with_its_parameters_and_the_rows_are_compared()
    {
        var warehouse = new FakeStatementApi([["1", "1.25"]]);
        var results = await RunAsync(warehouse);

        Assert.True(results.ExitCode == 0, string.Join("; ", results.Cases.Select(c => c.Message)));
        Assert.Equal("databricks (scratch)", results.Engine);
        var statements = warehouse.Statements.Select(s => s.Statement).ToList();
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS `raw`", statements);
        Assert.Contains(statements, s => s.StartsWith("CREATE OR REPLACE TABLE `raw`.`orders` (`order_id` LONG, `day` DATE, `amount` DECIMAL(10,2), `note` STRING)", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("(1, DATE '2026-10-01', CAST('1.25' AS DECIMAL(10,2)), 'it\\'s')", StringComparison.Ordinal));
        Assert.Contains("DROP TABLE IF EXISTS `curated`.`usd`", statements);
        var run = warehouse.Statements.Single(s => s.Statement.StartsWith("INSERT OVERWRITE curated.usd", StringComparison.Ordinal));
        Assert.Equal("start", run.Parameters.Single()!["name"]!.GetValue<string>());
        Assert.Equal("2026-10-01", run.Parameters.Single()!["value"]!.GetValue<string>());
        Assert.All(warehouse.Statements, s => Assert.Equal("scratch", s.Catalog));
        Assert.Equal("SELECT * FROM `curated`.`usd`", statements[^1]);
    }

    [Fact]
    public async Task Rows_that_differ_from_the_legacy_rows_fail_the_case()
    {
        var results = await RunAsync(new FakeStatementApi([["1", "1.30"]]));
        Assert.Equal(1, results.ExitCode);
        Assert.Contains("legacy rows missing", results.Cases.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_scratch_catalog_the_databricks_engine_is_refused()
    {
        var engine = new EngineSettings(EngineKind.Databricks, "https://adb-1.azuredatabricks.net", "abc");
        var error = Assert.Throws<InvalidOperationException>(() => CaseExecutors.Create(engine, _ => null));
        Assert.Contains(CaseExecutors.CatalogVariable, error.Message, StringComparison.Ordinal);
    }

    private async Task<TestResults> RunAsync(FakeStatementApi api)
    {
        var options = new DatabricksOptions { Host = new Uri("https://adb-1.azuredatabricks.net"), WarehouseId = "abc", Catalog = "scratch", TokenVariable = TokenVariable };
        await using var engine = DatabricksSqlEngine.Create(options, api);
        return await new TestRunner(new DatabricksCaseExecutor(engine, "scratch")).RunAsync(new WorkspacePaths(_root), _job, null, CancellationToken.None);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>POST /api/2.0/sql/statements answered at once (SUCCEEDED); a SELECT returns the given rows inline
    /// as JSON_ARRAY with its manifest, every other statement returns no rows.</summary>
    private sealed class FakeStatementApi(string?[][] targetRows) : HttpMessageHandler
    {
        public ConcurrentQueue<(string Statement, JsonArray Parameters, string? Catalog)> Received { get; } = new();

        public IReadOnlyList<(string Statement, JsonArray Parameters, string? Catalog)> Statements => [.. Received];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("Bearer dapi-test-token", request.Headers.Authorization?.ToString());
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var statement = body["statement"]!.GetValue<string>();
            Received.Enqueue((statement, body["parameters"]?.AsArray() ?? [], body["catalog"]?.GetValue<string>()));
            var response = new JsonObject
            {
                ["statement_id"] = "01ef-" + Received.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["status"] = new JsonObject { ["state"] = "SUCCEEDED" },
            };
            if (statement.StartsWith("SELECT", StringComparison.Ordinal))
            {
                response["manifest"] = new JsonObject
                {
                    ["format"] = "JSON_ARRAY",
                    ["schema"] = new JsonObject
                    {
                        ["column_count"] = 2,
                        ["columns"] = new JsonArray(
                            new JsonObject { ["name"] = "order_id", ["type_name"] = "LONG", ["type_text"] = "BIGINT", ["position"] = 0 },
                            new JsonObject { ["name"] = "amount", ["type_name"] = "DECIMAL", ["type_text"] = "DECIMAL(10,2)", ["position"] = 1 }),
                    },
                };
                response["result"] = new JsonObject { ["chunk_index"] = 0, ["row_offset"] = 0, ["row_count"] = targetRows.Length, ["data_array"] = new JsonArray([.. targetRows.Select(r => (JsonNode)new JsonArray([.. r.Select(v => (JsonNode?)v)]))]) };
            }
            else
            {
                // A statement without rows still carries a manifest with an empty schema, as the service sends.
                response["manifest"] = new JsonObject
                {
                    ["format"] = "JSON_ARRAY",
                    ["schema"] = new JsonObject { ["column_count"] = 0, ["columns"] = new JsonArray() },
                    ["total_chunk_count"] = 0,
                    ["total_row_count"] = 0,
                };
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(response.ToJsonString(), Encoding.UTF8, "application/json") };
        }
    }
}
