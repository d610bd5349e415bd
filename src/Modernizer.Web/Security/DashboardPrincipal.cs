using System.Security.Claims;

namespace Modernizer.Web.Security;

/// <summary>Builds the signed-in user: name, role claims (the role and the lower ones), how they
/// signed in, and the one-time password mark.</summary>
public static class DashboardPrincipal
{
    public const string Local = "local";
    public const string Oidc = "oidc";
    public const string Basic = "basic";

    public static ClaimsPrincipal Create(string name, string role, string method, bool mustChangePassword)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(DashboardClaims.Method, method),
        };
        claims.AddRange(DashboardRoles.Implied(role).Select(r => new Claim(ClaimTypes.Role, r)));
        if (mustChangePassword)
        {
            claims.Add(new Claim(DashboardClaims.MustChangePassword, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, method, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string Name(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name ?? string.Empty;
    }

    public static string Role(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return DashboardRoles.Highest(user.FindAll(ClaimTypes.Role).Select(c => c.Value)) ?? "none";
    }

    public static string Method(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(DashboardClaims.Method) ?? string.Empty;
    }

    public static bool MustChangePassword(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(DashboardClaims.MustChangePassword, "true");
    }

    public static bool CanApprove(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(DashboardRoles.Approver);
    }

    public static bool IsAdmin(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(DashboardRoles.Admin);
    }
}
