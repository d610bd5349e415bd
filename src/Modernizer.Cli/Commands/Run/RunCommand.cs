using System.ComponentModel;
using Modernizer.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Run;

/// <summary><c>modernize run --workspace DIR [--phase N]</c>: every enabled stage of the portfolio and
/// of the selected jobs (R5.2). Exit 0 when done, 1 when jobs wait on escalations or failed.</summary>
internal sealed class RunCommand(RunWorkflow workflow) : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--phase <N>")]
        [Description("Run phases 1..N only: 1 = tier 1 + supervisor, 2 = tier 2, 3 = tiers 3-4, 4 = tier 5.")]
        public int? Phase { get; init; }

        public override ValidationResult Validate() =>
            Phase is < 1 or > 4 ? ValidationResult.Error("--phase must be 1, 2, 3 or 4") : base.Validate();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        workflow.RunAsync(settings.Workspace, settings.Phase, settings.WantsJson, settings.JsonFile, cancellationToken);
}
