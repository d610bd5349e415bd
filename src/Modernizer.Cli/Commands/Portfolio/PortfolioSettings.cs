using System.ComponentModel;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Portfolio;

internal class PortfolioSettings : CommandSettings
{
    [CommandOption("-w|--workspace <DIR>")]
    [Description("Workspace folder (default: the current folder).")]
    [DefaultValue(".")]
    public string Workspace { get; init; } = ".";

    [CommandOption("--json <FILE>")]
    [Description("Also write the artifact as JSON to FILE.")]
    public string? Json { get; init; }

    [CommandOption("--refresh")]
    [Description("Run tier 1 again even when .modernize/portfolio/ holds the artifacts.")]
    public bool Refresh { get; init; }

    [CommandOption("--limit <N>")]
    [Description("Rows to print (default 25).")]
    [DefaultValue(25)]
    public int Limit { get; init; } = 25;
}
