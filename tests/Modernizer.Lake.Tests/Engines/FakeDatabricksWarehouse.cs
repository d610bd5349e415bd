using System.Collections.Concurrent;
using System.Data.SqlTypes;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Modernizer.Lake.Tests.Engines;

/// <summary>A local stand-in for a Databricks SQL warehouse speaking the Statement Execution API
/// 2.0 wire format, on Kestrel at port 0. It holds a client to what the real service does:
/// it validates the request (<c>wait_timeout</c> 0s or 5-50s, disposition/format pairs, positive
/// <c>row_limit</c>/<c>byte_limit</c>) with 400 INVALID_PARAMETER_VALUE; applies <c>row_limit</c>
/// and marks the manifest <c>truncated</c>; fails an INLINE result over 25 MiB; serves
/// EXTERNAL_LINKS chunks behind signed links that expire and that demand their
/// <c>http_headers</c>; refreshes links through <c>/result/chunks/{i}</c>; answers cancel;
/// reports CLOSED and CANCELED; issues OAuth M2M tokens at <c>/oidc/v1/token</c>. What a statement
/// does is chosen by words in its text: slow, hang, fail, closed, canceled, chunks, arrow,
/// jsontext, expired, skew, types, foreign-link, throttle, unavailable, unavailable-always, poll-unavailable,
/// poll-drop, drop, numeric, html, big:N.</summary>
internal sealed partial class FakeDatabricksWarehouse : IAsyncDisposable
{
    public const string Token = "dapi-test-token";
    public const string ClientId = "sp-client-id";
    public const string ClientSecret = "sp-client-secret";
    public const int InlineLimitBytes = 25 * 1024 * 1024;
    private const int RowsPerChunk = 2;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Statement> _statements = new();
    private readonly ConcurrentDictionary<string, IssuedLink> _links = new();
    private readonly ConcurrentDictionary<string, bool> _issuedTokens = new();
    private readonly TaskCompletionSource _firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _submitGate;
    private TaskCompletionSource _submitArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _submitAttempts;
    private int _rejected;
    private int _chunkRefreshes;
    private int _tokensIssued;

    private FakeDatabricksWarehouse(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>Bodies of the statements the warehouse accepted (and so ran).</summary>
    public ConcurrentQueue<JsonObject> Submitted { get; } = new();

    public ConcurrentQueue<string> Cancelled { get; } = new();

    /// <summary>Every download of an external link: the Authorization header it carried (must be
    /// none), the storage key header it carried, and the status it got.</summary>
    public ConcurrentQueue<LinkRequest> LinkRequests { get; } = new();

    /// <summary>The Authorization header of every request to the workspace API.</summary>
    public ConcurrentQueue<string?> ApiAuthorization { get; } = new();

    /// <summary>Every POST /api/2.0/sql/statements that reached the server, answered or not.</summary>
    public int SubmitAttempts => Volatile.Read(ref _submitAttempts);

    /// <summary>Submits answered 429 or 503.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public int ChunkRefreshes => Volatile.Read(ref _chunkRefreshes);

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Lifetime (expires_in) of the OAuth tokens issued from now on.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Completes when the first poll of any statement arrives.</summary>
    public Task FirstPoll => _firstPoll.Task;

    /// <summary>Completes when a held submit has reached the server (see <see cref="HoldSubmits"/>).</summary>
    public Task SubmitArrived => _submitArrived.Task;

    public sealed record LinkRequest(string? Authorization, string? StorageKey, int Status);

    private sealed record IssuedLink(string StatementId, int Chunk, string Key, bool Expired);

    private sealed class Statement(string id, string text, JsonObject request)
    {
        public string Id { get; } = id;

        public string Text { get; } = text;

        public JsonObject Request { get; } = request;

        public int Polls { get; set; }

        public bool Cancelled { get; set; }

        public bool Has(string word) => Regex.IsMatch(Text, $@"(?<![\w-]){Regex.Escape(word)}(?![\w-])");
    }

    public static async Task<FakeDatabricksWarehouse> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var address = "";
        FakeDatabricksWarehouse? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync();
        address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeDatabricksWarehouse(app, new Uri(address.TrimEnd('/') + "/"));
        return fake;
    }

    /// <summary>Makes submits wait at the server until <see cref="ReleaseSubmits"/>.</summary>
    public void HoldSubmits()
    {
        _submitGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _submitArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseSubmits() => _submitGate?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseSubmits();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/files/", StringComparison.Ordinal))
        {
            await ServeLinkAsync(context, path);
            return;
        }

        if (request.Method == "POST" && path == "/oidc/v1/token")
        {
            await IssueTokenAsync(context);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        ApiAuthorization.Enqueue(authorization.Length == 0 ? null : authorization);
        if (authorization != "Bearer " + Token && !(authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _issuedTokens.ContainsKey(authorization["Bearer ".Length..])))
        {
            await WriteJsonAsync(context, 401, new JsonObject { ["error_code"] = "UNAUTHENTICATED", ["message"] = "Invalid access token." });
            return;
        }

        var segments = path.Trim('/').Split('/');
        if (request.Method == "POST" && path == "/api/2.0/sql/statements")
        {
            await SubmitAsync(context);
            return;
        }

        if (segments.Length >= 5 && segments[..4].SequenceEqual(["api", "2.0", "sql", "statements"]) && _statements.TryGetValue(segments[4], out var known))
        {
            if (request.Method == "POST" && segments.Length == 6 && segments[5] == "cancel")
            {
                known.Cancelled = true;
                Cancelled.Enqueue(known.Id);
                await WriteJsonAsync(context, 200, new JsonObject());
                return;
            }

            if (request.Method == "GET" && segments.Length == 8 && segments[5] == "result" && segments[6] == "chunks")
            {
                var index = int.Parse(segments[7], CultureInfo.InvariantCulture);
                Interlocked.Increment(ref _chunkRefreshes);
                await WriteJsonAsync(context, 200, Chunk(known, index, refreshed: true));
                return;
            }

            if (request.Method == "GET" && segments.Length == 5)
            {
                await PollAsync(context, known);
                return;
            }
        }

        await WriteJsonAsync(context, 404, new JsonObject { ["error_code"] = "NOT_FOUND", ["message"] = $"No route {request.Method} {path}." });
    }

    private async Task SubmitAsync(HttpContext context)
    {
        Interlocked.Increment(ref _submitAttempts);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
        if (Validate(body) is { } invalid)
        {
            await WriteJsonAsync(context, 400, new JsonObject { ["error_code"] = "INVALID_PARAMETER_VALUE", ["message"] = invalid });
            return;
        }

        var statement = new Statement(Guid.NewGuid().ToString(), body["statement"]!.GetValue<string>(), body);
        var rejectOnce = (statement.Has("throttle") || statement.Has("unavailable")) && Volatile.Read(ref _rejected) < 2;
        if (rejectOnce || statement.Has("unavailable-always"))
        {
            Interlocked.Increment(ref _rejected);
            context.Response.Headers.RetryAfter = "0";
            var status = statement.Has("throttle") ? 429 : 503;
            await WriteJsonAsync(context, status, new JsonObject
            {
                ["error_code"] = status == 429 ? "RESOURCE_EXHAUSTED" : "TEMPORARILY_UNAVAILABLE",
                ["message"] = status == 429 ? "Too many requests." : "The service is temporarily unavailable.",
            });
            return;
        }

        if (statement.Has("numeric"))
        {
            await WriteJsonAsync(context, 400, JsonNode.Parse("""{"error_code": 1001, "message": "Numeric error code from an older API."}""")!.AsObject());
            return;
        }

        if (statement.Has("html"))
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><head><title>Error 500 Server Error</title></head><body><h2>HTTP ERROR 500</h2><pre>Server Error &amp; retry later.</pre></body></html>");
            return;
        }

        Submitted.Enqueue(body);
        _statements[statement.Id] = statement;
        if (_submitGate is { } gate)
        {
            _submitArrived.TrySetResult();
            await gate.Task;
        }

        if (statement.Has("drop"))
        {
            // The statement was accepted and runs; the answer is lost on the way back.
            context.Abort();
            return;
        }

        await WriteJsonAsync(context, 200, Response(statement, initial: true));
    }

    private async Task PollAsync(HttpContext context, Statement statement)
    {
        statement.Polls++;
        _firstPoll.TrySetResult();
        if (statement.Polls == 1 && statement.Has("poll-drop"))
        {
            context.Abort();
            return;
        }

        if (statement.Polls == 1 && statement.Has("poll-unavailable"))
        {
            context.Response.Headers.RetryAfter = "0";
            await WriteJsonAsync(context, 503, new JsonObject { ["error_code"] = "TEMPORARILY_UNAVAILABLE", ["message"] = "Try again." });
            return;
        }

        await WriteJsonAsync(context, 200, Response(statement, initial: false));
    }

    /// <summary>The checks the API makes before running anything (documented bounds).</summary>
    private static string? Validate(JsonObject body)
    {
        if (string.IsNullOrEmpty(body["warehouse_id"]?.GetValue<string>()))
        {
            return "warehouse_id is required.";
        }

        if (string.IsNullOrEmpty(body["statement"]?.GetValue<string>()))
        {
            return "statement is required.";
        }

        if (body["wait_timeout"]?.GetValue<string>() is { } wait)
        {
            var match = WaitTimeoutPattern().Match(wait);
            if (!match.Success || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var seconds && seconds != 0 && seconds is < 5 or > 50)
            {
                return $"wait_timeout must be 0s or between 5s and 50s; got '{wait}'.";
            }
        }

        if (body["on_wait_timeout"]?.GetValue<string>() is { } onWait && onWait is not ("CONTINUE" or "CANCEL"))
        {
            return $"on_wait_timeout must be CONTINUE or CANCEL; got '{onWait}'.";
        }

        var disposition = body["disposition"]?.GetValue<string>() ?? "INLINE";
        var format = body["format"]?.GetValue<string>() ?? "JSON_ARRAY";
        if (disposition is not ("INLINE" or "EXTERNAL_LINKS"))
        {
            return $"disposition '{disposition}' is not INLINE or EXTERNAL_LINKS.";
        }

        if (format is not ("JSON_ARRAY" or "ARROW_STREAM" or "CSV"))
        {
            return $"format '{format}' is not JSON_ARRAY, ARROW_STREAM or CSV.";
        }

        if (disposition == "INLINE" && format != "JSON_ARRAY")
        {
            return $"format {format} is supported only with EXTERNAL_LINKS disposition.";
        }

        foreach (var limit in new[] { "row_limit", "byte_limit" })
        {
            if (body[limit] is { } value && (!long.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0))
            {
                return $"{limit} must be a positive integer; got {value.ToJsonString()}.";
            }
        }

        return null;
    }

    private JsonObject Response(Statement statement, bool initial)
    {
        var state = statement switch
        {
            { Cancelled: true } => "CANCELED",
            _ when statement.Has("hang") => "RUNNING",
            _ when statement.Has("slow") => initial ? "PENDING" : statement.Polls < 2 ? "RUNNING" : "SUCCEEDED",
            _ when statement.Has("poll-drop") || statement.Has("poll-unavailable") => initial ? "PENDING" : "SUCCEEDED",
            _ when statement.Has("fail") => "FAILED",
            _ when statement.Has("closed") => initial ? "PENDING" : "CLOSED",
            _ when statement.Has("canceled") => "CANCELED",
            _ => "SUCCEEDED",
        };
        var response = new JsonObject { ["statement_id"] = statement.Id, ["status"] = new JsonObject { ["state"] = state } };
        if (state == "SUCCEEDED" && IsInline(statement) && InlineBytes(statement) > InlineLimitBytes)
        {
            state = "FAILED";
            response["status"] = new JsonObject
            {
                ["state"] = state,
                ["error"] = new JsonObject
                {
                    ["error_code"] = "BAD_REQUEST",
                    ["message"] = "The result set is larger than the 25 MiB limit of INLINE disposition; use EXTERNAL_LINKS disposition.",
                },
            };
        }

        if (state == "FAILED" && response["status"]!["error"] is null)
        {
            response["status"]!["error"] = new JsonObject { ["error_code"] = "BAD_REQUEST", ["message"] = "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found." };
            response["status"]!["sql_state"] = "42P01";
        }

        if (state != "SUCCEEDED")
        {
            return response;
        }

        var (columns, rows, truncated) = Rows(statement);
        var chunks = Math.Max(1, (rows.Count + RowsPerChunk - 1) / RowsPerChunk);
        if (IsInline(statement) && !statement.Has("chunks"))
        {
            chunks = 1;
        }

        response["manifest"] = new JsonObject
        {
            ["format"] = IsInline(statement) ? "JSON_ARRAY" : "ARROW_STREAM",
            ["schema"] = new JsonObject { ["column_count"] = columns.Count, ["columns"] = new JsonArray([.. columns.Select((c, i) => Column(c, i))]) },
            ["total_chunk_count"] = chunks,
            ["total_row_count"] = rows.Count,
            ["truncated"] = truncated,
        };
        response["result"] = Chunk(statement, 0, refreshed: false);
        return response;
    }

    private static bool IsInline(Statement statement) => (statement.Request["disposition"]?.GetValue<string>() ?? "INLINE") == "INLINE";

    private static long InlineBytes(Statement statement) =>
        Regex.Match(statement.Text, @"big:(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1024 : 0;

    private static JsonObject Column((string Name, string TypeName, string TypeText) c, int position)
    {
        var column = new JsonObject { ["name"] = c.Name, ["position"] = position, ["type_name"] = c.TypeName, ["type_text"] = c.TypeText };
        if (c.TypeName == "DECIMAL")
        {
            var ps = Regex.Match(c.TypeText, @"\((\d+),\s*(\d+)\)");
            column["type_precision"] = int.Parse(ps.Groups[1].Value, CultureInfo.InvariantCulture);
            column["type_scale"] = int.Parse(ps.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return column;
    }

    /// <summary>The statement's full result as JSON_ARRAY cells, cut by row_limit.</summary>
    private static (List<(string Name, string TypeName, string TypeText)> Columns, List<string?[]> Rows, bool Truncated) Rows(Statement statement)
    {
        List<(string, string, string)> columns;
        List<string?[]> rows;
        if (statement.Has("types"))
        {
            columns =
            [
                ("bin", "BINARY", "BINARY"), ("arr", "ARRAY", "ARRAY<INT>"), ("m", "MAP", "MAP<STRING, INT>"),
                ("s", "STRUCT", "STRUCT<x: INT, y: STRING NOT NULL COMMENT 'why, not what'>"), ("big", "DECIMAL", "DECIMAL(38,2)"),
                ("small", "DECIMAL", "DECIMAL(38,2)"), ("ntz", "TIMESTAMP_NTZ", "TIMESTAMP_NTZ"), ("ts", "TIMESTAMP", "TIMESTAMP"),
            ];
            rows =
            [
                ["48656C6C6F", "[1,2,null]", """{"a":1,"b":2}""", """{"x":7,"y":"seven"}""", "123456789012345678901234567890123456.78", "1.50", "2024-02-29T12:34:56.789", "2024-02-29T12:34:56.789Z"],
                [null, null, null, null, null, null, null, null],
            ];
        }
        else
        {
            columns = [("id", "LONG", "BIGINT"), ("name", "STRING", "STRING"), ("amount", "DECIMAL", "DECIMAL(10,2)")];
            var count = statement.Has("chunks") || !IsInline(statement) ? 4 : 2;
            rows = [.. Enumerable.Range(0, count).Select(i => new[] { (i + 1).ToString(CultureInfo.InvariantCulture), i % 2 == 0 ? "a" + (i / 2) : null, i % 2 == 0 ? "1.50" : null })];
        }

        var limit = statement.Request["row_limit"]?.GetValue<long>();
        var truncated = limit is long l && l < rows.Count;
        return (columns, truncated ? rows[..(int)limit!.Value] : rows, truncated);
    }

    private JsonObject Chunk(Statement statement, int index, bool refreshed)
    {
        var (_, rows, _) = Rows(statement);
        var inlineWhole = IsInline(statement) && !statement.Has("chunks");
        var chunkRows = inlineWhole ? rows : rows.Skip(index * RowsPerChunk).Take(RowsPerChunk).ToList();
        var chunks = inlineWhole ? 1 : Math.Max(1, (rows.Count + RowsPerChunk - 1) / RowsPerChunk);
        var chunk = new JsonObject { ["chunk_index"] = index, ["row_offset"] = index * RowsPerChunk, ["row_count"] = chunkRows.Count };
        if (IsInline(statement))
        {
            chunk["data_array"] = new JsonArray([.. chunkRows.Select(r => new JsonArray([.. r.Select(v => (JsonNode?)v)]))]);
            if (index + 1 < chunks)
            {
                chunk["next_chunk_index"] = index + 1;
                chunk["next_chunk_internal_link"] = statement.Has("foreign-link")
                    ? $"//elsewhere.example/api/2.0/sql/statements/{statement.Id}/result/chunks/{index + 1}"
                    : $"/api/2.0/sql/statements/{statement.Id}/result/chunks/{index + 1}";
            }

            return chunk;
        }

        // EXTERNAL_LINKS: the chunk is a signed link; "expired" issues stale links first time round,
        // "skew" links the storage refuses although their expiration still looks valid.
        var signature = Guid.NewGuid().ToString("N");
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var staleOnStorage = statement.Has("skew") && !refreshed;
        _links[signature] = new IssuedLink(statement.Id, index, key, Expired: staleOnStorage || (statement.Has("expired") && !refreshed));
        var link = new JsonObject
        {
            ["chunk_index"] = index,
            ["row_offset"] = index * RowsPerChunk,
            ["row_count"] = chunkRows.Count,
            ["byte_count"] = 512,
            ["external_link"] = new Uri(BaseUri, $"files/{statement.Id}/{index}?sig={signature}").ToString(),
            ["http_headers"] = new JsonObject { ["x-fake-storage-key"] = key },
            ["expiration"] = statement.Has("expired") && !refreshed ? "2000-01-01T00:00:00.000Z" : DateTimeOffset.UtcNow.AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (index + 1 < chunks)
        {
            link["next_chunk_index"] = index + 1;
            link["next_chunk_internal_link"] = $"/api/2.0/sql/statements/{statement.Id}/result/chunks/{index + 1}";
        }

        return new JsonObject { ["external_links"] = new JsonArray(link) };
    }

    /// <summary>The storage behind external links: an expired signature gets 403 (as S3 and Azure
    /// answer), a missing or wrong <c>http_headers</c> value 400.</summary>
    private async Task ServeLinkAsync(HttpContext context, string path)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var key = context.Request.Headers["x-fake-storage-key"].ToString();
        var signature = context.Request.Query["sig"].ToString();
        int status;
        if (!_links.TryGetValue(signature, out var issued))
        {
            status = 403;
        }
        else if (issued.Expired)
        {
            status = 403;
        }
        else if (key != issued.Key)
        {
            status = 400;
        }
        else
        {
            status = 200;
        }

        LinkRequests.Enqueue(new LinkRequest(authorization.Length == 0 ? null : authorization, key.Length == 0 ? null : key, status));
        if (status != 200)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(status == 403
                ? "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                : "<Error><Code>InvalidRequest</Code><Message>The encryption key header is missing or wrong.</Message></Error>");
            return;
        }

        var statement = _statements[issued!.StatementId];
        var (_, rows, _) = Rows(statement);
        var chunkRows = rows.Skip(issued.Chunk * RowsPerChunk).Take(RowsPerChunk).ToList();
        var batch = statement.Has("types") ? TypesBatch(statement.Has("jsontext")) : StandardBatch(chunkRows);
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            await writer.WriteRecordBatchAsync(batch);
            await writer.WriteEndAsync();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/vnd.apache.arrow.stream";
        await context.Response.Body.WriteAsync(stream.ToArray());
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));
        if (context.Request.Headers.Authorization.ToString() != expected)
        {
            await WriteJsonAsync(context, 401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Client authentication failed." });
            return;
        }

        if (form["grant_type"] != "client_credentials" || form["scope"] != "all-apis")
        {
            await WriteJsonAsync(context, 400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "grant_type and scope are required." });
            return;
        }

        var token = "oauth-" + Interlocked.Increment(ref _tokensIssued).ToString(CultureInfo.InvariantCulture);
        _issuedTokens[token] = true;
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["scope"] = "all-apis",
        });
    }

    private static RecordBatch StandardBatch(List<string?[]> rows) => new RecordBatch.Builder()
        .Append("id", false, col => col.Int64(a => a.AppendRange(rows.Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)))))
        .Append("name", true, col => col.String(a =>
        {
            foreach (var r in rows)
            {
                if (r[1] is null)
                {
                    a.AppendNull();
                }
                else
                {
                    a.Append("arrow-" + r[1]);
                }
            }
        }))
        .Append("amount", true, col => col.Decimal128(new Decimal128Type(10, 2), a =>
        {
            foreach (var r in rows)
            {
                if (r[2] is null)
                {
                    a.AppendNull();
                }
                else
                {
                    a.Append(decimal.Parse(r[2]!, CultureInfo.InvariantCulture));
                }
            }
        }))
        .Build();

    /// <summary>The "types" row and an all-null row as Arrow: complex values native (List, Map,
    /// Struct) or, with "jsontext", as the JSON text a warehouse may serialize them to.</summary>
    private static RecordBatch TypesBatch(bool complexAsJson)
    {
        var bin = new BinaryArray.Builder().Append("Hello"u8).AppendNull().Build();
        IArrowArray arr, map, strct;
        if (complexAsJson)
        {
            arr = new StringArray.Builder().Append("[1,2,null]").AppendNull().Build();
            map = new StringArray.Builder().Append("""{"a":1,"b":2}""").AppendNull().Build();
            strct = new StringArray.Builder().Append("""{"x":7,"y":"seven"}""").AppendNull().Build();
        }
        else
        {
            var list = new ListArray.Builder(Int32Type.Default);
            list.Append();
            ((Int32Array.Builder)list.ValueBuilder).Append(1).Append(2).AppendNull();
            list.AppendNull();
            arr = list.Build();

            var mapBuilder = new MapArray.Builder(new MapType(StringType.Default, Int32Type.Default));
            mapBuilder.Append();
            ((StringArray.Builder)mapBuilder.KeyBuilder).Append("a").Append("b");
            ((Int32Array.Builder)mapBuilder.ValueBuilder).Append(1).Append(2);
            mapBuilder.AppendNull();
            map = mapBuilder.Build();

            var structType = new StructType([new Field("x", Int32Type.Default, true), new Field("y", StringType.Default, false)]);
            var validity = new ArrowBuffer.BitmapBuilder().Append(true).Append(false).Build();
            strct = new StructArray(
                structType,
                2,
                [new Int32Array.Builder().Append(7).Append(0).Build(), new StringArray.Builder().Append("seven").Append("").Build()],
                validity,
                1);
        }

        var big = new Decimal128Array.Builder(new Decimal128Type(38, 2)).Append(SqlDecimal.Parse("123456789012345678901234567890123456.78")).AppendNull().Build();
        var small = new Decimal128Array.Builder(new Decimal128Type(38, 2)).Append(1.50m).AppendNull().Build();
        var instant = new DateTimeOffset(2024, 2, 29, 12, 34, 56, 789, TimeSpan.Zero);
        var ntz = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, (string?)null)).Append(instant).AppendNull().Build();
        var ts = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "Etc/UTC")).Append(instant).AppendNull().Build();
        IArrowArray[] arrays = [bin, arr, map, strct, big, small, ntz, ts];
        var schema = new Schema.Builder();
        string[] names = ["bin", "arr", "m", "s", "big", "small", "ntz", "ts"];
        for (var i = 0; i < names.Length; i++)
        {
            schema.Field(new Field(names[i], arrays[i].Data.DataType, true));
        }

        return new RecordBatch(schema.Build(), arrays, 2);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    [GeneratedRegex(@"^(\d+)s$")]
    private static partial Regex WaitTimeoutPattern();
}
