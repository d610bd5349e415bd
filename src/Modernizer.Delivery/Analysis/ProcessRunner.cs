using System.Diagnostics;
using System.Text;

namespace Modernizer.Delivery.Analysis;

/// <summary>The result of an external tool: exit code and both streams.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs an external tool (sqlfluff, bandit) with an argument list (never a shell string), in a
/// working folder, killed on cancellation.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Tools must not pick up a user's configuration or write caches into the bundle.
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DeliveryException($"{executable} is not installed or not on PATH ({e.Message}); install it (Debian: apt-get install {Path.GetFileName(executable)}).", e);
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>The first line of <c>TOOL --version</c>, or null when the tool is missing.</summary>
    public static async Task<string?> VersionAsync(string executable, CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunAsync(executable, ["--version"], Path.GetTempPath(), cancellationToken).ConfigureAwait(false);
            var text = (result.StandardOutput + result.StandardError).Trim();
            return result.ExitCode == 0 && text.Length > 0 ? text.Split('\n')[0].Trim() : null;
        }
        catch (DeliveryException)
        {
            return null;
        }
    }
}
