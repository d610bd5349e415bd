using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Modernizer.Web.Tests.Infrastructure;

namespace Modernizer.Web.Tests;

/// <summary>The JSON API on a test server (WebApplicationFactory): it needs a signed-in user, mirrors
/// the CLI's --json output, and approves only for approvers, through the escalation queue.</summary>
public sealed class ApiTests
{
    [Fact]
    public async Task Every_page_and_api_call_needs_a_signed_in_user()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        foreach (var page in new[] { "/kanban", "/portfolio", "/backlog", "/jobs/customer_dim_scd2", "/escalations", "/decisions", "/kanban/board", "/admin/users" })
        {
            using var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("https://localhost/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        foreach (var api in new[] { "/api/status", "/api/jobs", "/api/jobs/customer_dim_scd2", "/api/escalations", "/api/decisions", "/api/events", "/openapi/v1.json" })
        {
            using var response = await client.GetAsync(api);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var wrong = await client.SendAsync(Http.Request(HttpMethod.Get, "/api/jobs", Http.Basic(TestDashboard.ApproverName, "not the password")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // The dashboard's own script and styles are not workspace data; the sign-in page needs them.
        using var css = await client.GetAsync("/static/app.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        using var chart = await client.GetAsync("/static/lib/chart.umd.min.js");
        Assert.Contains("Chart.js v4.6.1", await chart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_mirrors_the_cli_status_escalations_and_decisions()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        client.DefaultRequestHeaders.Authorization = Http.Basic(TestDashboard.ViewerName);

        using var status = JsonDocument.Parse(await client.GetStringAsync("/api/status"));
        var jobs = status.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("job_id").GetString()!, j => j.GetProperty("state").GetString());
        Assert.Equal("escalated", jobs["orders_daily_revenue"]);
        Assert.Equal("done", jobs["customer_360"]);
        Assert.Equal(2, status.RootElement.GetProperty("open_escalations").GetInt32());
        Assert.Contains(status.RootElement.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "reconcile" && !s.GetProperty("available").GetBoolean());

        using var escalations = JsonDocument.Parse(await client.GetStringAsync("/api/escalations"));
        var open = escalations.RootElement.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { dashboard.ComplianceEscalation, dashboard.ReconciliationEscalation }.Order(StringComparer.Ordinal), open);
        using var one = JsonDocument.Parse(await client.GetStringAsync("/api/escalations/" + dashboard.ComplianceEscalation));
        Assert.Equal("compliance_critical_in_top_five", one.RootElement.GetProperty("kind").GetString());

        var stored = await dashboard.Store.ReadDecisionsAsync(0, CancellationToken.None);
        using var decisions = JsonDocument.Parse(await client.GetStringAsync("/api/decisions?job=customer_dim_scd2&outcome=escalated"));
        var listed = decisions.RootElement.GetProperty("decisions").EnumerateArray().ToList();
        var expected = stored.Where(d => d.JobId == "customer_dim_scd2" && d.Outcome == "escalated").ToList();
        Assert.Equal(expected.Select(d => d.Seq), listed.Select(d => d.GetProperty("seq").GetInt64()));
        Assert.Equal(expected.Select(d => d.Hash), listed.Select(d => d.GetProperty("hash").GetString()));

        using var verify = JsonDocument.Parse(await client.GetStringAsync("/api/decisions/verify"));
        Assert.True(verify.RootElement.GetProperty("file").GetProperty("intact").GetBoolean());
        Assert.Equal(stored.Length, verify.RootElement.GetProperty("store").GetProperty("entries").GetInt64());
    }

    [Fact]
    public async Task A_job_and_its_artifacts_are_served_by_name_and_never_by_path()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        client.DefaultRequestHeaders.Authorization = Http.Basic(TestDashboard.ViewerName);

        using var job = JsonDocument.Parse(await client.GetStringAsync("/api/jobs/customer_dim_scd2"));
        var artifacts = job.RootElement.GetProperty("artifacts");
        Assert.True(artifacts.GetProperty("analysis").GetProperty("present").GetBoolean());
        Assert.True(artifacts.GetProperty("reconciliation").GetProperty("present").GetBoolean());
        Assert.False(artifacts.GetProperty("validation").GetProperty("present").GetBoolean());
        Assert.Equal("escalated", job.RootElement.GetProperty("card").GetProperty("state").GetString());
        Assert.Equal(2, job.RootElement.GetProperty("decisions").GetArrayLength());

        using var reconciliation = JsonDocument.Parse(await client.GetStringAsync("/api/jobs/customer_dim_scd2/artifacts/reconciliation"));
        Assert.Equal("mismatch", reconciliation.RootElement.GetProperty("status").GetString());
        using var inventory = JsonDocument.Parse(await client.GetStringAsync("/api/inventory"));
        Assert.Equal(5, inventory.RootElement.GetProperty("jobs").GetArrayLength());

        foreach (var path in new[] { "/api/jobs/customer_dim_scd2/artifacts/validation", "/api/jobs/customer_dim_scd2/artifacts/..%2F..%2Fmodernize.yaml",
                     "/api/jobs/..%2F..%2Fjobs/artifacts/analysis", "/api/jobs/no_such_job", "/api/escalations/esc-000000000000" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_not_the_pages()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        client.DefaultRequestHeaders.Authorization = Http.Basic(TestDashboard.ViewerName);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            "/api/status", "/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/artifacts/{name}", "/api/escalations", "/api/escalations/{id}",
            "/api/escalations/{id}/approve", "/api/escalations/{id}/reject", "/api/decisions", "/api/decisions/verify", "/api/events",
        }, paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_approver_approves_through_the_api_and_the_decision_names_them(string store)
    {
        await using var dashboard = await TestDashboard.CreateAsync(store);
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        var before = await dashboard.Store.ReadDecisionsAsync(0, CancellationToken.None);

        using var response = await client.SendAsync(Http.Request(HttpMethod.Post, $"/api/escalations/{dashboard.ComplianceEscalation}/approve",
            Http.Basic(TestDashboard.ApproverName), JsonContent.Create(new { reason = "confirmed with finance" })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("approved", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(TestDashboard.ApproverName, body.RootElement.GetProperty("closed_by").GetString());

        var after = await dashboard.Store.ReadDecisionsAsync(0, CancellationToken.None);
        var decision = Assert.Single(after, d => d.Seq > before[^1].Seq);
        Assert.Equal("escalation_approved", decision.Kind);
        Assert.Contains("approved by ana: confirmed with finance", decision.Rationale, StringComparison.Ordinal);
        Assert.Contains(decision.Evidence, e => e.Reference == TestDashboard.ApproverName && e.Detail == "confirmed with finance");
        Assert.True((await ChainVerifier.VerifyFileAsync(dashboard.Paths.DecisionsJsonl, CancellationToken.None)).Intact);
        Assert.Contains("\"closed_by\": \"ana\"", await File.ReadAllTextAsync(dashboard.Paths.EscalationsJson), StringComparison.Ordinal);

        // The same escalation cannot be decided twice.
        using var again = await client.SendAsync(Http.Request(HttpMethod.Post, $"/api/escalations/{dashboard.ComplianceEscalation}/reject",
            Http.Basic(TestDashboard.ApproverName), JsonContent.Create(new { reason = "changed my mind" })));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var noReason = await client.SendAsync(Http.Request(HttpMethod.Post, $"/api/escalations/{dashboard.ReconciliationEscalation}/reject",
            Http.Basic(TestDashboard.ApproverName), JsonContent.Create(new { reason = " " })));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(after.Length, (await dashboard.Store.ReadDecisionsAsync(0, CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_viewer_cannot_approve_through_the_api()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        var before = (await dashboard.Store.ReadDecisionsAsync(0, CancellationToken.None)).Length;
        foreach (var verdict in new[] { "approve", "reject" })
        {
            using var response = await client.SendAsync(Http.Request(HttpMethod.Post, $"/api/escalations/{dashboard.ComplianceEscalation}/{verdict}",
                Http.Basic(TestDashboard.ViewerName), JsonContent.Create(new { reason = "I should not be able to" })));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(before, (await dashboard.Store.ReadDecisionsAsync(0, CancellationToken.None)).Length);
        Assert.All(await dashboard.Store.ReadEscalationsAsync(CancellationToken.None), e => Assert.Equal(EscalationStatus.Open, e.Status));
    }

    [Fact]
    public async Task A_browser_api_call_needs_the_antiforgery_token_besides_the_cookie()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ApproverName);

        using var me = JsonDocument.Parse(await client.GetStringAsync("/api/me"));
        Assert.Equal("approver", me.RootElement.GetProperty("role").GetString());

        var path = $"/api/escalations/{dashboard.ComplianceEscalation}/approve";
        using var forged = await client.PostAsJsonAsync(path, new { reason = "a page of another site posting" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(EscalationStatus.Open, (await dashboard.Store.ReadEscalationsAsync(CancellationToken.None)).Single(e => e.Id == dashboard.ComplianceEscalation).Status);

        var token = await Http.TokenAsync(client, "/escalations");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { reason = "checked" }) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        using var sent = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
    }

    [Fact]
    public async Task The_event_stream_sends_the_board_and_again_when_another_process_moves_a_job()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        client.DefaultRequestHeaders.Authorization = Http.Basic(TestDashboard.ViewerName);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var response = await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var first = await NextEventAsync(reader, cancel.Token);
        Assert.Equal("board", first.Event);
        Assert.Equal("escalated", State(first.Data, "customer_dim_scd2"));

        await dashboard.SetJobStateAsync("customer_dim_scd2", JobState.Failed, "reconcile", "the parallel run failed");
        var second = await NextEventAsync(reader, cancel.Token);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("failed", State(second.Data, "customer_dim_scd2"));
    }

    private static string? State(string json, string job)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetString() == job).GetProperty("state").GetString();
    }

    private static async Task<(string Event, string Id, string Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string name = string.Empty, id = string.Empty, data = string.Empty;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && data.Length > 0)
            {
                return (name, id, data);
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data += line["data: ".Length..];
            }
        }

        throw new InvalidOperationException("the event stream ended");
    }
}
