using System.Diagnostics;
using System.Globalization;

namespace Modernizer.Bench;

/// <summary>What one run of the <c>modernize</c> command cost, timed from outside as a user runs it:
/// process start, JIT and every stage included. CPU seconds come from <c>/usr/bin/time</c> when the
/// machine has it (null otherwise): on a busy machine they show what wall time would be on an idle one.</summary>
internal sealed record CliTiming(int ExitCode, TimeSpan Elapsed, double? UserSeconds, double? SystemSeconds, string LoadBefore, string LoadAfter, string Output)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Elapsed.TotalSeconds:0.00} s wall (exit {ExitCode}){(UserSeconds is { } u && SystemSeconds is { } s ? $", {u:0.0} s user + {s:0.0} s system CPU" : "")}; load average {LoadBefore} before, {LoadAfter} after");
}

/// <summary>Runs the <c>modernize</c> executable in a child process. The executable is <c>--cli PATH</c>
/// when given, else the CLI built beside the bench (the bench references the CLI project).</summary>
internal static class CliProcess
{
    private const string TimeTool = "/usr/bin/time";

    /// <summary>The command line that starts the CLI: an apphost, or <c>dotnet modernize.dll</c>.</summary>
    public static (string FileName, string[] Prefix) Locate(string[] args)
    {
        var index = Array.IndexOf(args, "--cli");
        if (index >= 0 && index + 1 < args.Length)
        {
            var path = Path.GetFullPath(args[index + 1]);
            return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [path]) : (path, []);
        }

        var host = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "modernize.exe" : "modernize");
        if (File.Exists(host))
        {
            return (host, []);
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "modernize.dll");
        return File.Exists(dll)
            ? ("dotnet", [dll])
            : throw new FileNotFoundException($"no modernize executable beside the bench in {AppContext.BaseDirectory}; pass --cli PATH");
    }

    public static async Task<CliTiming> RunAsync((string FileName, string[] Prefix) cli, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var timed = File.Exists(TimeTool);
        var start = new ProcessStartInfo(timed ? TimeTool : cli.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (timed)
        {
            // The last line of stderr: user and system CPU seconds of the command and its children.
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add("cpu %U %S");
            start.ArgumentList.Add(cli.FileName);
        }

        foreach (var argument in cli.Prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var before = LoadAverage();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var elapsed = watch.Elapsed;
        var output = await stdout;
        var errors = await stderr;
        double? user = null, system = null;
        var cpu = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (timed && cpu is not null)
        {
            var parts = cpu.Split(' ');
            user = double.Parse(parts[1], CultureInfo.InvariantCulture);
            system = double.Parse(parts[2], CultureInfo.InvariantCulture);
            errors = errors.Replace(cpu, string.Empty, StringComparison.Ordinal);
        }

        return new CliTiming(process.ExitCode, elapsed, user, system, before, LoadAverage(), (output + errors).Trim());
    }

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>uptime</c> prints them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
