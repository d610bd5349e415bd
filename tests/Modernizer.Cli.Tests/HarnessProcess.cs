using System.Diagnostics;
using System.Text;

namespace Modernizer.Cli.Tests;

/// <summary>The `modernize` command with the synthetic workload (Modernizer.Pipeline.Harness) as a real
/// child process: its stdout lines are handed to the caller as they come, so a test can signal or kill
/// it at a chosen point.</summary>
internal static class HarnessProcess
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>Runs the harness with <paramref name="arguments"/>; <paramref name="onLine"/> sees each
    /// stdout line with the running process (to signal it). Waits at most two minutes.</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, Func<string, Process, Task>? onLine = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Modernizer.Pipeline.Harness.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            output.AppendLine(line);
            if (onLine is not null)
            {
                await onLine(line, process);
            }
        }

        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        return new Result(process.ExitCode, output.ToString(), await errors);
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static async Task InterruptAsync(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
