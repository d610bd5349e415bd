using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Modernizer.Web.Components;
using Modernizer.Web.Hosting;
using Modernizer.Web.Security;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>The dashboard's pages, rendered on the server from Razor components (every value
/// HTML-encoded), and the form posts behind them (antiforgery-checked, then redirected).</summary>
internal static class PageEndpoints
{
    public static void MapDashboardPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup(string.Empty).RequireAuthorization(DashboardPolicies.View).ExcludeFromDescription();
        pages.MapGet("/", () => TypedResults.Redirect("/kanban"));
        pages.MapGet("/kanban", async (HttpContext http, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
            Render<KanbanPage>(http, await KanbanModel.BuildAsync(workspace, cancellationToken)));
        pages.MapGet("/kanban/board", async (HttpContext http, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
            Render<KanbanBoard>(http, await KanbanModel.BuildAsync(workspace, cancellationToken)));
        pages.MapGet("/portfolio", async (HttpContext http, DashboardWorkspace workspace, string? q, string? frequency, string? code, string? health, string? sort, string? dir, int? page, CancellationToken cancellationToken) =>
            Render<PortfolioPage>(http, await PortfolioModel.BuildAsync(workspace, PortfolioQuery.Parse(q, frequency, code, health, sort, dir, page), cancellationToken)));
        pages.MapGet("/backlog", async (HttpContext http, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
            Render<BacklogPage>(http, await BacklogModel.BuildAsync(workspace, cancellationToken)));
        pages.MapGet("/jobs/{id}", async (HttpContext http, string id, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
            await JobModel.BuildAsync(workspace, id, cancellationToken) is { } model
                ? Render<JobPage>(http, model)
                : Render<NotFoundPage>(http, "No job " + id + " in this workspace.", StatusCodes.Status404NotFound));
        pages.MapGet("/escalations", async (HttpContext http, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
            Render<EscalationsPage>(http, await EscalationsModel.BuildAsync(workspace, cancellationToken)));
        pages.MapPost("/escalations/{id}/{verdict:regex(^(approve|reject)$)}", ResolveAsync).RequireAuthorization(DashboardPolicies.Approve);
        pages.MapGet("/decisions", async (HttpContext http, DashboardWorkspace workspace, string? job, string? role, string? outcome, CancellationToken cancellationToken) =>
            Render<DecisionsPage>(http, await DecisionsModel.BuildAsync(workspace, DecisionFilter.Parse(job, role, outcome), cancellationToken)));
        pages.MapGet("/denied", (HttpContext http) => Render<NotFoundPage>(http, "Your role does not allow this. Approving and rejecting need the approver role.", StatusCodes.Status403Forbidden))
            .WithMetadata(new AllowedWithOneTimePassword());

        pages.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(AuthenticationSetup.CookieScheme);
            return TypedResults.Redirect("/signin");
        }).WithMetadata(new AllowedWithOneTimePassword());
        pages.MapGet("/account/password", (HttpContext http, string? error) => Render<PasswordPage>(http, error ?? string.Empty))
            .WithMetadata(new AllowedWithOneTimePassword());
        pages.MapPost("/account/password", ChangePasswordAsync).WithMetadata(new AllowedWithOneTimePassword());

        var admin = pages.MapGroup("/admin").RequireAuthorization(DashboardPolicies.Administer);
        admin.MapGet("/users", async (HttpContext http, LocalAccounts accounts, CancellationToken cancellationToken) =>
            Render<UsersPage>(http, new UsersModel(await accounts.ListAsync(cancellationToken), accounts.UsersFile, null)));
        admin.MapPost("/users", AccountActionAsync);

        var anonymous = endpoints.MapGroup(string.Empty).AllowAnonymous().ExcludeFromDescription();
        anonymous.MapGet("/signin", (HttpContext http, DashboardOptions options, string? error, string? returnUrl) =>
            Render<SignInPage>(http, new SignInModel(error is not null, LocalOrDefault(returnUrl), options.Settings.Oidc?.DisplayName)));
        anonymous.MapPost("/signin", SignInAsync);
        anonymous.MapGet("/signin/oidc", (DashboardOptions options, string? returnUrl) => options.Settings.Oidc is null
            ? (IResult)TypedResults.NotFound()
            : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalOrDefault(returnUrl) }, [AuthenticationSetup.OidcScheme]));
    }

    /// <summary>Renders a page component with its model and the page context (user, antiforgery token).</summary>
    public static RazorComponentResult Render<TComponent>(HttpContext http, object model, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var options = http.RequestServices.GetRequiredService<DashboardOptions>();
        var page = new PageContext(http.User, tokens.FormFieldName, tokens.RequestToken ?? string.Empty, http.Request.Path + http.Request.QueryString,
            http.Request.Query["flash"].FirstOrDefault(), http.Request.Query["subject"].FirstOrDefault(), options.Workspace.Paths.Root);
        return new RazorComponentResult<TComponent>(new Dictionary<string, object?> { ["Page"] = page, ["Model"] = model }) { StatusCode = status };
    }

    private static async Task<IResult> ResolveAsync(HttpContext http, string id, string verdict, [FromForm] string? reason, [FromForm] string? back,
        DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        var target = LocalOrDefault(back, "/escalations");
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Redirect(target, "reason", id);
        }

        var approve = verdict == "approve";
        var closed = await workspace.ResolveAsync(id, approve, http.User.Name(), reason.Trim(), cancellationToken);
        if (closed is not null)
        {
            return Redirect(target, approve ? "approved" : "rejected", id);
        }

        var exists = (await workspace.EscalationsAsync(cancellationToken)).Any(e => e.Id == id);
        return Redirect(target, exists ? "closed" : "unknown", id);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, [FromForm] string? name, [FromForm] string? password, [FromForm] string? returnUrl,
        LocalAccounts accounts, CancellationToken cancellationToken)
    {
        var target = LocalOrDefault(returnUrl);
        var account = await accounts.VerifyAsync(name ?? string.Empty, password ?? string.Empty, cancellationToken);
        if (account is null)
        {
            return TypedResults.Redirect("/signin?error=1&returnUrl=" + Uri.EscapeDataString(target));
        }

        var principal = DashboardPrincipal.Create(account.Name, account.Role, DashboardPrincipal.Local, account.MustChangePassword);
        await http.SignInAsync(AuthenticationSetup.CookieScheme, principal, new AuthenticationProperties { IsPersistent = false });
        return TypedResults.Redirect(account.MustChangePassword ? "/account/password" : target);
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext http, [FromForm] string? current, [FromForm] string? password, [FromForm] string? confirm,
        LocalAccounts accounts, CancellationToken cancellationToken)
    {
        if (http.User.Method() != DashboardPrincipal.Local)
        {
            return Error("Only local accounts have a password here; change it at your sign-in provider.");
        }

        if (await accounts.VerifyAsync(http.User.Name(), current ?? string.Empty, cancellationToken) is not { } account)
        {
            return Error("The current password is wrong.");
        }

        if (password != confirm)
        {
            return Error("The two new passwords differ.");
        }

        if (password == current)
        {
            return Error("The new password must differ from the current one.");
        }

        try
        {
            await accounts.ChangePasswordAsync(account.Name, password ?? string.Empty, cancellationToken);
        }
        catch (AccountException e)
        {
            return Error(e.Message);
        }

        await http.SignInAsync(AuthenticationSetup.CookieScheme, DashboardPrincipal.Create(account.Name, account.Role, DashboardPrincipal.Local, mustChangePassword: false));
        return Redirect("/kanban", "password", null);

        static IResult Error(string message) => TypedResults.Redirect("/account/password?error=" + Uri.EscapeDataString(message));
    }

    private static async Task<IResult> AccountActionAsync(HttpContext http, [FromForm] string? action, [FromForm] string? name, [FromForm] string? role,
        LocalAccounts accounts, CancellationToken cancellationToken)
    {
        try
        {
            var account = (name ?? string.Empty).Trim();
            switch (action)
            {
                case "add":
                    var password = await accounts.AddAsync(account, role ?? DashboardRoles.Viewer, cancellationToken);
                    return Render<UsersPage>(http, new UsersModel(await accounts.ListAsync(cancellationToken), accounts.UsersFile, new OneTimePassword(account, password)));
                case "reset":
                    var reset = await accounts.ResetPasswordAsync(account, cancellationToken);
                    return Render<UsersPage>(http, new UsersModel(await accounts.ListAsync(cancellationToken), accounts.UsersFile, new OneTimePassword(account, reset)));
                case "role":
                    await accounts.SetRoleAsync(account, role ?? string.Empty, cancellationToken);
                    break;
                case "remove":
                    if (string.Equals(account, http.User.Name(), StringComparison.OrdinalIgnoreCase))
                    {
                        throw new AccountException("You cannot remove your own account.");
                    }

                    await accounts.RemoveAsync(account, cancellationToken);
                    break;
                default:
                    throw new AccountException("Unknown action.");
            }
        }
        catch (AccountException e)
        {
            return Redirect("/admin/users", "account", e.Message);
        }

        return TypedResults.Redirect("/admin/users");
    }

    private static RedirectHttpResult Redirect(string target, string flash, string? subject)
    {
        var separator = target.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return TypedResults.Redirect($"{target}{separator}flash={flash}{(subject is null ? string.Empty : "&subject=" + Uri.EscapeDataString(subject))}");
    }

    /// <summary>A return address is followed only when it is a path of this dashboard (no open redirect).</summary>
    private static string LocalOrDefault(string? url, string fallback = "/kanban") =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal) ? url : fallback;
}

public sealed record SignInModel(bool Failed, string ReturnUrl, string? OidcName);

public sealed record OneTimePassword(string Account, string Password);

public sealed record UsersModel(System.Collections.Immutable.ImmutableArray<LocalAccount> Accounts, string UsersFile, OneTimePassword? Created);
