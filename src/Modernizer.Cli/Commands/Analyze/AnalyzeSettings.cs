using System.ComponentModel;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Analyze;

internal sealed class AnalyzeSettings : CommandSettings
{
    [CommandArgument(0, "<file-or-dir>")]
    [Description("A legacy job file (.py, .sql, .ipynb), a job folder, or a folder of job folders (a workspace's jobs/).")]
    public string Path { get; init; } = string.Empty;

    [CommandOption("--json <FILE>")]
    [Description("Write the report here ('-' for standard output): one shape for a file, a folder or a workspace — mode, exit_code, outcome, totals and a jobs array of analysis.json documents.")]
    public string? Json { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Also write analysis.json, analysis.md and lineage.json per job under DIR/<job_id>/.")]
    public string? Out { get; init; }

    [CommandOption("--python <EXE>")]
    [Description("The python3 executable used for Python syntax (default: python3).")]
    public string Python { get; init; } = "python3";
}
