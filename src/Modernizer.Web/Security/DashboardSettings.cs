using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;

namespace Modernizer.Web.Security;

/// <summary>OpenID Connect sign-in (optional): the provider, this client, and how the provider's
/// claims map to the dashboard's roles. The client secret comes from the environment only.</summary>
public sealed record OidcSettings(
    string Authority,
    string ClientId,
    string? ClientSecret,
    string DisplayName,
    string RoleClaim,
    string NameClaim,
    ImmutableDictionary<string, string> RoleValues,
    string? DefaultRole,
    bool RequireHttpsMetadata);

/// <summary>The dashboard's configuration, from environment variables prefixed
/// <c>MODERNIZE_DASHBOARD_</c> (ASP.NET Core's convention: <c>__</c> separates levels), e.g.
/// <c>MODERNIZE_DASHBOARD_Users__0__Name=ana</c>, <c>..._Users__0__Role=approver</c>,
/// <c>..._Users__0__PasswordHash=AQAAAA...</c>, <c>MODERNIZE_DASHBOARD_UsersFile=/etc/modernize/users.json</c>,
/// <c>MODERNIZE_DASHBOARD_Oidc__Authority=https://login.example.com</c>.</summary>
public sealed record DashboardSettings(ImmutableArray<LocalAccount> Users, string? UsersFile, OidcSettings? Oidc)
{
    public const string Prefix = "MODERNIZE_DASHBOARD_";

    public static DashboardSettings Default { get; } = new([], null, null);

    public static DashboardSettings FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                .Select(e => KeyValuePair.Create(e.Key[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var users = configuration.GetSection("Users").GetChildren()
            .Select(u => new LocalAccount(u["Name"] ?? string.Empty, u["Role"] ?? DashboardRoles.Viewer, u["PasswordHash"] ?? string.Empty, MustChangePassword: false))
            .ToImmutableArray();
        return new DashboardSettings(users, Blank(configuration["UsersFile"]), ReadOidc(configuration.GetSection("Oidc")));
    }

    private static OidcSettings? ReadOidc(IConfigurationSection section)
    {
        var authority = Blank(section["Authority"]);
        var clientId = Blank(section["ClientId"]);
        if (authority is null && clientId is null)
        {
            return null;
        }

        if (authority is null || clientId is null)
        {
            throw new AccountException($"OpenID Connect needs both {Prefix}Oidc__Authority and {Prefix}Oidc__ClientId.");
        }

        var values = section.GetSection("Roles").GetChildren()
            .Where(r => DashboardRoles.IsKnown(r.Key) && !string.IsNullOrWhiteSpace(r.Value))
            .SelectMany(r => r.Value!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => KeyValuePair.Create(v, r.Key)))
            .ToImmutableDictionary(StringComparer.Ordinal);
        var defaultRole = Blank(section["DefaultRole"]) ?? DashboardRoles.Viewer;
        if (defaultRole != "none" && !DashboardRoles.IsKnown(defaultRole))
        {
            throw new AccountException($"{Prefix}Oidc__DefaultRole is '{defaultRole}': expected viewer, approver, admin or none.");
        }

        return new OidcSettings(
            authority,
            clientId,
            Blank(section["ClientSecret"]),
            Blank(section["DisplayName"]) ?? "single sign-on",
            Blank(section["RoleClaim"]) ?? "roles",
            Blank(section["NameClaim"]) ?? "preferred_username",
            values,
            defaultRole == "none" ? null : defaultRole,
            !string.Equals(section["RequireHttpsMetadata"], "false", StringComparison.OrdinalIgnoreCase));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
