using System.Collections.Immutable;

namespace Modernizer.Web.Security;

/// <summary>The dashboard's three roles, ordered: an approver can do what a viewer can, an admin what
/// an approver can. Only approvers (and admins) approve or reject escalations (X3).</summary>
public static class DashboardRoles
{
    public const string Viewer = "viewer";
    public const string Approver = "approver";
    public const string Admin = "admin";

    public static ImmutableArray<string> All { get; } = [Viewer, Approver, Admin];

    public static bool IsKnown(string? role) => role is Viewer or Approver or Admin;

    /// <summary>The role claims a user of <paramref name="role"/> holds (the role and every lower one).</summary>
    public static ImmutableArray<string> Implied(string role) => role switch
    {
        Admin => [Viewer, Approver, Admin],
        Approver => [Viewer, Approver],
        Viewer => [Viewer],
        _ => [],
    };

    /// <summary>The highest of the given roles, or null when none is known.</summary>
    public static string? Highest(IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return set.Contains(Admin) ? Admin : set.Contains(Approver) ? Approver : set.Contains(Viewer) ? Viewer : null;
    }
}

/// <summary>Authorization policy names.</summary>
public static class DashboardPolicies
{
    /// <summary>Every page and API call: a signed-in user with at least the viewer role.</summary>
    public const string View = "view";

    /// <summary>Approve or reject an escalation.</summary>
    public const string Approve = "approve";

    /// <summary>Manage the local accounts.</summary>
    public const string Administer = "administer";
}

/// <summary>Claim types the dashboard adds to a signed-in user.</summary>
public static class DashboardClaims
{
    /// <summary>"true" while a local account still has its one-time password: every page but the
    /// password change is refused until it is changed.</summary>
    public const string MustChangePassword = "modernize:must_change_password";

    /// <summary>How the user signed in: local, oidc or basic (API clients).</summary>
    public const string Method = "modernize:sign_in_method";
}
