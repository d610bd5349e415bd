using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;
using Modernizer.Cli;
using Modernizer.Cli.Composition;
using Modernizer.Samples;
using Modernizer.Web.Security;
using Spectre.Console;

namespace Modernizer.Web.Tests.Infrastructure;

/// <summary>The retail sample workspace, run once by <c>modernize run</c>, served by a real
/// <c>modernize serve</c> process on a free port, and Debian's Chromium driven by Playwright (never a
/// downloaded browser). Shared by the browser tests; screenshots go to <see cref="Screenshots"/>.</summary>
public sealed class SampleDashboard : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Approver = "ana";
    public const string Viewer = "vera";
    public const string Password = "correct horse battery";

    /// <summary>A catalog job whose name is markup: it must render as text.</summary>
    public const string ScriptJob = "xss_probe";
    public const string ScriptName = "<script>alert(1)</script>";

    private static readonly string[] ChromiumFlags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private Process? _serve;
    private readonly StringBuilder _serveOutput = new();

    public string Workspace { get; } = Path.Combine(Path.GetTempPath(), "modernizer-sample-web-" + Guid.NewGuid().ToString("N"));

    public string Url { get; private set; } = string.Empty;

    public string Screenshots { get; } = Environment.GetEnvironmentVariable("MODERNIZER_SCREENSHOTS") is { Length: > 0 } folder
        ? Path.GetFullPath(folder)
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public IPlaywright Playwright { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>What `modernize run` needs besides the process environment: four named jobs keep the run short
    /// and hold what the pages show: the compliance-critical one (rank 1, escalated at prioritize),
    /// customer_360 (PII: escalated at code review), and orders_incremental_merge and
    /// store_inventory_report, which go through every tier to a delivered rewrite.</summary>
    public static Dictionary<string, string> RunEnvironment() => new(StringComparer.Ordinal)
    {
        ["MODERNIZE__SELECTION__JOBS"] = "orders_daily_revenue,customer_360,orders_incremental_merge,store_inventory_report",
    };

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (scripts/test.sh does it: apt-get install chromium).");
        Directory.CreateDirectory(Screenshots);
        await SampleWorkspaceWriter.WriteAsync(Workspace, new SampleOptions { Jobs = SampleOptions.MinimumJobs, Days = 60 }, progress: null, CancellationToken.None);
        await File.AppendAllTextAsync(Path.Combine(Workspace, "catalog", "jobs.csv"), $"{ScriptJob},{ScriptName},0 4 * * *,,etl,,2026-06-17\n");

        var (exit, output) = await RunInProcessAsync("run", "--workspace", Workspace);
        Assert.True(exit == 1, "the first run waits on the sample's escalations (exit 1):\n" + output);

        await StartServeAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // Playwright starts Chromium with a fresh temporary profile (user-data-dir) of its own.
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumFlags });
        Assertions.SetDefaultExpectTimeout(60_000);
    }

    /// <summary>A signed-in page of a new browser context (its own cookies).</summary>
    public async Task<IPage> SignInAsync(string account)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url, ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/kanban");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GetByLabel("Account").FillAsync(account);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-user]")).ToHaveTextAsync(account);
        return page;
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = false });

    /// <summary>`modernize run` as another process, as a team would run it beside the dashboard.</summary>
    public async Task<int> RunProcessAsync()
    {
        using var process = Process.Start(Modernize(["run", "--workspace", Workspace], RunEnvironment()))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode is 0 or 1, $"modernize run failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return process.ExitCode;
    }

    public static async Task<(int Exit, string Output)> RunInProcessAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 2000;
        var environment = new Dictionary<string, string>(ModernizeServices.ProcessEnvironment(), StringComparer.Ordinal);
        foreach (var (key, value) in RunEnvironment())
        {
            environment[key] = value;
        }

        var services = new ModernizeServices(RoleRegistrations.CreateDefault(), SampleRegistration.Create(), TimeProvider.System, environment);
        var exit = await ModernizeApp.RunAsync(args, services, console);
        return (exit, writer.ToString());
    }

    private async Task StartServeAsync()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var hash = LocalAccounts.HashForConfiguration("-", Password);
        foreach (var (index, name, role) in new[] { (0, Approver, DashboardRoles.Approver), (1, Viewer, DashboardRoles.Viewer) })
        {
            environment[$"{DashboardSettings.Prefix}Users__{index}__Name"] = name;
            environment[$"{DashboardSettings.Prefix}Users__{index}__Role"] = role;
            environment[$"{DashboardSettings.Prefix}Users__{index}__PasswordHash"] = hash;
        }

        _serve = Process.Start(Modernize(["serve", "--workspace", Workspace, "--urls", "http://127.0.0.1:0"], environment))!;
        _ = _serve.StandardError.ReadToEndAsync();
        while (await _serve.StandardOutput.ReadLineAsync() is { } line)
        {
            _serveOutput.AppendLine(line);
            if (line.StartsWith("dashboard: ", StringComparison.Ordinal))
            {
                Url = line["dashboard: ".Length..].Trim();
            }

            if (line.StartsWith("press Ctrl+C", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.True(Url.Length > 0, "modernize serve did not say where it listens:\n" + _serveOutput);
        // Keep draining its output so the process never blocks on a full pipe.
        _ = DrainAsync(_serve.StandardOutput);
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private static ProcessStartInfo Modernize(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "modernize.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            await _serve.WaitForExitAsync();
        }

        _serve?.Dispose();
        try
        {
            Directory.Delete(Workspace, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping server; the OS cleans temp.
        }
    }
}
