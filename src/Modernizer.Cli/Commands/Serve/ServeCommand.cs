using System.ComponentModel;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Web.Hosting;
using Modernizer.Web.Security;
using Modernizer.Web.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Serve;

/// <summary><c>modernize serve --workspace DIR [--urls URL]</c>: the dashboard and its JSON API over the
/// workspace's state store and artifacts (R5.2, X2, X3). It only reads, except approvals and
/// rejections, which go through the escalation queue like <c>modernize escalations approve</c>; so it
/// runs beside <c>modernize run</c> processes.</summary>
internal sealed class ServeCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--urls <URLS>")]
        [Description("Where to listen, ';'-separated (default http://127.0.0.1:5080). Port 0 picks a free port. Use https:// (with a certificate configured for Kestrel) when others connect: the sign-in cookie is Secure.")]
        public string Urls { get; init; } = DashboardOptions.DefaultUrl;

        [CommandOption("--users <FILE>")]
        [Description("The users file (default .modernize/users.json, or MODERNIZE_DASHBOARD_UsersFile).")]
        public string? UsersFile { get; init; }

        [CommandOption("--hash-password")]
        [Description("Read a password from standard input, print its hash for MODERNIZE_DASHBOARD_Users__N__PasswordHash, and exit.")]
        public bool HashPassword { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.HashPassword)
        {
            var password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n') ?? string.Empty;
            try
            {
                console.Profile.Out.Writer.WriteLine(LocalAccounts.HashForConfiguration("-", password));
            }
            catch (AccountException e)
            {
                throw new CliException(e.Message);
            }

            return ExitCodes.Ok;
        }

        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        DashboardSettings dashboard;
        LocalAccounts accounts;
        try
        {
            dashboard = DashboardSettings.FromEnvironment(services.Environment);
            var usersFile = settings.UsersFile ?? dashboard.UsersFile ?? Path.Combine(session.Paths.Output, "users.json");
            accounts = await LocalAccounts.OpenAsync(usersFile, dashboard.Users, cancellationToken);
        }
        catch (AccountException e)
        {
            throw new CliException(e.Message);
        }

        var workspace = new DashboardWorkspace(session.Store, session.Paths, services.Registry.AvailableStages, services.Clock);
        var urls = settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var options = new DashboardOptions(workspace, accounts, dashboard, services.Clock) { Urls = urls };
        using var host = DashboardHost.CreateBuilder(options).Build();
        await host.StartAsync(cancellationToken);
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var writer = console.Profile.Out.Writer;
        foreach (var address in addresses)
        {
            writer.WriteLine($"dashboard: {address}");
        }

        foreach (var url in urls.Where(PlainHttpToOthers))
        {
            writer.WriteLine($"warning: {url} is plain http on a non-loopback address: browsers keep the Secure sign-in cookie only over https (use https://, or a TLS-terminating proxy)");
        }

        writer.WriteLine($"workspace: {session.Paths.Root}");
        writer.WriteLine($"accounts: {accounts.UsersFile}{(dashboard.Users.IsEmpty ? string.Empty : $" and {dashboard.Users.Length} from the configuration")}");
        if (accounts.CreatedAdminPassword is { } oneTime)
        {
            // Printed once: only its hash is kept, and it must be changed at the first sign-in.
            writer.WriteLine($"created the account admin with the one-time password: {oneTime}");
            writer.WriteLine("it is shown only now; sign in and choose your own password");
        }

        writer.WriteLine("press Ctrl+C to stop");
        writer.Flush();
        await host.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private static bool PlainHttpToOthers(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback;
}
