using System.Text.Json;
using Modernizer.Domain.Serialization;
using Spectre.Console;

namespace Modernizer.Cli.Infrastructure;

/// <summary>Writes a command's machine-readable result: to a file (atomically) when <c>--json FILE</c>
/// names one, else to standard output.</summary>
internal static class JsonOutput
{
    public static async Task WriteAsync<T>(IAnsiConsole console, string? file, T value, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(file) || file == "-")
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, JsonDefaults.Artifact));
            return;
        }

        await AtomicFile.WriteJsonAsync(file, value, cancellationToken);
    }
}
