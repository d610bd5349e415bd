using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Modernizer.Web.Security;
using Modernizer.Web.Tests.Infrastructure;

namespace Modernizer.Web.Tests;

/// <summary>The `modernize serve` command itself, besides what the browser tests do with it.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_has_help_with_examples_and_a_bad_users_file_is_an_error_naming_it()
    {
        var (help, text) = await SampleDashboard.RunInProcessAsync("serve", "--help");
        Assert.Equal(0, help);
        Assert.Contains("EXAMPLES:", text, StringComparison.Ordinal);

        await using var dashboard = await TestDashboard.CreateAsync();
        var users = Path.Combine(dashboard.Root, "users.json");
        await File.WriteAllTextAsync(users, "{ \"users\": [ { \"name\": \"ana\", \"role\": \"boss\", \"password_hash\": \"x\" } ] }");
        var (exit, output) = await SampleDashboard.RunInProcessAsync("serve", "--workspace", dashboard.Root, "--users", users);
        Assert.Equal(2, exit);
        Assert.Contains(users + ": the account 'ana' has the role 'boss': expected viewer, approver or admin", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_password_prints_a_hash_the_dashboard_accepts_for_that_password()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "modernize.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--hash-password");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("a long secret phrase");
        process.StandardInput.Close();
        var hash = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        var account = new LocalAccount("ana", DashboardRoles.Approver, hash, false);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<LocalAccount>().VerifyHashedPassword(account, hash, "a long secret phrase"));
        Assert.Equal(PasswordVerificationResult.Failed, new PasswordHasher<LocalAccount>().VerifyHashedPassword(account, hash, "another phrase!!"));
    }
}
