using System.Collections.Concurrent;
using System.Globalization;
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

/// <summary>The pull-request endpoints of GitHub Enterprise (<c>/api/v3/repos/{owner}/{repo}/pulls</c>) on
/// Kestrel (127.0.0.1, port 0), faithful to the documented wire format: <c>Authorization: token …</c> or
/// <c>Bearer …</c> (401 "Bad credentials" otherwise), 201 with a Location on create, 422 "Validation Failed"
/// when an open pull request exists for the head, list filters (state, head) with per_page/page and a Link
/// header, PATCH to update.</summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    public const string Token = "ghp_fakefakefakefakefakefakefakefakefake1";

    private readonly WebApplication _app;
    private int _next;

    public FakeGitHub(string owner, string repo)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        var prefix = $"/api/v3/repos/{owner}/{repo}/pulls";
        _app.Use(async (context, next) =>
        {
            var auth = context.Request.Headers.Authorization.ToString();
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} auth={auth.Split(' ')[0]}");
            if (!auth.Equals("token " + Token, StringComparison.OrdinalIgnoreCase) && !auth.Equals("Bearer " + Token, StringComparison.Ordinal))
            {
                await Json(context, 401, new JsonObject { ["message"] = "Bad credentials", ["documentation_url"] = "https://docs.github.com/rest" });
                return;
            }

            await next(context);
        });
        _app.MapPost(prefix, async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            var head = body["head"]!.GetValue<string>();
            if (Pulls.Values.Any(p => p["head"]!["ref"]!.GetValue<string>() == head && p["state"]!.GetValue<string>() == "open"))
            {
                await Json(c, 422, new JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = $"A pull request already exists for {owner}:{head}." }),
                    ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                });
                return;
            }

            var pr = Add(owner, repo, head, body["base"]!.GetValue<string>(), body["title"]!.GetValue<string>(), body["body"]?.GetValue<string>() ?? string.Empty, "open");
            c.Response.Headers.Location = pr["url"]!.GetValue<string>();
            await Json(c, 201, pr);
        });
        _app.MapGet(prefix, async (HttpContext c) =>
        {
            var state = c.Request.Query["state"].FirstOrDefault() ?? "open";
            var head = c.Request.Query["head"].FirstOrDefault();
            var perPage = int.TryParse(c.Request.Query["per_page"], out var pp) ? Math.Clamp(pp, 1, 100) : 30;
            var page = int.TryParse(c.Request.Query["page"], out var pg) ? Math.Max(1, pg) : 1;
            var all = Pulls.Values
                .Where(p => state == "all" || p["state"]!.GetValue<string>() == state)
                .Where(p => head is null || p["head"]!["label"]!.GetValue<string>() == head)
                .OrderByDescending(p => p["number"]!.GetValue<int>())
                .ToList();
            var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
            if (page < last)
            {
                var url = $"{BaseUrl}{prefix.TrimStart('/')}?state={state}{(head is null ? string.Empty : "&head=" + Uri.EscapeDataString(head))}&per_page={perPage}";
                c.Response.Headers.Link = $"<{url}&page={page + 1}>; rel=\"next\", <{url}&page={last}>; rel=\"last\"";
            }

            await Json(c, 200, new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(p => p.DeepClone())]));
        });
        _app.MapMethods(prefix + "/{number:int}", ["PATCH"], async (HttpContext c, int number) =>
        {
            if (!Pulls.TryGetValue(number, out var pr))
            {
                await Json(c, 404, new JsonObject { ["message"] = "Not Found" });
                return;
            }

            using var reader = new StreamReader(c.Request.Body);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            foreach (var key in new[] { "title", "body", "state" })
            {
                if (body[key] is { } value)
                {
                    pr[key] = value.GetValue<string>();
                }
            }

            Updates.Enqueue(number);
            await Json(c, 200, pr);
        });
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.EndsWith('/') ? address : address + "/";
    }

    public string BaseUrl { get; }

    public ConcurrentDictionary<int, JsonObject> Pulls { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<int> Updates { get; } = new();

    public JsonObject Add(string owner, string repo, string head, string @base, string title, string body, string state)
    {
        var number = Interlocked.Increment(ref _next);
        var now = DateTimeOffset.UnixEpoch.AddDays(20000 + number).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var pr = new JsonObject
        {
            ["id"] = 1000 + number,
            ["node_id"] = "PR_" + number.ToString(CultureInfo.InvariantCulture),
            ["number"] = number,
            ["state"] = state,
            ["title"] = title,
            ["body"] = body,
            ["url"] = $"{BaseUrl}api/v3/repos/{owner}/{repo}/pulls/{number}",
            ["html_url"] = $"{BaseUrl}{owner}/{repo}/pull/{number}",
            ["head"] = new JsonObject { ["label"] = $"{owner}:{head}", ["ref"] = head, ["sha"] = new string('a', 40) },
            ["base"] = new JsonObject { ["label"] = $"{owner}:{@base}", ["ref"] = @base, ["sha"] = new string('b', 40) },
            ["user"] = new JsonObject { ["login"] = "modernizer-bot", ["id"] = 7 },
            ["merged"] = false,
            ["merged_at"] = null,
            ["created_at"] = now,
            ["updated_at"] = now,
        };
        Pulls[number] = pr;
        return pr;
    }

    public void Merge(int number)
    {
        var pr = Pulls[number];
        pr["state"] = "closed";
        pr["merged"] = true;
        pr["merged_at"] = "2026-11-02T10:00:00Z";
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task Json(HttpContext c, int status, JsonNode body)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(body.ToJsonString());
    }
}
