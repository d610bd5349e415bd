using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Modernizer.Agents.Tests.Fakes;

/// <summary>A scripted stand-in for the Anthropic Messages API, served by Kestrel on 127.0.0.1 port 0
/// (the OS picks a free port; nothing is guessed). Faithful to the wire format the API documents:
/// POST /v1/messages authenticated by an <c>x-api-key</c> header (a request without one is refused with
/// 401 authentication_error, as the API does; a key sent as <c>Authorization: Bearer</c> is not one) and
/// an <c>anthropic-version</c> header of a version the API knows (else 400 invalid_request_error);
/// message bodies with text and tool_use content blocks, stop_reason and usage{input_tokens,
/// output_tokens}; error bodies {"type":"error","error":{"type":...,"message":...}} with retry-after.</summary>
internal sealed class FakeAnthropicServer : IAsyncDisposable
{
    /// <summary>The versions the Messages API documents.</summary>
    public static readonly IReadOnlySet<string> KnownVersions = new HashSet<string>(StringComparer.Ordinal) { "2023-06-01", "2023-01-01" };

    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly WebApplication _app;

    public FakeAnthropicServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ServeAsync);
        // Started off the test's synchronization context: the constructor waits for the bound address.
        Task.Run(() => _app.StartAsync()).GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
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

    /// <summary>The key a request authenticated with: the <c>x-api-key</c> header, the only place the
    /// Messages API reads an API key from.</summary>
    public static string? ApiKeyOf(IReadOnlyDictionary<string, string> headers) =>
        headers.TryGetValue("x-api-key", out var key) && key.Length > 0 ? key : null;

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

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var received = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body);
        _received.Enqueue(received);

        Reply reply;
        if (context.Request.Method != "POST" || context.Request.Path != "/v1/messages")
        {
            reply = Error(404, "not_found_error", "Only POST /v1/messages is served.");
        }
        else if (ApiKeyOf(headers) is null)
        {
            reply = Error(401, "authentication_error", "x-api-key header is required");
        }
        else if (!headers.TryGetValue("anthropic-version", out var version) || !KnownVersions.Contains(version))
        {
            reply = Error(400, "invalid_request_error", "anthropic-version: header is required and must be a valid API version");
        }
        else if (!_script.TryDequeue(out reply!))
        {
            reply = Responder?.Invoke(received) ?? Fallback ?? Error(500, "api_error", "The fake server's script is empty.");
        }

        if (reply.Delay is { } delay)
        {
            // Kestrel serves each request on its own: a slow answer does not hold up the retries behind it.
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
            try
            {
                await Task.Delay(delay, both.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up on the request (its timeout) or the server stopped: nothing to answer.
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["request-id"] = "req_fake";
        if (reply.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>An answer; <see cref="Delay"/> holds it back (a slow or hung server).</summary>
    internal sealed record Reply(int Status, string Body, int? RetryAfterSeconds, TimeSpan? Delay = null);

    internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;
    }
}
