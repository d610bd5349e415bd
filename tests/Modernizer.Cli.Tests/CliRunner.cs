using Modernizer.Cli.Composition;
using Spectre.Console;

namespace Modernizer.Cli.Tests;

/// <summary>Runs the real command tree in-process with a captured, non-interactive console.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Output)> RunAsync(ModernizeServices services, params string[] args)
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
        var exit = await ModernizeApp.RunAsync(args, services, console);
        return (exit, writer.ToString());
    }

    public static ModernizeServices Services(StageWorkRegistry? registry = null, ISampleWorkspace? sample = null) =>
        new(registry ?? new StageWorkRegistry(), sample, TimeProvider.System, new Dictionary<string, string>());
}

/// <summary>A unique temporary folder, removed at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modernizer-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never created.
        }
        catch (IOException)
        {
            // A file held by a killed child process; the OS cleans temp.
        }
    }
}
