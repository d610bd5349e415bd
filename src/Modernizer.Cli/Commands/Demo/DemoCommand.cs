using System.ComponentModel;
using Modernizer.Cli.Commands.Run;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Demo;

/// <summary><c>modernize demo [DIR]</c>: writes the bundled sample workspace and runs it.</summary>
internal sealed class DemoCommand(IAnsiConsole console, ModernizeServices services, RunWorkflow workflow) : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[DIR]")]
        [Description("Where to write the sample workspace. Default: ./modernize-demo")]
        public string Directory { get; init; } = "modernize-demo";

        [CommandOption("--json [FILE]")]
        [Description("Machine-readable run result: to FILE, or to standard output.")]
        public FlagValue<string> Json { get; init; } = new();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var sample = services.Sample
            ?? throw new CliException("The bundled sample workspace is not available in this build (the Modernizer.Samples area is not wired in), so `modernize demo` cannot run.");
        await sample.WriteAsync(settings.Directory, cancellationToken);
        console.MarkupLine(Markup.Escape($"wrote the sample workspace to {Path.GetFullPath(settings.Directory)}"));
        var file = settings.Json.IsSet && !string.IsNullOrEmpty(settings.Json.Value) ? settings.Json.Value : null;
        return await workflow.RunAsync(settings.Directory, null, settings.Json.IsSet, file, cancellationToken);
    }
}
