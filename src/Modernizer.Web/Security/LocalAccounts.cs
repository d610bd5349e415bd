using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Modernizer.Domain.Serialization;

namespace Modernizer.Web.Security;

/// <summary>The dashboard's local accounts: those of the configuration (read-only) and those of the
/// users file (JSON, written atomically, readable by its owner only). Passwords are checked with
/// ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>; the file is read again on every
/// check, so an edit applies without a restart.</summary>
public sealed partial class LocalAccounts
{
    private const int OneTimePasswordLength = 20;
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private readonly PasswordHasher<LocalAccount> _hasher = new();
    private readonly ImmutableArray<LocalAccount> _configured;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // A hash to verify against when the name is unknown, so the answer takes as long either way.
    private readonly string _decoyHash;

    private LocalAccounts(string usersFile, ImmutableArray<LocalAccount> configured)
    {
        UsersFile = usersFile;
        _configured = configured;
        _decoyHash = _hasher.HashPassword(new LocalAccount("-", DashboardRoles.Viewer, string.Empty, false), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
    }

    public string UsersFile { get; }

    /// <summary>The one-time password of the admin account created on this start, when no account
    /// existed; null otherwise. The caller prints it once; it is stored only as a hash.</summary>
    public string? CreatedAdminPassword { get; private set; }

    /// <summary>Opens the accounts; when neither the configuration nor the users file has any, creates
    /// the account <c>admin</c> with a one-time password (<see cref="CreatedAdminPassword"/>).</summary>
    public static async Task<LocalAccounts> OpenAsync(string usersFile, IEnumerable<LocalAccount> configured, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(usersFile);
        ArgumentNullException.ThrowIfNull(configured);
        var fromConfiguration = configured.Select(a => a with { Source = AccountSource.Configuration }).ToImmutableArray();
        foreach (var account in fromConfiguration)
        {
            Validate(account, "the configuration");
        }

        var accounts = new LocalAccounts(Path.GetFullPath(usersFile), fromConfiguration);
        var stored = await accounts.ReadFileAsync(cancellationToken);
        if (fromConfiguration.IsEmpty && stored.IsEmpty)
        {
            accounts.CreatedAdminPassword = NewPassword();
            var admin = new LocalAccount("admin", DashboardRoles.Admin, accounts.Hash("admin", accounts.CreatedAdminPassword), MustChangePassword: true);
            await accounts.WriteFileAsync([admin], cancellationToken);
        }

        return accounts;
    }

    public async Task<ImmutableArray<LocalAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var stored = await ReadFileAsync(cancellationToken);
        return [.. _configured, .. stored.Where(s => !_configured.Any(c => SameName(c.Name, s.Name)))];
    }

    /// <summary>The account when the name and password match, else null.</summary>
    public async Task<LocalAccount?> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var account = (await ListAsync(cancellationToken)).FirstOrDefault(a => SameName(a.Name, name));
        var result = _hasher.VerifyHashedPassword(account ?? new LocalAccount(name, DashboardRoles.Viewer, _decoyHash, false), account?.PasswordHash ?? _decoyHash, password);
        return account is not null && result != PasswordVerificationResult.Failed ? account : null;
    }

    /// <summary>Sets a new password for an account of the users file and clears its one-time mark.</summary>
    public async Task ChangePasswordAsync(string name, string newPassword, CancellationToken cancellationToken)
    {
        CheckPasswordStrength(newPassword);
        await UpdateFileAsync(name, a => a with { PasswordHash = Hash(a.Name, newPassword), MustChangePassword = false }, cancellationToken);
    }

    /// <summary>Adds an account to the users file; returns its one-time password.</summary>
    public async Task<string> AddAsync(string name, string role, CancellationToken cancellationToken)
    {
        var password = NewPassword();
        var account = new LocalAccount(name.Trim(), role, Hash(name.Trim(), password), MustChangePassword: true);
        Validate(account, UsersFile);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if ((await ListAsync(cancellationToken)).Any(a => SameName(a.Name, account.Name)))
            {
                throw new AccountException($"An account named '{account.Name}' already exists.");
            }

            await WriteFileAsync([.. await ReadFileAsync(cancellationToken), account], cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        return password;
    }

    /// <summary>Gives an account of the users file a new one-time password; returns it.</summary>
    public async Task<string> ResetPasswordAsync(string name, CancellationToken cancellationToken)
    {
        var password = NewPassword();
        await UpdateFileAsync(name, a => a with { PasswordHash = Hash(a.Name, password), MustChangePassword = true }, cancellationToken);
        return password;
    }

    public async Task SetRoleAsync(string name, string role, CancellationToken cancellationToken)
    {
        if (!DashboardRoles.IsKnown(role))
        {
            throw new AccountException($"Unknown role '{role}': expected viewer, approver or admin.");
        }

        await UpdateFileAsync(name, a => a with { Role = role }, cancellationToken);
    }

    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var stored = await ReadFileAsync(cancellationToken);
            RequireInFile(stored, name);
            var rest = stored.Where(a => !SameName(a.Name, name)).ToImmutableArray();
            if (!rest.Concat(_configured).Any(a => a.Role == DashboardRoles.Admin))
            {
                throw new AccountException("The last admin account cannot be removed.");
            }

            await WriteFileAsync(rest, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A password hash for the configuration (<c>MODERNIZE_DASHBOARD_Users__0__PasswordHash</c>).</summary>
    public static string HashForConfiguration(string name, string password)
    {
        CheckPasswordStrength(password);
        return new PasswordHasher<LocalAccount>().HashPassword(new LocalAccount(name, DashboardRoles.Viewer, string.Empty, false), password);
    }

    public static void CheckPasswordStrength(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < 12)
        {
            throw new AccountException("A password needs at least 12 characters.");
        }
    }

    private string Hash(string name, string password) =>
        _hasher.HashPassword(new LocalAccount(name, DashboardRoles.Viewer, string.Empty, false), password);

    private async Task UpdateFileAsync(string name, Func<LocalAccount, LocalAccount> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var stored = await ReadFileAsync(cancellationToken);
            RequireInFile(stored, name);
            var updated = stored.Select(a => SameName(a.Name, name) ? change(a) : a).ToImmutableArray();
            if (!updated.Concat(_configured).Any(a => a.Role == DashboardRoles.Admin))
            {
                throw new AccountException("The last admin account must stay an admin.");
            }

            await WriteFileAsync(updated, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RequireInFile(ImmutableArray<LocalAccount> stored, string name)
    {
        if (_configured.Any(c => SameName(c.Name, name)))
        {
            throw new AccountException($"The account '{name}' is defined in the configuration; change it there.");
        }

        if (!stored.Any(a => SameName(a.Name, name)))
        {
            throw new AccountException($"No account is named '{name}'.");
        }
    }

    private async Task<ImmutableArray<LocalAccount>> ReadFileAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(UsersFile))
        {
            return [];
        }

        UsersDocument? document;
        try
        {
            await using var stream = File.OpenRead(UsersFile);
            document = await JsonSerializer.DeserializeAsync<UsersDocument>(stream, JsonDefaults.Artifact, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new AccountException($"{UsersFile}: not a valid users file ({e.Message}). Expected {{\"users\": [{{\"name\", \"role\", \"password_hash\", \"must_change_password\"}}]}}.");
        }

        var accounts = (document?.Users ?? []).Select(u => new LocalAccount(u.Name ?? string.Empty, u.Role ?? string.Empty, u.PasswordHash ?? string.Empty, u.MustChangePassword)).ToImmutableArray();
        foreach (var account in accounts)
        {
            Validate(account, UsersFile);
        }

        return accounts;
    }

    private async Task WriteFileAsync(ImmutableArray<LocalAccount> accounts, CancellationToken cancellationToken)
    {
        var document = new UsersDocument([.. accounts.Select(a => new UserEntry(a.Name, a.Role, a.PasswordHash, a.MustChangePassword))]);
        await AtomicFile.WriteJsonAsync(UsersFile, document, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(UsersFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void Validate(LocalAccount account, string source)
    {
        if (!AccountName().IsMatch(account.Name))
        {
            throw new AccountException($"{source}: the account name '{account.Name}' is not valid: 1 to 64 letters, digits, '.', '_', '-' or '@'.");
        }

        if (!DashboardRoles.IsKnown(account.Role))
        {
            throw new AccountException($"{source}: the account '{account.Name}' has the role '{account.Role}': expected viewer, approver or admin.");
        }

        if (string.IsNullOrWhiteSpace(account.PasswordHash))
        {
            throw new AccountException($"{source}: the account '{account.Name}' has no password hash (make one with `modernize serve --hash-password`).");
        }
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string NewPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, OneTimePasswordLength);

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex AccountName();

    private sealed record UsersDocument(ImmutableArray<UserEntry>? Users);

    private sealed record UserEntry(string? Name, string? Role, string? PasswordHash, bool MustChangePassword);
}

/// <summary>A problem with an account or the users file, said so a person can fix it.</summary>
public sealed class AccountException : Exception
{
    public AccountException()
    {
    }

    public AccountException(string message)
        : base(message)
    {
    }

    public AccountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
