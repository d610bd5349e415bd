using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Modernizer.Agents.Tests.Fakes;

/// <summary>A scripted stand-in for the Anthropic Messages API on 127.0.0.1 (random port), faithful to
/// its wire format: POST /v1/messages with x-api-key and anthropic-version headers; message bodies with
/// text and tool_use content blocks, stop_reason and usage{input_tokens, output_tokens}; error bodies
/// {"type":"error","error":{"type":"rate_limit_error"|"overloaded_error"|"api_error",...}} with retry-after.</summary>
internal sealed class FakeAnthropicServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeAnthropicServer()
    {
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Answers computed from the request, used when the script is empty and before the fallback.</summary>
    public Func<ReceivedRequest, Reply>? Responder { get; set; }

    /// <summary>What to answer when the script is empty (a clear failure rather than a hang).</summary>
    public Reply? Fallback { get; set; }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public FakeAnthropicServer Enqueue(Reply reply)
    {
        _script.Enqueue(reply);
        return this;
    }

    public static Reply Text(string text, string stopReason = "end_turn", int input = 120, int output = 40) =>
        Message(stopReason, input, output, new JsonObject { ["type"] = "text", ["text"] = text });

    public static Reply ToolUse(string id, string name, JsonObject arguments, int input = 100, int output = 20) =>
        Message("tool_use", input, output, new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = arguments });

    public static Reply Error(int status, string type, string message, int? retryAfterSeconds = null) =>
        new(status,
            new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString(),
            retryAfterSeconds);

    private static Reply Message(string stopReason, int input, int output, params JsonNode[] content) =>
        new(200, new JsonObject
        {
            ["id"] = "msg_" + Guid.NewGuid().ToString("N")[..20],
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "claude-sonnet-4-5",
            ["content"] = new JsonArray(content),
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = output },
        }.ToJsonString(), null);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k] ?? "", StringComparer.Ordinal);
            _received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));

            Reply reply;
            if (context.Request.HttpMethod != "POST" || context.Request.Url.AbsolutePath != "/v1/messages")
            {
                reply = Error(404, "not_found_error", "Only POST /v1/messages is served.");
            }
            else if (ApiKeyOf(headers) is null || !headers.ContainsKey("anthropic-version"))
            {
                reply = Error(401, "authentication_error", "An x-api-key (or Authorization: Bearer) header and an anthropic-version header are required.");
            }
            else if (!_script.TryDequeue(out reply!))
            {
                reply = Responder?.Invoke(_received.Last()) ?? Fallback ?? Error(500, "api_error", "The fake server's script is empty.");
            }

            if (reply.Delay is { } delay)
            {
                // A slow answer must not hold up the requests behind it (the client retries meanwhile).
                _ = RespondLaterAsync(context, reply, delay);
                continue;
            }

            await RespondAsync(context, reply);
        }
    }

    private async Task RespondLaterAsync(HttpListenerContext context, Reply reply, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
            await RespondAsync(context, reply);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up on the request (its timeout) or the server stopped: nothing to answer.
        }
    }

    private static async Task RespondAsync(HttpListenerContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["request-id"] = "req_fake";
        if (reply.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    /// <summary>The key a request authenticated with: the x-api-key header, or the bearer token that this
    /// SDK version sends its API key as.</summary>
    public static string? ApiKeyOf(IReadOnlyDictionary<string, string> headers) =>
        headers.TryGetValue("x-api-key", out var key) ? key
        : headers.TryGetValue("authorization", out var auth) && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..]
        : null;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // The listener was closed under a pending accept: that is how the loop ends.
        }

        _stop.Dispose();
    }

    /// <summary>An answer; <see cref="Delay"/> holds it back (a slow or hung server).</summary>
    internal sealed record Reply(int Status, string Body, int? RetryAfterSeconds, TimeSpan? Delay = null);

    internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;
    }
}
