using Microsoft.Extensions.Configuration;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Engines.Databricks;

namespace Modernizer.Lake.Tests.Engines;

/// <summary>Issue item 3: the Databricks SQL warehouse engine against a local fake that follows the
/// Statement Execution API wire format.</summary>
public sealed class DatabricksSqlEngineTests : IDisposable
{
    private const string TokenVariable = "MODERNIZER_TEST_DATABRICKS_TOKEN";
    private readonly FakeDatabricksWarehouse _warehouse = new();

    public DatabricksSqlEngineTests() => Environment.SetEnvironmentVariable(TokenVariable, FakeDatabricksWarehouse.Token);

    private DatabricksSqlEngine Engine(ResultDisposition disposition = ResultDisposition.Inline) => DatabricksSqlEngine.Create(new DatabricksOptions
    {
        Host = _warehouse.BaseUri,
        WarehouseId = "wh-123",
        Catalog = "main",
        TokenVariable = TokenVariable,
        Disposition = disposition,
        PollInterval = TimeSpan.FromMilliseconds(20),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    });

    [Fact]
    public async Task Submits_with_the_documented_fields_and_reads_inline_json_rows()
    {
        await using var engine = Engine();
        var result = await engine.QueryAsync("SELECT * FROM t WHERE id > :p0", [new QueryParameter("p0", 5L)], CancellationToken.None);

        var submitted = Assert.Single(_warehouse.Submitted);
        Assert.Equal("wh-123", submitted["warehouse_id"]!.GetValue<string>());
        Assert.Equal("CONTINUE", submitted["on_wait_timeout"]!.GetValue<string>());
        Assert.Equal("INLINE", submitted["disposition"]!.GetValue<string>());
        Assert.Equal("JSON_ARRAY", submitted["format"]!.GetValue<string>());
        Assert.Equal("10s", submitted["wait_timeout"]!.GetValue<string>());
        Assert.Equal("main", submitted["catalog"]!.GetValue<string>());
        var parameter = submitted["parameters"]![0]!;
        Assert.Equal("p0", parameter["name"]!.GetValue<string>());
        Assert.Equal("5", parameter["value"]!.GetValue<string>());
        Assert.Equal("BIGINT", parameter["type"]!.GetValue<string>());

        Assert.Equal(["id", "name", "amount"], result.Columns.Select(c => c.Name));
        Assert.Equal(1L, result.Rows[0][0]);
        Assert.Equal("a0", result.Rows[0][1]);
        Assert.Equal(1.50m, result.Rows[0][2]);
        Assert.Null(result.Rows[1][1]);
        Assert.Equal(SqlDialect.SparkSql, engine.Dialect);
    }

    [Fact]
    public async Task Polls_a_pending_statement_and_follows_chunk_links()
    {
        await using var engine = Engine();
        var result = await engine.QueryAsync("SELECT slow chunks", null, CancellationToken.None);
        Assert.Equal([1L, 2L, 3L, 4L], result.Rows.Select(r => (long)r[0]!));
    }

    [Fact]
    public async Task Reads_external_link_arrow_chunks_without_sending_the_token()
    {
        await using var engine = Engine(ResultDisposition.ExternalLinks);
        var result = await engine.QueryAsync("SELECT arrow", null, CancellationToken.None);

        Assert.Equal("EXTERNAL_LINKS", _warehouse.Submitted.Single()["disposition"]!.GetValue<string>());
        Assert.Equal("ARROW_STREAM", _warehouse.Submitted.Single()["format"]!.GetValue<string>());
        Assert.Equal([1L, 2L, 3L, 4L], result.Rows.Select(r => (long)r[0]!));
        Assert.Equal("arrow0", result.Rows[0][1]);
        Assert.Equal(2.25m, result.Rows[0][2]);
        Assert.Equal(2, _warehouse.LinkAuthorization.Count);
        Assert.All(_warehouse.LinkAuthorization, Assert.Null);
    }

    [Fact]
    public async Task A_failed_statement_arriving_as_http_200_is_an_error_with_its_message()
    {
        await using var engine = Engine();
        var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => engine.QueryAsync("SELECT fail", null, CancellationToken.None));
        Assert.Equal("BAD_REQUEST", error.ErrorCode);
        Assert.Equal("42P01", error.SqlState);
        Assert.Contains("TABLE_OR_VIEW_NOT_FOUND", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_requests_are_retried_with_backoff()
    {
        await using var engine = Engine();
        var result = await engine.QueryAsync("SELECT throttle", null, CancellationToken.None);
        Assert.Equal(3, _warehouse.Throttled);
        Assert.Equal(2, result.Rows.Length);
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_statement_on_the_warehouse()
    {
        await using var engine = Engine();
        using var cancellation = new CancellationTokenSource();
        var running = engine.QueryAsync("SELECT hang", null, cancellation.Token);
        while (_warehouse.Polls == 0)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Single(_warehouse.Cancelled);
    }

    [Fact]
    public async Task A_wrong_token_is_an_api_error_and_a_missing_token_is_refused_up_front()
    {
        Environment.SetEnvironmentVariable(TokenVariable, "wrong");
        await using (var engine = Engine())
        {
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => engine.QueryAsync("SELECT 1", null, CancellationToken.None));
            Assert.Equal("UNAUTHENTICATED", error.ErrorCode);
            Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
        }

        Environment.SetEnvironmentVariable(TokenVariable, null);
        var missing = Assert.Throws<InvalidOperationException>(() => Engine());
        Assert.Contains(TokenVariable, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_come_from_configuration_and_bad_values_are_named()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["host"] = "https://adb-1.2.azuredatabricks.net",
            ["warehouse_id"] = "abc",
            ["disposition"] = "external_links",
        }).Build();
        var options = DatabricksConfiguration.Read(config);
        Assert.Equal("abc", options.WarehouseId);
        Assert.Equal(ResultDisposition.ExternalLinks, options.Disposition);
        Assert.Equal("DATABRICKS_TOKEN", options.TokenVariable);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["host"] = "http://example.com", ["warehouse_id"] = "abc" }).Build();
        Assert.Contains("https", Assert.Throws<InvalidOperationException>(() => DatabricksConfiguration.Read(bad)).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _warehouse.Dispose();
        Environment.SetEnvironmentVariable(TokenVariable, null);
    }
}
