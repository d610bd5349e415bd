using System.Data.SqlTypes;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Engines.Databricks;

namespace Modernizer.Lake.Tests.Engines;

/// <summary>The Databricks SQL warehouse engine against a local fake that follows the Statement
/// Execution API wire format, including the parts a client gets wrong: link headers and expiry,
/// retries that must not repeat a statement, error bodies of every shape, truncation, limits,
/// cancellation while the submit is in flight, nested and wide types, and OAuth M2M.</summary>
public sealed class DatabricksSqlEngineTests : IAsyncLifetime
{
    private const string TokenVariable = "MODERNIZER_TEST_DATABRICKS_TOKEN";
    private const string ClientIdVariable = "MODERNIZER_TEST_DATABRICKS_CLIENT_ID";
    private const string ClientSecretVariable = "MODERNIZER_TEST_DATABRICKS_CLIENT_SECRET";
    private FakeDatabricksWarehouse _warehouse = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(TokenVariable, FakeDatabricksWarehouse.Token);
        _warehouse = await FakeDatabricksWarehouse.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _warehouse.DisposeAsync();
        Environment.SetEnvironmentVariable(TokenVariable, null);
        Environment.SetEnvironmentVariable(ClientIdVariable, null);
        Environment.SetEnvironmentVariable(ClientSecretVariable, null);
    }

    private DatabricksOptions Options(ResultDisposition disposition = ResultDisposition.Inline) => new()
    {
        Host = _warehouse.BaseUri,
        WarehouseId = "wh-123",
        Catalog = "main",
        TokenVariable = TokenVariable,
        ClientIdVariable = ClientIdVariable,
        ClientSecretVariable = ClientSecretVariable,
        Disposition = disposition,
        PollInterval = TimeSpan.FromMilliseconds(20),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    private DatabricksSqlEngine Engine(ResultDisposition disposition = ResultDisposition.Inline) => DatabricksSqlEngine.Create(Options(disposition));

    private static Task<QueryResult> Run(DatabricksSqlEngine engine, string sql) => engine.QueryAsync(sql, null, CancellationToken.None);

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class NormalPath : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Fact]
        public async Task Submits_the_documented_fields_and_reads_inline_json_rows()
        {
            await using var engine = _t.Engine();
            var result = await engine.QueryAsync("SELECT * FROM t WHERE id > :p0", [new QueryParameter("p0", 5L)], CancellationToken.None);

            var submitted = Assert.Single(_t._warehouse.Submitted);
            Assert.Equal("wh-123", submitted["warehouse_id"]!.GetValue<string>());
            Assert.Equal("CONTINUE", submitted["on_wait_timeout"]!.GetValue<string>());
            Assert.Equal("INLINE", submitted["disposition"]!.GetValue<string>());
            Assert.Equal("JSON_ARRAY", submitted["format"]!.GetValue<string>());
            Assert.Equal("10s", submitted["wait_timeout"]!.GetValue<string>());
            Assert.Equal("main", submitted["catalog"]!.GetValue<string>());
            Assert.False(submitted.ContainsKey("row_limit"));
            Assert.False(submitted.ContainsKey("byte_limit"));
            var parameter = submitted["parameters"]![0]!;
            Assert.Equal("p0", parameter["name"]!.GetValue<string>());
            Assert.Equal("5", parameter["value"]!.GetValue<string>());
            Assert.Equal("BIGINT", parameter["type"]!.GetValue<string>());

            Assert.Equal(["id", "name", "amount"], result.Columns.Select(c => c.Name));
            Assert.Equal(1L, result.Rows[0][0]);
            Assert.Equal("a0", result.Rows[0][1]);
            Assert.Equal(1.50m, result.Rows[0][2]);
            Assert.Null(result.Rows[1][1]);
            Assert.False(result.Truncated);
            Assert.Equal(SqlDialect.SparkSql, engine.Dialect);
            Assert.All(_t._warehouse.ApiAuthorization, a => Assert.Equal("Bearer " + FakeDatabricksWarehouse.Token, a));
        }

        [Fact]
        public async Task Polls_a_pending_statement_and_follows_chunk_links()
        {
            await using var engine = _t.Engine();
            var result = await Run(engine, "SELECT slow chunks");
            Assert.Equal([1L, 2L, 3L, 4L], result.Rows.Select(r => (long)r[0]!));
        }

        [Fact]
        public async Task A_next_chunk_link_off_the_workspace_is_not_followed()
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT chunks foreign-link"));
            Assert.Contains("next_chunk_internal_link", error.Message, StringComparison.Ordinal);
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class ExternalLinks : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Fact]
        public async Task Links_are_fetched_with_their_http_headers_and_never_the_token()
        {
            await using var engine = _t.Engine(ResultDisposition.ExternalLinks);
            var result = await Run(engine, "SELECT * FROM t");

            Assert.Equal("EXTERNAL_LINKS", _t._warehouse.Submitted.Single()["disposition"]!.GetValue<string>());
            Assert.Equal("ARROW_STREAM", _t._warehouse.Submitted.Single()["format"]!.GetValue<string>());
            Assert.Equal([1L, 2L, 3L, 4L], result.Rows.Select(r => (long)r[0]!));
            Assert.Equal("arrow-a0", result.Rows[0][1]);
            Assert.Equal(1.50m, result.Rows[0][2]);
            Assert.Equal(2, _t._warehouse.LinkRequests.Count);
            Assert.All(_t._warehouse.LinkRequests, r =>
            {
                Assert.Null(r.Authorization);
                Assert.NotNull(r.StorageKey);
                Assert.Equal(200, r.Status);
            });
        }

        [Fact]
        public async Task An_expired_link_is_refreshed_through_result_chunks_before_it_is_fetched()
        {
            await using var engine = _t.Engine(ResultDisposition.ExternalLinks);
            var result = await Run(engine, "SELECT expired");

            Assert.Equal([1L, 2L, 3L, 4L], result.Rows.Select(r => (long)r[0]!));
            Assert.All(_t._warehouse.LinkRequests, r => Assert.Equal(200, r.Status));
            Assert.Equal(2, _t._warehouse.ChunkRefreshes); // chunk 0 refreshed, chunk 1 reached by its next link
        }

        [Fact]
        public async Task A_link_the_storage_refuses_as_expired_is_refreshed_and_fetched_again()
        {
            await using var engine = _t.Engine(ResultDisposition.ExternalLinks);
            var result = await Run(engine, "SELECT skew");

            Assert.Equal([1L, 2L, 3L, 4L], result.Rows.Select(r => (long)r[0]!));
            Assert.Equal([403, 200, 200], _t._warehouse.LinkRequests.Select(r => r.Status));
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class Retries : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Theory]
        [InlineData("SELECT throttle")]
        [InlineData("SELECT unavailable")]
        public async Task A_submit_answered_429_or_503_is_retried(string sql)
        {
            await using var engine = _t.Engine();
            var result = await Run(engine, sql);
            Assert.Equal(2, _t._warehouse.Rejected);
            Assert.Equal(3, _t._warehouse.SubmitAttempts);
            Assert.Single(_t._warehouse.Submitted);
            Assert.Equal(2, result.Rows.Length);
        }

        [Fact]
        public async Task A_submit_lost_in_transit_is_not_resent()
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "INSERT INTO t SELECT drop"));

            Assert.Equal(1, _t._warehouse.SubmitAttempts);
            Assert.Single(_t._warehouse.Submitted);
            Assert.Contains("not resent", error.Message, StringComparison.Ordinal);
            Assert.IsType<HttpRequestException>(error.InnerException);
        }

        [Fact]
        public async Task A_submit_still_unavailable_after_the_retry_budget_is_an_error_with_its_status()
        {
            await using var engine = DatabricksSqlEngine.Create(_t.Options() with { MaxRetries = 2 });
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT unavailable-always"));

            Assert.Equal(503, error.HttpStatus);
            Assert.Equal("TEMPORARILY_UNAVAILABLE", error.ApiErrorCode);
            Assert.Equal(3, _t._warehouse.SubmitAttempts);
        }

        [Theory]
        [InlineData("SELECT poll-drop")]
        [InlineData("SELECT poll-unavailable")]
        public async Task A_poll_is_retried_after_a_dropped_connection_or_a_503(string sql)
        {
            await using var engine = _t.Engine();
            var result = await Run(engine, sql);
            Assert.Equal(2, result.Rows.Length);
            Assert.Single(_t._warehouse.Submitted);
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class Errors : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Fact]
        public async Task A_failed_statement_arriving_as_http_200_is_an_error_with_its_message()
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT fail"));
            Assert.Equal("BAD_REQUEST", error.ApiErrorCode);
            Assert.Equal("42P01", error.SqlState);
            Assert.Null(error.HttpStatus);
            Assert.Contains("TABLE_OR_VIEW_NOT_FOUND", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_numeric_error_code_is_kept_as_its_digits()
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT numeric"));
            Assert.Equal("1001", error.ApiErrorCode);
            Assert.Equal(400, error.HttpStatus);
            Assert.Contains("Numeric error code", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_html_error_page_is_an_error_with_the_text_of_its_pre_block()
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT html"));
            Assert.Equal(500, error.HttpStatus);
            Assert.Equal("INTERNAL_SERVER_ERROR", error.ApiErrorCode);
            Assert.Contains("Server Error & retry later", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, _t._warehouse.SubmitAttempts); // 500 on a submit is not retried
        }

        [Theory]
        [InlineData("", "Bad Request", null, "Bad Request")]
        [InlineData("""{"error_code": "INVALID_STATE", "message": "Warehouse stopped."}""", "Bad Request", "INVALID_STATE", "Warehouse stopped.")]
        [InlineData("""{"error_code": 42, "message": "numeric"}""", "Bad Request", "42", "numeric")]
        [InlineData("""{"error": "API 1.2 message"}""", "Bad Request", null, "API 1.2 message")]
        [InlineData("""{"detail": "No such user", "status": "404", "scimType": "invalidValue"}""", "Not Found", "SCIM_404", "invalidValue No such user")]
        [InlineData("RESOURCE_DOES_NOT_EXIST: No warehouse wh-1.", "Not Found", "RESOURCE_DOES_NOT_EXIST", "No warehouse wh-1.")]
        [InlineData("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "Bad Gateway", "BAD_GATEWAY", "502 Bad Gateway")]
        [InlineData("upstream connect error", "Bad Gateway", "UNKNOWN", "upstream connect error")]
        public void Every_error_body_shape_yields_a_code_and_a_message(string body, string reason, string? code, string message)
        {
            var (parsedCode, parsedMessage) = DatabricksErrorParser.ParseBody(HttpStatusCode.BadRequest, reason, body);
            Assert.Equal(code, parsedCode);
            Assert.Equal(message, parsedMessage);
        }

        [Theory]
        [InlineData("SELECT closed", "CLOSED")]
        [InlineData("SELECT canceled", "CANCELED")]
        public async Task Closed_and_canceled_statements_are_errors(string sql, string state)
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, sql));
            Assert.Contains(state, error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.StatementId);
        }

        [Fact]
        public async Task An_inline_result_over_25_MiB_fails_the_statement()
        {
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT big:27000"));
            Assert.Contains("25 MiB", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Engine_errors_are_db_exceptions_like_duckdbs()
        {
            await using var engine = _t.Engine();
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Run(engine, "SELECT fail"));
        }

        [Fact]
        public async Task A_wrong_token_is_an_api_error_and_a_missing_token_is_refused_up_front()
        {
            Environment.SetEnvironmentVariable(TokenVariable, "wrong");
            await using (var engine = _t.Engine())
            {
                var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT 1"));
                Assert.Equal("UNAUTHENTICATED", error.ApiErrorCode);
                Assert.Equal(401, error.HttpStatus);
                Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
            }

            Environment.SetEnvironmentVariable(TokenVariable, null);
            var missing = Assert.Throws<InvalidOperationException>(() => _t.Engine());
            Assert.Contains(TokenVariable, missing.Message, StringComparison.Ordinal);
            Assert.Contains(ClientIdVariable, missing.Message, StringComparison.Ordinal);
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class LimitsAndValidation : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Fact]
        public async Task A_truncated_result_fails_by_default_and_row_and_byte_limits_are_sent()
        {
            await using var engine = DatabricksSqlEngine.Create(_t.Options() with { RowLimit = 3, ByteLimit = 1_000_000 });
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT chunks"));

            Assert.Equal("RESULT_TRUNCATED", error.ApiErrorCode);
            var submitted = Assert.Single(_t._warehouse.Submitted);
            Assert.Equal(3, submitted["row_limit"]!.GetValue<long>());
            Assert.Equal(1_000_000, submitted["byte_limit"]!.GetValue<long>());
        }

        [Fact]
        public async Task A_truncated_result_can_be_accepted_with_a_warning()
        {
            await using var engine = DatabricksSqlEngine.Create(_t.Options() with { RowLimit = 3, OnTruncated = TruncatedResultPolicy.Warn });
            var result = await Run(engine, "SELECT chunks");
            Assert.True(result.Truncated);
            Assert.Equal([1L, 2L, 3L], result.Rows.Select(r => (long)r[0]!));
        }

        [Theory]
        [InlineData(0, "0s")]
        [InlineData(5, "5s")]
        [InlineData(50, "50s")]
        public async Task Wait_timeouts_the_api_accepts_are_sent_as_seconds(int seconds, string wire)
        {
            await using var engine = DatabricksSqlEngine.Create(_t.Options() with { WaitTimeout = TimeSpan.FromSeconds(seconds) });
            await Run(engine, "SELECT 1");
            Assert.Equal(wire, _t._warehouse.Submitted.Single()["wait_timeout"]!.GetValue<string>());
        }

        [Theory]
        [InlineData(1000)]
        [InlineData(4000)]
        [InlineData(51000)]
        [InlineData(7500)]
        public void Wait_timeouts_the_api_rejects_are_refused_before_any_request(int milliseconds)
        {
            var error = Assert.Throws<ArgumentException>(() => DatabricksSqlEngine.Create(_t.Options() with { WaitTimeout = TimeSpan.FromMilliseconds(milliseconds) }));
            Assert.Contains("wait_timeout", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, _t._warehouse.SubmitAttempts);
        }

        [Theory]
        [InlineData(0L, null)]
        [InlineData(null, -1L)]
        public void Non_positive_limits_are_refused(long? rowLimit, long? byteLimit) =>
            Assert.Throws<ArgumentException>(() => DatabricksSqlEngine.Create(_t.Options() with { RowLimit = rowLimit, ByteLimit = byteLimit }));

        [Theory]
        [InlineData("""{"wait_timeout": "3s"}""", "wait_timeout")]
        [InlineData("""{"wait_timeout": "51s"}""", "wait_timeout")]
        [InlineData("""{"wait_timeout": "10"}""", "wait_timeout")]
        [InlineData("""{"disposition": "INLINE", "format": "ARROW_STREAM"}""", "EXTERNAL_LINKS")]
        [InlineData("""{"disposition": "INLINE", "format": "CSV"}""", "EXTERNAL_LINKS")]
        [InlineData("""{"disposition": "SOMEWHERE"}""", "disposition")]
        [InlineData("""{"row_limit": 0}""", "row_limit")]
        [InlineData("""{"byte_limit": -5}""", "byte_limit")]
        [InlineData("""{"on_wait_timeout": "WAIT"}""", "on_wait_timeout")]
        public async Task The_fake_rejects_what_the_api_rejects(string overrides, string named)
        {
            var body = new JsonObject { ["warehouse_id"] = "wh-123", ["statement"] = "SELECT 1" };
            foreach (var (key, value) in JsonNode.Parse(overrides)!.AsObject())
            {
                body[key] = value?.DeepClone();
            }

            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_t._warehouse.BaseUri, "api/2.0/sql/statements")) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new("Bearer", FakeDatabricksWarehouse.Token);
            using var response = await http.SendAsync(request);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("INVALID_PARAMETER_VALUE", error["error_code"]!.GetValue<string>());
            Assert.Contains(named, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Empty(_t._warehouse.Submitted);
        }

        [Fact]
        public async Task The_fake_accepts_external_links_with_json_array()
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_t._warehouse.BaseUri, "api/2.0/sql/statements"))
            {
                Content = JsonContent.Create(new JsonObject { ["warehouse_id"] = "wh", ["statement"] = "SELECT 1", ["disposition"] = "EXTERNAL_LINKS", ["format"] = "JSON_ARRAY", ["wait_timeout"] = "0s" }),
            };
            request.Headers.Authorization = new("Bearer", FakeDatabricksWarehouse.Token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class Cancellation : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Fact]
        public async Task Cancelling_while_polling_cancels_the_statement_on_the_warehouse()
        {
            await using var engine = _t.Engine();
            using var cancellation = new CancellationTokenSource();
            var running = engine.QueryAsync("SELECT hang", null, cancellation.Token);
            await _t._warehouse.FirstPoll;

            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            Assert.Single(_t._warehouse.Cancelled);
        }

        [Fact]
        public async Task Cancelling_during_the_submit_cancels_the_statement_once_its_id_arrives()
        {
            _t._warehouse.HoldSubmits();
            var engine = _t.Engine();
            using var cancellation = new CancellationTokenSource();
            var running = engine.QueryAsync("SELECT hang", null, cancellation.Token);
            await _t._warehouse.SubmitArrived;

            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            Assert.Empty(_t._warehouse.Cancelled); // the id is not known yet

            _t._warehouse.ReleaseSubmits();
            await engine.DisposeAsync(); // waits for the pending cancel
            Assert.Single(_t._warehouse.Submitted);
            Assert.Single(_t._warehouse.Cancelled);
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class Types : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        [Fact]
        public async Task Binary_nested_and_wide_decimal_values_read_the_same_from_json_and_from_arrow()
        {
            QueryResult json, arrow, arrowJsonText;
            await using (var engine = _t.Engine())
            {
                json = await Run(engine, "SELECT types");
            }

            await using (var engine = _t.Engine(ResultDisposition.ExternalLinks))
            {
                arrow = await Run(engine, "SELECT types");
                arrowJsonText = await Run(engine, "SELECT types jsontext");
            }

            var row = json.Rows[0];
            Assert.Equal("Hello"u8.ToArray(), Assert.IsType<byte[]>(row[0]));
            Assert.Equal([1, 2, null], Assert.IsType<List<object?>>(row[1]));
            Assert.Equal(new Dictionary<object, object?> { ["a"] = 1, ["b"] = 2 }, Assert.IsType<Dictionary<object, object?>>(row[2]));
            Assert.Equal(new Dictionary<string, object?> { ["x"] = 7, ["y"] = "seven" }, Assert.IsType<Dictionary<string, object?>>(row[3]));
            Assert.Equal("123456789012345678901234567890123456.78", Assert.IsType<SqlDecimal>(row[4]).ToString());
            Assert.Equal(1.50m, Assert.IsType<decimal>(row[5]));
            Assert.Equal(DateTimeKind.Unspecified, Assert.IsType<DateTime>(row[6]).Kind);
            Assert.Equal(new DateTimeOffset(2024, 2, 29, 12, 34, 56, 789, TimeSpan.Zero), Assert.IsType<DateTimeOffset>(row[7]));
            Assert.All(json.Rows[1], Assert.Null);

            Assert.Equal(Canonical(json), Canonical(arrow));
            Assert.Equal(Canonical(json), Canonical(arrowJsonText));
        }

        [Theory]
        [InlineData("DECIMAL(38,2)", "DECIMAL", 38, 2)]
        [InlineData("decimal(10, 0)", "DECIMAL", 10, 0)]
        [InlineData("BIGINT", "LONG", 0, 0)]
        [InlineData("VARCHAR(20)", "STRING", 0, 0)]
        [InlineData("TIMESTAMP_NTZ", "TIMESTAMP_NTZ", 0, 0)]
        [InlineData("INTERVAL DAY TO SECOND", "INTERVAL", 0, 0)]
        public void Type_text_reads_into_the_manifest_vocabulary(string text, string name, int precision, int scale)
        {
            Assert.True(DatabricksType.TryParse(text, out var type));
            Assert.Equal((name, precision, scale), (type.Name, type.Precision, type.Scale));
        }

        [Fact]
        public void Nested_type_text_keeps_field_names_and_element_types()
        {
            Assert.True(DatabricksType.TryParse("ARRAY<STRUCT<`a b`: MAP<STRING, DECIMAL(38,2)>, c: INT NOT NULL COMMENT 'it''s, <odd>'>>", out var type));
            var element = type.Children[0].Type;
            Assert.Equal("STRUCT", element.Name);
            Assert.Equal(["a b", "c"], element.Children.Select(f => f.Name));
            Assert.Equal(("MAP", "DECIMAL", 38), (element.Children[0].Type.Name, element.Children[0].Type.Children[1].Type.Name, element.Children[0].Type.Children[1].Type.Precision));
            Assert.False(DatabricksType.TryParse("ARRAY<INT", out _));
        }

        private static List<string> Canonical(QueryResult result) => [.. result.Rows.Select(r => string.Join(" | ", r.Select(Canonical)))];

        private static string Canonical(object? value) => value switch
        {
            null => "null",
            byte[] bytes => "bytes:" + Convert.ToHexString(bytes),
            List<object?> list => "[" + string.Join(",", list.Select(Canonical)) + "]",
            Dictionary<object, object?> map => "map{" + string.Join(",", map.Select(e => Canonical(e.Key) + ":" + Canonical(e.Value))) + "}",
            Dictionary<string, object?> obj => "struct{" + string.Join(",", obj.Select(e => e.Key + ":" + Canonical(e.Value))) + "}",
            DateTime t => "ntz:" + t.ToString("O", CultureInfo.InvariantCulture) + t.Kind,
            DateTimeOffset t => "ts:" + t.ToString("O", CultureInfo.InvariantCulture),
            _ => value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class OAuth : IAsyncLifetime
    {
        private readonly DatabricksSqlEngineTests _t = new();

        public Task InitializeAsync() => _t.InitializeAsync();

        public Task DisposeAsync() => _t.DisposeAsync();

        private void ServicePrincipal(string secret = FakeDatabricksWarehouse.ClientSecret)
        {
            Environment.SetEnvironmentVariable(TokenVariable, null);
            Environment.SetEnvironmentVariable(ClientIdVariable, FakeDatabricksWarehouse.ClientId);
            Environment.SetEnvironmentVariable(ClientSecretVariable, secret);
        }

        [Fact]
        public async Task A_service_principal_gets_a_token_once_and_reuses_it()
        {
            ServicePrincipal();
            await using var engine = _t.Engine();
            await Run(engine, "SELECT 1");
            await Run(engine, "SELECT 2");

            Assert.Equal(1, _t._warehouse.TokensIssued);
            Assert.All(_t._warehouse.ApiAuthorization, a => Assert.Equal("Bearer oauth-1", a));
        }

        [Fact]
        public async Task The_token_is_refreshed_before_it_expires()
        {
            ServicePrincipal();
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            await using var engine = DatabricksSqlEngine.Create(_t.Options() with { Auth = DatabricksAuth.OAuthMachineToMachine }, clock: clock);
            await Run(engine, "SELECT 1");
            clock.Advance(TimeSpan.FromMinutes(30)); // 30 of 60 minutes left: still used
            await Run(engine, "SELECT 2");
            Assert.Equal(1, _t._warehouse.TokensIssued);

            clock.Advance(TimeSpan.FromMinutes(11)); // 19 minutes left: inside the 20-minute refresh lead
            await Run(engine, "SELECT 3");
            Assert.Equal(2, _t._warehouse.TokensIssued);
            Assert.Equal("Bearer oauth-2", _t._warehouse.ApiAuthorization.Last());
        }

        [Fact]
        public async Task A_rejected_client_secret_is_an_error_that_does_not_echo_it()
        {
            ServicePrincipal("not-the-secret");
            await using var engine = _t.Engine();
            var error = await Assert.ThrowsAsync<DatabricksSqlException>(() => Run(engine, "SELECT 1"));

            Assert.Equal("invalid_client", error.ApiErrorCode);
            Assert.Equal(401, error.HttpStatus);
            Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
            Assert.Empty(_t._warehouse.Submitted);
        }

        [Fact]
        public void Choosing_oauth_without_the_client_variables_names_them()
        {
            var error = Assert.Throws<InvalidOperationException>(() => DatabricksSqlEngine.Create(_t.Options() with { Auth = DatabricksAuth.OAuthMachineToMachine }));
            Assert.Contains(ClientSecretVariable, error.Message, StringComparison.Ordinal);
        }
    }

    [Collection(nameof(DatabricksSqlEngineTests))]
    public sealed class Configuration
    {
        [Fact]
        public void Options_come_from_configuration_and_bad_values_are_named()
        {
            var options = DatabricksConfiguration.Read(Section(new()
            {
                ["host"] = "https://adb-1.2.azuredatabricks.net",
                ["warehouse_id"] = "abc",
                ["disposition"] = "external_links",
                ["wait_timeout"] = "30s",
                ["row_limit"] = "1000",
                ["on_truncated"] = "warn",
                ["auth"] = "oauth_m2m",
            }));
            Assert.Equal("abc", options.WarehouseId);
            Assert.Equal(ResultDisposition.ExternalLinks, options.Disposition);
            Assert.Equal(TimeSpan.FromSeconds(30), options.WaitTimeout);
            Assert.Equal(1000, options.RowLimit);
            Assert.Equal(TruncatedResultPolicy.Warn, options.OnTruncated);
            Assert.Equal(DatabricksAuth.OAuthMachineToMachine, options.Auth);
            Assert.Equal("DATABRICKS_TOKEN", options.TokenVariable);
            Assert.Equal("DATABRICKS_CLIENT_ID", options.ClientIdVariable);

            Assert.Contains("https", Assert.Throws<InvalidOperationException>(() => DatabricksConfiguration.Read(Section(new() { ["host"] = "http://example.com", ["warehouse_id"] = "abc" }))).Message, StringComparison.Ordinal);
            var wait = Assert.Throws<InvalidOperationException>(() => DatabricksConfiguration.Read(Section(new() { ["host"] = "https://h", ["warehouse_id"] = "abc", ["wait_timeout"] = "60s" })));
            Assert.Contains("wait_timeout", wait.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Parameter", wait.Message, StringComparison.Ordinal);
        }

        private static IConfiguration Section(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
