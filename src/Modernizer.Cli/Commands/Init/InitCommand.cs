using System.ComponentModel;
using Modernizer.Cli.Infrastructure;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Init;

/// <summary><c>modernize init DIR</c>: a new workspace with a commented <c>modernize.yaml</c> (every
/// key at its default) and the input folders of docs/workspace.md.</summary>
internal sealed class InitCommand(IAnsiConsole console) : AsyncCommand<InitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("The workspace folder to create or complete.")]
        public string Directory { get; init; } = string.Empty;

        [CommandOption("--force")]
        [Description("Overwrite an existing modernize.yaml.")]
        public bool Force { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var paths = new WorkspacePaths(Path.GetFullPath(settings.Directory));
        if (File.Exists(paths.ConfigFile) && !settings.Force)
        {
            throw new CliException($"{paths.ConfigFile} already exists; use --force to overwrite it.");
        }

        foreach (var folder in new[] { paths.Jobs, paths.Catalog, paths.Finops, paths.Lake })
        {
            System.IO.Directory.CreateDirectory(folder);
        }

        await AtomicFile.WriteAllTextAsync(paths.ConfigFile, ConfigTemplate.Text, cancellationToken);
        console.MarkupLine(Markup.Escape($"wrote {paths.ConfigFile}"));
        console.MarkupLine(Markup.Escape($"next: put legacy code in jobs/<job_id>/, the catalog in catalog/, then `modernize run --workspace {settings.Directory}`"));
        return ExitCodes.Ok;
    }
}
