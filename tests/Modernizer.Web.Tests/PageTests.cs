using System.Net;
using Modernizer.Pipeline.State;
using Modernizer.Web.Security;
using Modernizer.Web.Tests.Infrastructure;

namespace Modernizer.Web.Tests;

/// <summary>The server-rendered pages on a test server: what each shows, that workspace text is
/// escaped, that forms need the antiforgery token, and that only approvers get to approve.</summary>
public sealed class PageTests
{
    [Fact]
    public async Task The_job_page_shows_every_artifact_of_the_job()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ViewerName);
        var html = await client.GetStringAsync("/jobs/customer_dim_scd2");

        // Analysis: the anti-pattern and defect spans are marked and their notes shown inline.
        Assert.Contains("data-note=\"anti-pattern\"", html, StringComparison.Ordinal);
        Assert.Contains("data-note=\"defect\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"mark-anti-pattern", html, StringComparison.Ordinal);
        Assert.Contains("spark.sql() runs once per iteration of the loop", html, StringComparison.Ordinal);
        // Lineage, profile charts, spec, tests, rewrite beside the legacy code, reconciliation, decisions.
        Assert.Contains("<svg class=\"lineage\"", html, StringComparison.Ordinal);
        Assert.Contains("raw.customers", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=", html, StringComparison.Ordinal);
        Assert.Contains("REQ-002", html, StringComparison.Ordinal);
        Assert.Contains("data-case=\"TC-004\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"side-by-side\"", html, StringComparison.Ordinal);
        Assert.Contains("MERGE INTO curated.dim_customer AS t", html, StringComparison.Ordinal);
        Assert.Contains("data-note=\"pattern\"", html, StringComparison.Ordinal);
        Assert.Contains("the reconciled version", html, StringComparison.Ordinal);
        Assert.Contains("data-reconciliation=\"mismatch\"", html, StringComparison.Ordinal);
        Assert.Contains("data-column=\"valid_to\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"differs\"", html, StringComparison.Ordinal);
        Assert.Contains("data-escalation=\"" + dashboard.ReconciliationEscalation + "\"", html, StringComparison.Ordinal);
        Assert.Contains("ReconciliationFailure", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Not produced yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_whose_artifacts_are_not_written_yet_says_so_per_section()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ViewerName);
        var html = await client.GetStringAsync("/jobs/orders_daily_revenue");
        foreach (var file in new[] { "analysis.json", "profile.json", "spec.json", "tests/results.json", "rewrite/rewrite.json", "reconciliation.json" })
        {
            Assert.Contains($"Not produced yet: <code>.modernize/jobs/orders_daily_revenue/{file}</code>", html, StringComparison.Ordinal);
        }

        using var missing = await client.GetAsync("/jobs/no_such_job");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_rewrite_edited_after_its_reconciliation_is_flagged()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        var sql = Path.Combine(dashboard.Paths.Output, "jobs", "customer_dim_scd2", "rewrite", "customer_dim_scd2.sql");
        await File.AppendAllTextAsync(sql, "-- edited by hand\n");
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ViewerName);
        var html = await client.GetStringAsync("/jobs/customer_dim_scd2");
        Assert.Contains("changed since it was reconciled", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspace_text_is_escaped_everywhere_it_is_shown()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ViewerName);

        var portfolio = await client.GetStringAsync("/portfolio?q=xss_probe");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", portfolio, StringComparison.Ordinal);
        var kanban = await client.GetStringAsync("/kanban");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", kanban, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(3)&lt;/script&gt; waits", kanban, StringComparison.Ordinal);
        var job = await client.GetStringAsync("/jobs/customer_dim_scd2");
        Assert.Contains("&lt;b&gt;vip&lt;/b&gt;", job, StringComparison.Ordinal);
        foreach (var html in new[] { portfolio, kanban, job, await client.GetStringAsync("/jobs/xss_probe") })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>vip", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy_and_the_cookie_is_secure()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        using var signin = await client.GetAsync("/signin");
        Assert.Equal(SecurityHeadersPolicy, signin.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", signin.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", signin.Headers.GetValues("X-Frame-Options").Single());
        var html = await signin.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);

        var token = Http.Token(html);
        using var response = await Http.PostFormAsync(client, "/signin", token, ("name", TestDashboard.ViewerName), ("password", TestDashboard.Password));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-modernize=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
    }

    private static string SecurityHeadersPolicy =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        using var signIn = await Http.PostFormAsync(client, "/signin", null, ("name", TestDashboard.ApproverName), ("password", TestDashboard.Password));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);

        await Http.SignInAsync(client, TestDashboard.ApproverName);
        using var approve = await Http.PostFormAsync(client, $"/escalations/{dashboard.ComplianceEscalation}/approve", null, ("reason", "no token"));
        Assert.Equal(HttpStatusCode.BadRequest, approve.StatusCode);
        Assert.All(await dashboard.Store.ReadEscalationsAsync(CancellationToken.None), e => Assert.Equal(EscalationStatus.Open, e.Status));
    }

    [Fact]
    public async Task An_approver_approves_from_the_inbox_and_a_viewer_gets_no_form_and_cannot_post_one()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();

        var viewer = factory.Browser();
        await Http.SignInAsync(viewer, TestDashboard.ViewerName);
        var inbox = await viewer.GetStringAsync("/escalations");
        Assert.DoesNotContain("/approve\"", inbox, StringComparison.Ordinal);
        Assert.Contains("Only approvers can approve or reject", inbox, StringComparison.Ordinal);
        using (var forged = await Http.PostFormAsync(viewer, $"/escalations/{dashboard.ComplianceEscalation}/approve", Http.Token(inbox), ("reason", "let me")))
        {
            Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
            Assert.StartsWith("https://localhost/denied", forged.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        Assert.All(await dashboard.Store.ReadEscalationsAsync(CancellationToken.None), e => Assert.Equal(EscalationStatus.Open, e.Status));

        var approver = factory.Browser();
        await Http.SignInAsync(approver, TestDashboard.ApproverName);
        var page = await approver.GetStringAsync("/jobs/orders_daily_revenue");
        Assert.Contains($"action=\"/escalations/{dashboard.ComplianceEscalation}/approve\"", page, StringComparison.Ordinal);
        using var approved = await Http.PostFormAsync(approver, $"/escalations/{dashboard.ComplianceEscalation}/approve", Http.Token(page),
            ("reason", "SOX owner agrees"), ("back", "/jobs/orders_daily_revenue"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal($"/jobs/orders_daily_revenue?flash=approved&subject={dashboard.ComplianceEscalation}", approved.Headers.Location!.OriginalString);
        var closed = (await dashboard.Store.ReadEscalationsAsync(CancellationToken.None)).Single(e => e.Id == dashboard.ComplianceEscalation);
        Assert.Equal((EscalationStatus.Approved, TestDashboard.ApproverName, "SOX owner agrees"), (closed.Status, closed.ClosedBy, closed.Reason));

        var log = await approver.GetStringAsync("/decisions?job=orders_daily_revenue");
        Assert.Contains("approved by ana: SOX owner agrees", log, StringComparison.Ordinal);
        Assert.Contains("data-intact=\"true\"", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_decision_log_filters_and_shows_a_broken_chain()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ViewerName);
        var filtered = await client.GetStringAsync("/decisions?job=customer_dim_scd2&role=validation_reconciler&outcome=escalated");
        Assert.Contains("1 decisions match", filtered, StringComparison.Ordinal);
        Assert.Contains("data-intact=\"true\"", filtered, StringComparison.Ordinal);

        var lines = await File.ReadAllLinesAsync(dashboard.Paths.DecisionsJsonl);
        Assert.Contains("a finding logged", lines[0], StringComparison.Ordinal);
        lines[0] = lines[0].Replace("a finding logged", "a finding edited", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(dashboard.Paths.DecisionsJsonl, lines);
        var broken = await client.GetStringAsync("/decisions");
        Assert.Contains("data-intact=\"false\"", broken, StringComparison.Ordinal);
        Assert.Contains("decisions.jsonl: the hash chain is broken", broken, StringComparison.Ordinal);
        Assert.Contains("state store: the hash chain verifies", broken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portfolio_sorts_filters_and_searches()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        await Http.SignInAsync(client, TestDashboard.ViewerName);

        var byName = await client.GetStringAsync("/portfolio?sort=job&dir=asc");
        var order = new[] { "1234567890123456-1007", "customer_360", "customer_dim_scd2", "orders_daily_revenue", "xss_probe" }
            .Select(j => byName.IndexOf($"<tr data-job=\"{j}\"", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        var byCost = await client.GetStringAsync("/portfolio?sort=cost&dir=desc");
        Assert.True(byCost.IndexOf("<tr data-job=\"1234567890123456-1007\"", StringComparison.Ordinal) < byCost.IndexOf("<tr data-job=\"customer_dim_scd2\"", StringComparison.Ordinal));

        var coded = await client.GetStringAsync("/portfolio?code=yes");
        Assert.Contains("<tr data-job=\"orders_daily_revenue\"", coded, StringComparison.Ordinal);
        Assert.DoesNotContain("<tr data-job=\"1234567890123456-1007\"", coded, StringComparison.Ordinal);
        var searched = await client.GetStringAsync("/portfolio?q=SCD2");
        Assert.Contains("1 match the filters", searched.Replace("jobs in the inventory; ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("data-chart=", byName, StringComparison.Ordinal);

        var backlog = await client.GetStringAsync("/backlog");
        Assert.Contains("<tr data-job=\"orders_daily_revenue\"", backlog, StringComparison.Ordinal);
        Assert.Contains("class=\"bar factor-cost\"", backlog, StringComparison.Ordinal);
        Assert.Contains("compliance: SOX", backlog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_start_creates_an_admin_whose_one_time_password_must_be_changed()
    {
        await using var dashboard = await TestDashboard.CreateAsync(seedAccounts: false);
        var password = dashboard.Accounts.CreatedAdminPassword;
        Assert.NotNull(password);
        var file = await File.ReadAllTextAsync(dashboard.Accounts.UsersFile);
        Assert.DoesNotContain(password, file, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dashboard.Accounts.UsersFile));
        }

        var reopened = await LocalAccounts.OpenAsync(dashboard.Accounts.UsersFile, [], CancellationToken.None);
        Assert.Null(reopened.CreatedAdminPassword);

        await using var factory = dashboard.Factory();
        var client = factory.Browser();
        var token = await Http.TokenAsync(client, "/signin");
        using (var signIn = await Http.PostFormAsync(client, "/signin", token, ("name", "admin"), ("password", password)))
        {
            Assert.Equal("/account/password", signIn.Headers.Location!.OriginalString);
        }

        using (var kanban = await client.GetAsync("/kanban"))
        {
            Assert.Equal("/account/password", kanban.Headers.Location!.OriginalString);
        }

        using (var api = await client.SendAsync(Http.Request(HttpMethod.Get, "/api/jobs", Http.Basic("admin", password))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        var form = await client.GetStringAsync("/account/password");
        using (var change = await Http.PostFormAsync(client, "/account/password", Http.Token(form), ("current", password), ("password", "a long new secret"), ("confirm", "a long new secret")))
        {
            Assert.Equal("/kanban?flash=password", change.Headers.Location!.OriginalString);
        }

        using var after = await client.GetAsync("/kanban");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotNull(await dashboard.Accounts.VerifyAsync("admin", "a long new secret", CancellationToken.None));
        Assert.Null(await dashboard.Accounts.VerifyAsync("admin", password, CancellationToken.None));
    }

    [Fact]
    public async Task An_admin_adds_an_account_and_others_cannot_manage_accounts()
    {
        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory();
        var approver = factory.Browser();
        await Http.SignInAsync(approver, TestDashboard.ApproverName);
        using (var denied = await approver.GetAsync("/admin/users"))
        {
            Assert.StartsWith("https://localhost/denied", denied.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        var admin = factory.Browser();
        await Http.SignInAsync(admin, TestDashboard.AdminName);
        var page = await admin.GetStringAsync("/admin/users");
        using var added = await Http.PostFormAsync(admin, "/admin/users", Http.Token(page), ("action", "add"), ("name", "fin.lead"), ("role", DashboardRoles.Approver));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var html = await added.Content.ReadAsStringAsync();
        var password = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"secret\">([^<]+)</code>").Groups[1].Value;
        var account = await dashboard.Accounts.VerifyAsync("fin.lead", password, CancellationToken.None);
        Assert.Equal((DashboardRoles.Approver, true), (account!.Role, account.MustChangePassword));
    }
}
