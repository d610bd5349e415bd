using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Modernizer.Lake.Tests.Engines;

/// <summary>A local stand-in for a Databricks SQL warehouse that speaks the Statement Execution API
/// 2.0 wire format (statements, polling, chunks, external links, cancel, errors). What a statement
/// does is chosen by its text: "slow", "fail", "throttle", "hang", "chunks", "arrow". Served by Kestrel
/// on 127.0.0.1 port 0: the OS picks the port, nothing is guessed.</summary>
internal sealed class FakeDatabricksWarehouse : IDisposable
{
    public const string Token = "dapi-test-token";

    private readonly ConcurrentDictionary<string, Statement> _statements = new();
    private readonly WebApplication _app;
    private int _throttled;
    private int _polls;

    public FakeDatabricksWarehouse()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        // Started off the test's synchronization context: the constructor waits for the bound address.
        Task.Run(() => _app.StartAsync()).GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<JsonObject> Submitted { get; } = new();

    public ConcurrentQueue<string> Cancelled { get; } = new();

    /// <summary>Authorization header seen on requests for external links (must stay empty).</summary>
    public ConcurrentQueue<string?> LinkAuthorization { get; } = new();

    public int Throttled => _throttled;

    public int Polls => Volatile.Read(ref _polls);

    private sealed class Statement(string id, string text)
    {
        public string Id { get; } = id;

        public string Text { get; } = text;

        public int Polls { get; set; }

        public bool Cancelled { get; set; }
    }

    /// <summary>Kestrel serves each request on its own: a client abandoning one request does not block the next.</summary>
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var authorization = request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString();
        if (path.StartsWith("/files/", StringComparison.Ordinal))
        {
            LinkAuthorization.Enqueue(authorization);
            var bytes = await ArrowChunkAsync(int.Parse(path["/files/chunk".Length..], System.Globalization.CultureInfo.InvariantCulture));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/vnd.apache.arrow.stream";
            await context.Response.Body.WriteAsync(bytes);
            return;
        }

        if (authorization != "Bearer " + Token)
        {
            await WriteAsync(context.Response, 401, new JsonObject { ["error_code"] = "UNAUTHENTICATED", ["message"] = "Invalid access token." });
            return;
        }

        var segments = path.Trim('/').Split('/');
        if (request.Method == "POST" && path == "/api/2.0/sql/statements")
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            var text = body["statement"]!.GetValue<string>();
            if (text.Contains("throttle", StringComparison.Ordinal) && Interlocked.Increment(ref _throttled) <= 2)
            {
                context.Response.Headers["Retry-After"] = "0";
                await WriteAsync(context.Response, 429, new JsonObject { ["error_code"] = "RESOURCE_EXHAUSTED", ["message"] = "Too many requests." });
                return;
            }

            Submitted.Enqueue(body);
            var statement = new Statement(Guid.NewGuid().ToString(), text);
            _statements[statement.Id] = statement;
            await WriteAsync(context.Response, 200, Response(statement, body["disposition"]?.GetValue<string>() ?? "INLINE", initial: true));
            return;
        }

        if (segments.Length >= 5 && _statements.TryGetValue(segments[4], out var known))
        {
            if (request.Method == "POST" && segments.Length == 6 && segments[5] == "cancel")
            {
                known.Cancelled = true;
                Cancelled.Enqueue(known.Id);
                await WriteAsync(context.Response, 200, new JsonObject());
                return;
            }

            if (request.Method == "GET" && segments.Length == 8 && segments[5] == "result" && segments[6] == "chunks")
            {
                var index = int.Parse(segments[7], System.Globalization.CultureInfo.InvariantCulture);
                await WriteAsync(context.Response, 200, known.Text.Contains("arrow", StringComparison.Ordinal)
                    ? new JsonObject { ["external_links"] = new JsonArray(Link(index, known.Id, chunks: 2)) }
                    : InlineChunk(index));
                return;
            }

            if (request.Method == "GET" && segments.Length == 5)
            {
                known.Polls++;
                Interlocked.Increment(ref _polls);
                var disposition = known.Text.Contains("arrow", StringComparison.Ordinal) ? "EXTERNAL_LINKS" : "INLINE";
                await WriteAsync(context.Response, 200, Response(known, disposition, initial: false));
                return;
            }
        }

        await WriteAsync(context.Response, 404, new JsonObject { ["error_code"] = "NOT_FOUND", ["message"] = $"No route {request.Method} {path}." });
    }

    private JsonObject Response(Statement statement, string disposition, bool initial)
    {
        string state;
        if (statement.Cancelled)
        {
            state = "CANCELED";
        }
        else if (statement.Text.Contains("hang", StringComparison.Ordinal))
        {
            state = "RUNNING";
        }
        else if (statement.Text.Contains("slow", StringComparison.Ordinal))
        {
            state = initial ? "PENDING" : statement.Polls < 2 ? "RUNNING" : "SUCCEEDED";
        }
        else if (statement.Text.Contains("fail", StringComparison.Ordinal))
        {
            state = "FAILED";
        }
        else
        {
            state = "SUCCEEDED";
        }

        var response = new JsonObject { ["statement_id"] = statement.Id, ["status"] = new JsonObject { ["state"] = state } };
        if (state == "FAILED")
        {
            response["status"]!["error"] = new JsonObject { ["error_code"] = "BAD_REQUEST", ["message"] = "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found." };
            response["status"]!["sql_state"] = "42P01";
        }

        if (state != "SUCCEEDED")
        {
            return response;
        }

        var chunks = statement.Text.Contains("chunks", StringComparison.Ordinal) || disposition == "EXTERNAL_LINKS" ? 2 : 1;
        response["manifest"] = new JsonObject
        {
            ["format"] = disposition == "INLINE" ? "JSON_ARRAY" : "ARROW_STREAM",
            ["schema"] = new JsonObject
            {
                ["column_count"] = 3,
                ["columns"] = new JsonArray(
                    new JsonObject { ["name"] = "id", ["position"] = 0, ["type_name"] = "LONG", ["type_text"] = "BIGINT" },
                    new JsonObject { ["name"] = "name", ["position"] = 1, ["type_name"] = "STRING", ["type_text"] = "STRING" },
                    new JsonObject { ["name"] = "amount", ["position"] = 2, ["type_name"] = "DECIMAL", ["type_text"] = "DECIMAL(10,2)" }),
            },
            ["total_chunk_count"] = chunks,
            ["total_row_count"] = chunks * 2,
            ["truncated"] = false,
        };
        if (disposition == "INLINE")
        {
            var first = InlineChunk(0);
            if (chunks == 1)
            {
                first.Remove("next_chunk_index");
                first.Remove("next_chunk_internal_link");
            }
            else
            {
                first["next_chunk_internal_link"] = $"/api/2.0/sql/statements/{statement.Id}/result/chunks/1";
            }

            response["result"] = first;
        }
        else
        {
            response["result"] = new JsonObject
            {
                ["external_links"] = new JsonArray(Link(0, statement.Id, chunks)),
            };
        }

        return response;
    }

    /// <summary>One chunk's pre-signed link; all but the last point at the next chunk.</summary>
    private JsonObject Link(int index, string statementId, int chunks)
    {
        var link = new JsonObject
        {
            ["chunk_index"] = index,
            ["row_offset"] = index * 2,
            ["row_count"] = 2,
            ["byte_count"] = 512,
            ["external_link"] = new Uri(BaseUri, $"files/chunk{index}").ToString(),
            ["expiration"] = "2099-01-01T00:00:00.000Z",
        };
        if (index + 1 < chunks)
        {
            link["next_chunk_index"] = index + 1;
            link["next_chunk_internal_link"] = $"/api/2.0/sql/statements/{statementId}/result/chunks/{index + 1}";
        }

        return link;
    }

    private static JsonObject InlineChunk(int index)
    {
        var chunk = new JsonObject
        {
            ["chunk_index"] = index,
            ["row_offset"] = index * 2,
            ["row_count"] = 2,
            ["data_array"] = new JsonArray(
                new JsonArray((index * 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "a" + index, "1.50"),
                new JsonArray((index * 2 + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), null, null)),
        };
        return chunk;
    }

    private static async Task<byte[]> ArrowChunkAsync(int index)
    {
        var batch = new RecordBatch.Builder()
            .Append("id", false, col => col.Int64(a => a.AppendRange([index * 2 + 1L, index * 2 + 2L])))
            .Append("name", true, col => col.String(a => a.Append("arrow" + index).AppendNull()))
            .Append("amount", true, col => col.Decimal128(new Apache.Arrow.Types.Decimal128Type(10, 2), a => a.Append(2.25m).AppendNull()))
            .Build();
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            await writer.WriteRecordBatchAsync(batch);
            await writer.WriteEndAsync();
        }

        return stream.ToArray();
    }

    private static async Task WriteAsync(HttpResponse response, int status, JsonObject body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        await response.Body.WriteAsync(bytes);
    }

    public void Dispose()
    {
        Task.Run(async () =>
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }).GetAwaiter().GetResult();
    }
}
