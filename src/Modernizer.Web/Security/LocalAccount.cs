namespace Modernizer.Web.Security;

/// <summary>A local account: a name, a role and an ASP.NET Core Identity password hash (PBKDF2,
/// format v3). <see cref="MustChangePassword"/> marks a one-time password.</summary>
public sealed record LocalAccount(string Name, string Role, string PasswordHash, bool MustChangePassword)
{
    /// <summary>Where the account is defined: the users file can be edited from the dashboard, the
    /// configuration cannot.</summary>
    public AccountSource Source { get; init; } = AccountSource.UsersFile;
}

public enum AccountSource
{
    UsersFile,
    Configuration,
}
