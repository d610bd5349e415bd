using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Infrastructure;

/// <summary>Options shared by the commands that work on a workspace.</summary>
public class WorkspaceSettings : CommandSettings
{
    [CommandOption("-w|--workspace <DIR>")]
    [Description("The workspace folder (holds modernize.yaml). Default: the current folder.")]
    public string Workspace { get; init; } = ".";

    [CommandOption("--json [FILE]")]
    [Description("Machine-readable output: to FILE, or to standard output when no FILE is given.")]
    public FlagValue<string> Json { get; init; } = new();

    public bool WantsJson => Json.IsSet;

    public string? JsonFile => Json.IsSet && !string.IsNullOrEmpty(Json.Value) ? Json.Value : null;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Workspace) ? ValidationResult.Error("--workspace needs a folder") : ValidationResult.Success();
}
