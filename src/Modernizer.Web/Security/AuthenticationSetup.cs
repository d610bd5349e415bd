using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Modernizer.Web.Security;

/// <summary>Sign-in: a cookie for people (local accounts, or OpenID Connect when configured) and
/// HTTP Basic for API scripts; every endpoint needs a signed-in viewer unless it says otherwise.</summary>
internal static class AuthenticationSetup
{
    public const string Selector = "modernize";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CookieName = "__Host-modernize";
    public const string AntiforgeryCookieName = "modernize-csrf";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static void AddDashboardAuthentication(this IServiceCollection services, OidcSettings? oidc)
    {
        var builder = services.AddAuthentication(options =>
            {
                options.DefaultScheme = Selector;
                options.DefaultChallengeScheme = Selector;
            })
            .AddPolicyScheme(Selector, "cookie or basic", options =>
                options.ForwardDefaultSelector = context => BasicAuthenticationHandler.IsBasic(context.Request.Headers.Authorization.ToString())
                    ? BasicAuthenticationHandler.SchemeName
                    : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                // Lax, not Strict: the OpenID Connect callback is a cross-site navigation.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/signin";
                options.LogoutPath = "/signout";
                options.AccessDeniedPath = "/denied";
                options.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = RefreshLocalAccountAsync;
            });
        if (oidc is not null)
        {
            builder.AddOpenIdConnect(OidcScheme, oidc.DisplayName, options =>
            {
                options.Authority = oidc.Authority;
                options.ClientId = oidc.ClientId;
                options.ClientSecret = oidc.ClientSecret;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                options.SaveTokens = false;
                options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                options.SignInScheme = CookieScheme;
                options.CallbackPath = "/signin-oidc";
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                options.Scope.Add("email");
                options.MapInboundClaims = false;
                options.Events.OnTokenValidated = context => MapOidcUser(context, oidc);
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardPolicies.View, policy => policy.RequireAuthenticatedUser().RequireRole(DashboardRoles.Viewer))
            .AddPolicy(DashboardPolicies.Approve, policy => policy.RequireAuthenticatedUser().RequireRole(DashboardRoles.Approver))
            .AddPolicy(DashboardPolicies.Administer, policy => policy.RequireAuthenticatedUser().RequireRole(DashboardRoles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(DashboardRoles.Viewer).Build());

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            // Secure on https; on http (a loopback address, or behind a TLS proxy) the token could not
            // be issued at all with Always. It is a CSRF secret, not a credential.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = AntiforgeryHeader;
        });
    }

    /// <summary>API callers get a status code, people get the sign-in or "not allowed" page.</summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (DashboardPaths.IsApi(context.Request.Path))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"modernize\", charset=\"UTF-8\"";
            }

            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A local account's cookie follows the account: removed accounts are signed out, a
    /// changed role or password applies at the next request.</summary>
    private static async Task RefreshLocalAccountAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal || principal.Method() != DashboardPrincipal.Local)
        {
            return;
        }

        var accounts = context.HttpContext.RequestServices.GetRequiredService<LocalAccounts>();
        var account = (await accounts.ListAsync(context.HttpContext.RequestAborted))
            .FirstOrDefault(a => string.Equals(a.Name, principal.Name(), StringComparison.OrdinalIgnoreCase));
        if (account is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        if (account.Role != principal.Role() || account.MustChangePassword != principal.MustChangePassword())
        {
            context.ReplacePrincipal(DashboardPrincipal.Create(account.Name, account.Role, DashboardPrincipal.Local, account.MustChangePassword));
            context.ShouldRenew = true;
        }
    }

    /// <summary>The provider's user becomes a dashboard user: the name from the configured claim, the
    /// highest role whose configured value (or name) appears in the role claim, else the default role;
    /// with no default role a user without a mapped role is refused.</summary>
    private static Task MapOidcUser(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context, OidcSettings oidc)
    {
        var principal = context.Principal ?? new ClaimsPrincipal();
        var name = principal.FindFirstValue(oidc.NameClaim) ?? principal.FindFirstValue("email") ?? principal.FindFirstValue("sub");
        var roles = principal.FindAll(oidc.RoleClaim).Select(c => c.Value)
            .Select(v => oidc.RoleValues.TryGetValue(v, out var mapped) ? mapped : DashboardRoles.IsKnown(v) ? v : null)
            .Where(r => r is not null)
            .Select(r => r!);
        var role = DashboardRoles.Highest(roles) ?? oidc.DefaultRole;
        if (string.IsNullOrWhiteSpace(name) || role is null)
        {
            context.Fail("the provider's user has no name or no dashboard role");
            return Task.CompletedTask;
        }

        context.Principal = DashboardPrincipal.Create(name, role, DashboardPrincipal.Oidc, mustChangePassword: false);
        return Task.CompletedTask;
    }
}
