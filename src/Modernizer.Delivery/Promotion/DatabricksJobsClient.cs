using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace Modernizer.Delivery.Promotion;

/// <summary>A run's state from runs/get: <c>state.life_cycle_state</c>, <c>state.result_state</c>, <c>state.state_message</c>.</summary>
public sealed record RunState(long RunId, string LifeCycleState, string? ResultState, string? Message, string? RunPageUrl)
{
    public bool IsTerminal => LifeCycleState is "TERMINATED" or "SKIPPED" or "INTERNAL_ERROR";

    public bool Succeeded => LifeCycleState == "TERMINATED" && ResultState == "SUCCESS";
}

/// <summary>A Databricks workspace's Jobs API 2.1 (and the Workspace API's import for the bundle's files),
/// with the data plane's conventions: the token from an environment variable, never logged; 429 and 503
/// retried with exponential backoff honouring Retry-After; an error answer (<c>{error_code, message}</c>)
/// becomes a <see cref="DeliveryException"/> naming the call.</summary>
public sealed class DatabricksJobsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _host;
    private readonly string _token;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public DatabricksJobsClient(Uri host, string token, HttpMessageHandler? handler = null, int maxRetries = 5, TimeSpan? retryDelay = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _host = host.AbsoluteUri.EndsWith('/') ? host : new Uri(host.AbsoluteUri + "/");
        _token = token;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromMinutes(2);
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay ?? TimeSpan.FromSeconds(1),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
            })
            .Build();
    }

    /// <summary>The client of a target, its token read from the environment variable the target names.</summary>
    public static DatabricksJobsClient ForTarget(Domain.Configuration.DeliveryTarget target, Func<string, string?> environment, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(environment);
        if (!target.IsConfigured)
        {
            throw new DeliveryException($"target {target.Name} is not configured: set delivery.targets.{target.Name}.host and warehouse_id in modernize.yaml");
        }

        var token = environment(target.TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new DeliveryException($"target {target.Name} needs a token in the environment variable {target.TokenVariable}");
        }

        return new DatabricksJobsClient(new Uri(target.Host!), token, handler, retryDelay: TimeSpan.FromMilliseconds(200));
    }

    /// <summary>jobs/list filtered by exact name, across pages; the job ids with that name.</summary>
    public async Task<IReadOnlyList<long>> FindJobsByNameAsync(string name, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        string? page = null;
        do
        {
            var query = "api/2.1/jobs/list?limit=100&name=" + Uri.EscapeDataString(name) + (page is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(page));
            var answer = await SendAsync(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
            foreach (var job in answer["jobs"]?.AsArray() ?? [])
            {
                if (job?["settings"]?["name"]?.GetValue<string>() == name)
                {
                    ids.Add(job["job_id"]!.GetValue<long>());
                }
            }

            page = answer["has_more"]?.GetValue<bool>() == true ? answer["next_page_token"]?.GetValue<string>() : null;
        }
        while (page is not null);
        return ids;
    }

    /// <summary>jobs/get: the job's settings.</summary>
    public async Task<JsonObject> GetJobSettingsAsync(long jobId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "api/2.1/jobs/get?job_id=" + jobId.ToString(CultureInfo.InvariantCulture), null, cancellationToken).ConfigureAwait(false);
        return answer["settings"]?.DeepClone().AsObject() ?? throw new DeliveryException($"jobs/get of {jobId} returned no settings");
    }

    public async Task<long> CreateJobAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, "api/2.1/jobs/create", settings, cancellationToken).ConfigureAwait(false);
        return answer["job_id"]?.GetValue<long>() ?? throw new DeliveryException("jobs/create returned no job_id");
    }

    /// <summary>jobs/reset: replaces every setting of the job (a full definition, not a patch).</summary>
    public async Task ResetJobAsync(long jobId, JsonObject settings, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, "api/2.1/jobs/reset", new JsonObject { ["job_id"] = jobId, ["new_settings"] = settings.DeepClone() }, cancellationToken).ConfigureAwait(false);

    /// <summary>runs/submit: a one-time run that is not a job of the workspace (the validation run).</summary>
    public async Task<long> SubmitRunAsync(JsonObject run, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, "api/2.1/jobs/runs/submit", run, cancellationToken).ConfigureAwait(false);
        return answer["run_id"]?.GetValue<long>() ?? throw new DeliveryException("runs/submit returned no run_id");
    }

    /// <summary>jobs/run-now: a run of the deployed job (shadow runs).</summary>
    public async Task<long> RunNowAsync(long jobId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, "api/2.1/jobs/run-now", new JsonObject { ["job_id"] = jobId }, cancellationToken).ConfigureAwait(false);
        return answer["run_id"]?.GetValue<long>() ?? throw new DeliveryException("jobs/run-now returned no run_id");
    }

    public async Task<RunState> GetRunAsync(long runId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "api/2.1/jobs/runs/get?run_id=" + runId.ToString(CultureInfo.InvariantCulture), null, cancellationToken).ConfigureAwait(false);
        var state = answer["state"];
        return new RunState(runId, state?["life_cycle_state"]?.GetValue<string>() ?? "UNKNOWN", state?["result_state"]?.GetValue<string>(),
            state?["state_message"]?.GetValue<string>(), answer["run_page_url"]?.GetValue<string>());
    }

    /// <summary>Polls runs/get until the run ends or <paramref name="timeout"/> passes.</summary>
    public async Task<RunState> WaitForRunAsync(long runId, TimeSpan poll, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var started = clock.GetTimestamp();
        while (true)
        {
            var state = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            if (state.IsTerminal)
            {
                return state;
            }

            if (clock.GetElapsedTime(started) > timeout)
            {
                throw new DeliveryException(string.Create(CultureInfo.InvariantCulture, $"run {runId} still {state.LifeCycleState} after {timeout.TotalSeconds:0} s"));
            }

            await Task.Delay(poll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Workspace API: mkdirs and import of one file (overwrite), as a bundle deployment syncs it.</summary>
    public async Task ImportFileAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var folder = path[..path.LastIndexOf('/')];
        await SendAsync(HttpMethod.Post, "api/2.0/workspace/mkdirs", new JsonObject { ["path"] = folder }, cancellationToken).ConfigureAwait(false);
        await SendAsync(HttpMethod.Post, "api/2.0/workspace/import", new JsonObject
        {
            ["path"] = path,
            ["format"] = "AUTO",
            ["overwrite"] = true,
            ["content"] = Convert.ToBase64String(content),
        }, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(_host, path);
        var payload = body?.ToJsonString();
        using var response = await _retry.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                if (payload is not null)
                {
                    request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                }

                return await _http.SendAsync(request, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var call = path.Split('?')[0];
        if (!response.IsSuccessStatusCode)
        {
            string? code = null;
            var message = text;
            try
            {
                var error = JsonNode.Parse(text);
                code = error?["error_code"]?.GetValue<string>();
                message = error?["message"]?.GetValue<string>() ?? text;
            }
            catch (JsonException)
            {
                // Not JSON: the raw text is the message.
            }

            throw new DeliveryException($"Databricks {method} {call} answered {(int)response.StatusCode}{(code is null ? string.Empty : " " + code)}: {message}");
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? throw new DeliveryException($"Databricks {method} {call} returned no JSON object");
    }
}
