using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>The Statement Execution API 2.0 over HTTP: authentication, retries and error mapping.
/// Retries differ by what a repeat could do (checked against the official SDKs, which retry 429
/// and 503 honouring Retry-After — databricks-sdk-go <c>apierr.IsRetriable</c>, databricks-sdk-py
/// <c>_RetryAfterCustomizer</c>):
/// <list type="bullet">
/// <item><c>POST /statements</c> is retried only on 429 and 503, which the service answers before
/// running anything. A request lost in transit is not resent: the API has no idempotency key, so a
/// resend could run an INSERT twice (the SDKs do retry I/O errors for every method; this engine is
/// stricter on purpose).</item>
/// <item>Reads (polls, chunks, external links) and cancel are idempotent: they are also retried on
/// 502, 504, a connection failure and a timeout.</item>
/// </list>
/// Every HTTP error becomes <see cref="DatabricksSqlException"/> (<see cref="DatabricksErrorParser"/>).</summary>
internal sealed class DatabricksApi : IDisposable
{
    private const string StatementsPath = "api/2.0/sql/statements";

    private readonly HttpClient _http;
    private readonly Uri _host;
    private readonly IDatabricksCredentials _credentials;
    private readonly ResiliencePipeline<HttpResponseMessage> _submitRetry;
    private readonly ResiliencePipeline<HttpResponseMessage> _readRetry;

    public DatabricksApi(HttpClient http, Uri host, IDatabricksCredentials credentials, int maxRetries, TimeSpan baseDelay)
    {
        _http = http;
        _host = host.AbsoluteUri.EndsWith('/') ? host : new Uri(host.AbsoluteUri + "/");
        _credentials = credentials;
        _submitRetry = Pipeline(maxRetries, baseDelay, new PredicateBuilder<HttpResponseMessage>()
            .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable));
        _readRetry = Pipeline(maxRetries, baseDelay, new PredicateBuilder<HttpResponseMessage>()
            .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            .Handle<HttpRequestException>()
            .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException));
    }

    public Task<JsonObject> ExecuteStatementAsync(JsonObject body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, StatementsPath, body, _submitRetry, cancellationToken);

    public Task<JsonObject> GetStatementAsync(string statementId, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, $"{StatementsPath}/{Uri.EscapeDataString(statementId)}", null, _readRetry, cancellationToken);

    public Task<JsonObject> GetChunkAsync(string statementId, long chunkIndex, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, $"{StatementsPath}/{Uri.EscapeDataString(statementId)}/result/chunks/{chunkIndex}", null, _readRetry, cancellationToken);

    /// <summary>Follows <c>next_chunk_internal_link</c>, an absolute path on the workspace. A link
    /// that would leave the workspace host is refused: it would carry the workspace credential.</summary>
    public Task<JsonObject> GetInternalLinkAsync(string link, CancellationToken cancellationToken)
    {
        if (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal) || !Uri.TryCreate(_host, link, out var uri) || uri.Authority != _host.Authority)
        {
            throw new DatabricksSqlException("The warehouse returned a next_chunk_internal_link that is not a path on the workspace; it is not followed.");
        }

        return SendJsonAsync(HttpMethod.Get, link.TrimStart('/'), null, _readRetry, cancellationToken);
    }

    public Task<JsonObject> CancelAsync(string statementId, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, $"{StatementsPath}/{Uri.EscapeDataString(statementId)}/cancel", new JsonObject(), _readRetry, cancellationToken);

    /// <summary>GETs a pre-signed external link with the headers the API listed for it
    /// (<c>http_headers</c>, e.g. a storage decryption key) and never the workspace's Authorization
    /// header, which the API forbids sending to the storage host. Returns the response unread.</summary>
    public async Task<HttpResponseMessage> GetExternalLinkAsync(Uri link, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        try
        {
            return await _readRetry.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, link);
                    foreach (var (name, value) in headers)
                    {
                        if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                        {
                            request.Headers.TryAddWithoutValidation(name, value);
                        }
                    }

                    return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                },
                cancellationToken);
        }
        catch (Exception e) when (IsTransport(e, cancellationToken))
        {
            // The message names no URL: a pre-signed link is a credential.
            throw new DatabricksSqlException("Downloading a result chunk failed in transit after retries: " + e.GetType().Name, e);
        }
    }

    private async Task<JsonObject> SendJsonAsync(HttpMethod method, string path, JsonObject? body, ResiliencePipeline<HttpResponseMessage> retry, CancellationToken cancellationToken)
    {
        var uri = new Uri(_host, path);
        var operation = $"{method} /{path}";
        HttpResponseMessage response;
        try
        {
            response = await retry.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(method, uri);
                    request.Headers.Authorization = await _credentials.AuthorizationAsync(token);
                    if (body is not null)
                    {
                        request.Content = JsonContent.Create(body);
                    }

                    return await _http.SendAsync(request, token);
                },
                cancellationToken);
        }
        catch (Exception e) when (IsTransport(e, cancellationToken))
        {
            var resend = ReferenceEquals(retry, _submitRetry)
                ? "; the statement may have started on the warehouse and is not resent (a resend could run it twice)"
                : " after retries";
            throw new DatabricksSqlException($"Databricks API {operation} failed in transit{resend}: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw DatabricksErrorParser.Parse(operation, response.StatusCode, response.ReasonPhrase, text);
            }

            if (text.Length == 0)
            {
                return new JsonObject();
            }

            try
            {
                return JsonNode.Parse(text) as JsonObject ?? throw new DatabricksSqlException($"Databricks API {operation} returned JSON that is not an object.");
            }
            catch (JsonException e)
            {
                throw new DatabricksSqlException($"Databricks API {operation} returned {(int)response.StatusCode} with a body that is not JSON.", e);
            }
        }
    }

    private static bool IsTransport(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(int maxRetries, TimeSpan baseDelay, PredicateBuilder<HttpResponseMessage> handle)
    {
        if (maxRetries == 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }

        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    // The answer being retried is discarded: release its connection.
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Retry-After in seconds or as a date, as 429 and 503 answers carry it.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    public void Dispose() => _http.Dispose();
}
