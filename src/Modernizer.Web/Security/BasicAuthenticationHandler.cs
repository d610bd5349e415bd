using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Modernizer.Web.Security;

/// <summary>HTTP Basic authentication with the local accounts, for scripts that call the JSON API
/// (no cookie, so no cross-site request can ride on it). An account that still has its one-time
/// password is refused until the password is changed on the dashboard.</summary>
internal sealed class BasicAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LocalAccounts accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "basic";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadCredentials(Request.Headers.Authorization.ToString(), out var name, out var password))
        {
            return AuthenticateResult.NoResult();
        }

        var account = await accounts.VerifyAsync(name, password, Context.RequestAborted);
        if (account is null)
        {
            return AuthenticateResult.Fail("wrong account name or password");
        }

        if (account.MustChangePassword)
        {
            return AuthenticateResult.Fail("the account still has its one-time password: sign in on the dashboard and change it first");
        }

        var principal = DashboardPrincipal.Create(account.Name, account.Role, DashboardPrincipal.Basic, mustChangePassword: false);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"modernize\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    public static bool IsBasic(string? header) => header?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true;

    private static bool TryReadCredentials(string header, out string name, out string password)
    {
        name = password = string.Empty;
        if (!IsBasic(header))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }

            name = decoded[..colon];
            password = decoded[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
