using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Modernizer.Web.Tests.Infrastructure;

namespace Modernizer.Web.Tests;

/// <summary>The dashboard in a real browser (Debian's Chromium through Playwright) on the retail
/// sample, served by a `modernize serve` process while `modernize run` processes work beside it.
/// Every wait is on an event or a DOM state (Playwright's auto-waiting expectations), never a sleep.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BrowserTests(SampleDashboard sample)
{
    [Fact]
    public async Task Sign_in_and_see_the_kanban()
    {
        var page = await sample.SignInAsync(SampleDashboard.Viewer);
        await Assertions.Expect(page).ToHaveURLAsync(KanbanUrl());
        // A column per stage (and one for jobs not started), a card per selected job.
        await Assertions.Expect(page.Locator("section.column")).ToHaveCountAsync(16);
        await Assertions.Expect(page.Locator("[data-column='code_review'] [data-job='customer_360']")).ToHaveAttributeAsync("data-state", "escalated");
        await Assertions.Expect(page.Locator("[data-job='orders_incremental_merge'] .spend")).ToContainTextAsync("$");
        await Assertions.Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live");
        await sample.ScreenshotAsync(page, "kanban");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Open_a_job()
    {
        var page = await sample.SignInAsync(SampleDashboard.Viewer);
        await page.Locator("[data-job='customer_360'] a.job").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/jobs/customer_360$"));
        await Assertions.Expect(page.Locator("h1.job-title")).ToContainTextAsync("customer_360");
        await Assertions.Expect(page.Locator("#analysis .code-file").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#escalations [data-escalation]").First).ToContainTextAsync("PII");
        await sample.ScreenshotAsync(page, "job");

        await page.GotoAsync("/jobs/orders_incremental_merge#profile");
        await Assertions.Expect(page.Locator("#profile canvas[data-drawn='true']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#analysis tr[data-note]").First).ToBeVisibleAsync();
        await sample.ScreenshotAsync(page, "job-profile");
        await page.Locator("#analysis").ScrollIntoViewIfNeededAsync();
        await sample.ScreenshotAsync(page, "job-analysis");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Approve_an_escalation_then_see_the_job_move_on_the_next_run()
    {
        var board = await sample.SignInAsync(SampleDashboard.Approver);
        var card = board.Locator("[data-job='orders_daily_revenue']");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", "escalated");
        await Assertions.Expect(board.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live");

        var inbox = await board.Context.NewPageAsync();
        await inbox.GotoAsync("/escalations");
        await sample.ScreenshotAsync(inbox, "escalations");
        var escalation = inbox.Locator("[data-escalation][data-status='open']").Filter(new LocatorFilterOptions { HasText = "orders_daily_revenue is compliance-critical" });
        await escalation.GetByLabel("Reason").FillAsync("SOX owner confirmed: rewrite may start");
        await escalation.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(inbox.Locator(".flash.ok")).ToContainTextAsync("Approved");

        // The approval alone does not move the job: the next run does, in another process, and the
        // open kanban follows it live (server-sent events), without a reload.
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", "escalated");
        await sample.RunProcessAsync();
        // It leaves prioritize; a later tier may ask a human again (a SOX job's requirements), with its own escalation.
        await Assertions.Expect(card).Not.ToHaveAttributeAsync("data-stage", "prioritize");
        await Assertions.Expect(card).Not.ToHaveAttributeAsync("data-state", "pending");
        await sample.ScreenshotAsync(board, "kanban-after-approval");

        await inbox.GotoAsync("/decisions?job=orders_daily_revenue");
        await Assertions.Expect(inbox.Locator("#chain")).ToHaveAttributeAsync("data-intact", "true");
        await Assertions.Expect(inbox.Locator("table.decisions")).ToContainTextAsync("approved by ana: SOX owner confirmed");
        await sample.ScreenshotAsync(inbox, "decisions");
        await board.Context.CloseAsync();
    }

    [Fact]
    public async Task A_viewer_cannot_approve_through_the_page_or_the_api()
    {
        var page = await sample.SignInAsync(SampleDashboard.Viewer);
        await page.GotoAsync("/escalations");
        var open = page.Locator("[data-escalation][data-status='open']");
        await Assertions.Expect(open.First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Approve" })).ToHaveCountAsync(0);
        await Assertions.Expect(open.First.Locator(".viewer-note")).ToContainTextAsync("Only approvers");
        var id = await open.First.GetAttributeAsync("data-escalation");

        // With the viewer's own cookie and a valid antiforgery token, the API still refuses.
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.InputValueAsync();
        var response = await page.Context.APIRequest.PostAsync($"/api/escalations/{id}/approve", new APIRequestContextOptions
        {
            DataObject = new { reason = "viewer tries" },
            Headers = new Dictionary<string, string> { ["X-CSRF-TOKEN"] = token },
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);

        using var script = new HttpClient { BaseAddress = new Uri(sample.Url) };
        script.DefaultRequestHeaders.Authorization = Http.Basic(SampleDashboard.Viewer, SampleDashboard.Password);
        using var basic = await script.PostAsJsonAsync($"/api/escalations/{id}/approve", new { reason = "viewer script tries" });
        Assert.Equal(HttpStatusCode.Forbidden, basic.StatusCode);
        using var still = await script.GetAsync($"/api/escalations/{id}");
        Assert.Contains("\"status\":\"open\"", await still.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_job_named_like_a_script_renders_as_text()
    {
        var page = await sample.SignInAsync(SampleDashboard.Viewer);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await page.GotoAsync("/portfolio?q=" + SampleDashboard.ScriptJob);
        var name = page.Locator($"tr[data-job='{SampleDashboard.ScriptJob}'] td.name");
        await Assertions.Expect(name).ToHaveTextAsync(SampleDashboard.ScriptName);
        Assert.Equal(0, await page.Locator($"tr[data-job='{SampleDashboard.ScriptJob}'] script").CountAsync());
        await page.GotoAsync("/jobs/" + SampleDashboard.ScriptJob);
        await Assertions.Expect(page.Locator("h1.job-title .name")).ToHaveTextAsync(SampleDashboard.ScriptName);
        Assert.Equal(0, dialogs);
        await sample.ScreenshotAsync(page, "script-name");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_renders_on_the_sample()
    {
        var page = await sample.SignInAsync(SampleDashboard.Viewer);
        await page.GotoAsync("/portfolio");
        await Assertions.Expect(page.Locator("canvas[data-drawn='true']")).ToHaveCountAsync(4);
        await sample.ScreenshotAsync(page, "portfolio");
        await page.GotoAsync("/backlog");
        await Assertions.Expect(page.Locator("tr[data-job]").First).ToBeVisibleAsync();
        await sample.ScreenshotAsync(page, "backlog");
        await page.GotoAsync("/decisions");
        await Assertions.Expect(page.Locator("#chain")).ToHaveAttributeAsync("data-intact", "true");
        await page.GotoAsync("/signin");
        await page.Context.CloseAsync();

        var anonymous = await sample.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = sample.Url, ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await anonymous.GotoAsync("/signin");
        await Assertions.Expect(anonymous.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" })).ToBeVisibleAsync();
        await sample.ScreenshotAsync(anonymous, "signin");
        await anonymous.Context.CloseAsync();
    }

    [GeneratedRegex("/kanban$")]
    private static partial Regex KanbanUrl();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<SampleDashboard>
{
    public const string Name = "sample dashboard in Chromium";
}
