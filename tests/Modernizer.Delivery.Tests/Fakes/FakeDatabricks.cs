using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Modernizer.Delivery.Tests.Fakes;

/// <summary>A Databricks workspace's Jobs API 2.1 and Workspace import on Kestrel (127.0.0.1, port 0),
/// faithful to the wire format: Bearer token, {error_code, message} errors, jobs/list pages with
/// has_more/next_page_token, runs that go PENDING → RUNNING → TERMINATED over runs/get polls, and one
/// 429 with Retry-After on the first jobs/create. <see cref="OnRun"/> plays the job writing its output.</summary>
internal sealed class FakeDatabricks : IAsyncDisposable
{
    public const string Token = "dapi-fake-token-for-tests";

    private readonly WebApplication _app;
    private long _nextJob = 500;
    private long _nextRun = 9000;
    private int _throttled;

    public FakeDatabricks()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Calls.Enqueue($"{context.Request.Method} {context.Request.Path}");
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
            {
                await Error(context, 401, "UNAUTHENTICATED", "Invalid access token.");
                return;
            }

            await next(context);
        });
        _app.MapGet("/api/2.1/jobs/list", (HttpContext c) =>
        {
            var name = c.Request.Query["name"].ToString();
            var matching = Jobs.Where(j => j.Value["name"]?.GetValue<string>() == name).OrderBy(j => j.Key).ToList();
            var page = int.TryParse(c.Request.Query["page_token"], out var p) ? p : 0;
            var slice = matching.Skip(page).Take(1).Select(j => (JsonNode)new JsonObject { ["job_id"] = j.Key, ["settings"] = j.Value.DeepClone() }).ToArray();
            var more = page + 1 < matching.Count;
            var body = new JsonObject { ["jobs"] = new JsonArray(slice), ["has_more"] = more };
            if (more)
            {
                body["next_page_token"] = (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Results.Text(body.ToJsonString(), "application/json");
        });
        _app.MapGet("/api/2.1/jobs/get", async (HttpContext c) =>
        {
            var id = long.Parse(c.Request.Query["job_id"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            if (!Jobs.TryGetValue(id, out var settings))
            {
                await Error(c, 400, "RESOURCE_DOES_NOT_EXIST", $"Job {id} does not exist.");
                return;
            }

            await Json(c, new JsonObject { ["job_id"] = id, ["settings"] = settings.DeepClone() });
        });
        _app.MapPost("/api/2.1/jobs/create", async (HttpContext c) =>
        {
            if (Interlocked.Increment(ref _throttled) == 1)
            {
                c.Response.Headers.RetryAfter = "0";
                await Error(c, 429, "REQUEST_LIMIT_EXCEEDED", "Too many requests.");
                return;
            }

            var body = await Body(c);
            if (body["name"] is null || body["tasks"] is not JsonArray { Count: > 0 })
            {
                await Error(c, 400, "INVALID_PARAMETER_VALUE", "A job needs a name and at least one task.");
                return;
            }

            var id = Interlocked.Increment(ref _nextJob);
            Created.Enqueue((JsonObject)body.DeepClone());
            body.Remove("access_control_list");
            Jobs[id] = body;
            await Json(c, new JsonObject { ["job_id"] = id });
        });
        _app.MapPost("/api/2.1/jobs/reset", async (HttpContext c) =>
        {
            var body = await Body(c);
            var id = body["job_id"]!.GetValue<long>();
            if (!Jobs.ContainsKey(id))
            {
                await Error(c, 400, "RESOURCE_DOES_NOT_EXIST", $"Job {id} does not exist.");
                return;
            }

            Jobs[id] = body["new_settings"]!.AsObject();
            await Json(c, []);
        });
        _app.MapPost("/api/2.1/jobs/runs/submit", async (HttpContext c) =>
        {
            var body = await Body(c);
            Submitted.Enqueue(body);
            await Json(c, new JsonObject { ["run_id"] = NewRun(null) });
        });
        _app.MapPost("/api/2.1/jobs/run-now", async (HttpContext c) =>
        {
            var body = await Body(c);
            var id = body["job_id"]!.GetValue<long>();
            await Json(c, new JsonObject { ["run_id"] = NewRun(id), ["number_in_job"] = 1 });
        });
        _app.MapGet("/api/2.1/jobs/runs/get", async (HttpContext c) =>
        {
            var id = long.Parse(c.Request.Query["run_id"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var polls = Polls.AddOrUpdate(id, 1, (_, n) => n + 1);
            var state = polls switch
            {
                1 => new JsonObject { ["life_cycle_state"] = "PENDING", ["state_message"] = "Waiting for the warehouse" },
                2 => new JsonObject { ["life_cycle_state"] = "RUNNING", ["state_message"] = string.Empty },
                _ => new JsonObject { ["life_cycle_state"] = "TERMINATED", ["result_state"] = FailRuns ? "FAILED" : "SUCCESS", ["state_message"] = string.Empty },
            };
            if (polls == 3 && RunJobs.TryGetValue(id, out var job) && job is { } jobId)
            {
                OnRun?.Invoke(jobId);
            }

            await Json(c, new JsonObject { ["run_id"] = id, ["state"] = state, ["run_page_url"] = $"{BaseUrl}#job/runs/{id}" });
        });
        _app.MapPost("/api/2.0/workspace/mkdirs", async (HttpContext c) => await Json(c, []));
        _app.MapPost("/api/2.0/workspace/import", async (HttpContext c) =>
        {
            var body = await Body(c);
            Files[body["path"]!.GetValue<string>()] = Convert.FromBase64String(body["content"]!.GetValue<string>());
            await Json(c, []);
        });
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.EndsWith('/') ? address : address + "/";
    }

    public string BaseUrl { get; }

    public ConcurrentDictionary<long, JsonObject> Jobs { get; } = new();

    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public ConcurrentQueue<JsonObject> Created { get; } = new();

    public ConcurrentQueue<JsonObject> Submitted { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentDictionary<long, int> Polls { get; } = new();

    public ConcurrentDictionary<long, long?> RunJobs { get; } = new();

    public bool FailRuns { get; set; }

    public Action<long>? OnRun { get; set; }

    public long AddJob(JsonObject settings)
    {
        var id = Interlocked.Increment(ref _nextJob);
        Jobs[id] = settings;
        return id;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private long NewRun(long? job)
    {
        var id = Interlocked.Increment(ref _nextRun);
        RunJobs[id] = job;
        return id;
    }

    private static async Task<JsonObject> Body(HttpContext c)
    {
        using var reader = new StreamReader(c.Request.Body);
        return JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
    }

    private static async Task Json(HttpContext c, JsonObject body)
    {
        c.Response.ContentType = "application/json";
        await c.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task Error(HttpContext c, int status, string code, string message)
    {
        c.Response.StatusCode = status;
        await Json(c, new JsonObject { ["error_code"] = code, ["message"] = message });
    }
}
