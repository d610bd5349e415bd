using System.ComponentModel;
using System.Globalization;
using Modernizer.Agents.Rewriting;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Rewrite;

/// <summary><c>modernize rewrite --workspace W --job ID [--json FILE]</c> (R4.1, X4; docs/rewrite.md): the
/// Code Writer on one job — lift, render, parallel run on the inputs the legacy run read, exact
/// reconciliation, attempts over the assumptions' alternatives. Exit 0 when the rewrite is delivered
/// and reconciled exactly, 1 when it is not (the reason is printed), 2 on error.</summary>
internal sealed class RewriteCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<RewriteCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--job <ID>")]
        [Description("The job to rewrite (its code in jobs/<job>/; the rewrite goes to .modernize/jobs/<job>/rewrite/).")]
        public string? Job { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Job) ? ValidationResult.Error("--job is required.") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var paths = new WorkspacePaths(Path.GetFullPath(settings.Workspace));
        if (!Directory.Exists(paths.Root))
        {
            throw new CliException($"The workspace folder {paths.Root} does not exist.");
        }

        var configuration = await new SettingsLoader(services.Environment).LoadAsync(paths, cancellationToken);
        var job = new JobId(settings.Job!);
        RewriteResult result;
        try
        {
            // The model path (X1) is taken only when modernize.yaml configures a provider.
            using var agents = AgentServices.Create(configuration, new AgentTelemetry(), name => services.Environment.GetValueOrDefault(name));
            result = await new JobRewriteRunner(services.Clock, RewriteStageWork.ModelFor(agents)).RunAsync(paths, job, configuration, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Error;
        }

        var layout = RewriteLayout.For(paths, job);
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, new
            {
                JobId = job.Value,
                Status = result.Status.ToString().ToLowerInvariant(),
                result.Message,
                result.LoopsBefore,
                result.LoopsAfter,
                RewriteHash = result.Hash,
                Manifest = layout.Manifest,
                Attempts = result.Attempts.Select(a => new { a.Number, a.Source, a.Choices, a.Outcome, a.MatchRate, a.Detail, a.Tokens, a.CostUsd }),
                Targets = result.Checks.Select(c => new
                {
                    c.Table,
                    Status = c.Verdict.Status.ToString().ToLowerInvariant(),
                    c.Verdict.MatchRate,
                    c.Verdict.Rows,
                    c.Candidate,
                    LegacyRunner = c.Runner is null ? null : new { Status = c.Runner.Verdict?.Status.ToString().ToLowerInvariant() ?? "error", c.Runner.Verdict?.MatchRate, c.Runner.Error },
                }),
                Refusals = result.Refusals.Select(r => new { r.File, r.Line, r.Reason }),
            }, cancellationToken);
        }

        if (!settings.WantsJson || settings.JsonFile is not null)
        {
            Print(job, result, layout);
        }

        return result.Status == RewriteStatus.Validated ? ExitCodes.Ok : ExitCodes.Findings;
    }

    private void Print(JobId job, RewriteResult result, RewriteLayout layout)
    {
        foreach (var attempt in result.Attempts)
        {
            var interpretation = attempt.Choices.IsEmpty ? "assumptions as stated" : string.Join(", ", attempt.Choices.Select(c => $"{c.Key}={c.Value}"));
            var by = attempt.Source == "model" ? "the model's proposal" : interpretation;
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"attempt {attempt.Number} ({Markup.Escape(by)}): [bold]{attempt.Outcome}[/] {Markup.Escape(attempt.Detail)}"));
        }

        var colour = result.Status switch
        {
            RewriteStatus.Validated => "green",
            RewriteStatus.Escalated => "yellow",
            _ => "red",
        };
        console.MarkupLine($"[{colour}]{result.Status.ToString().ToLowerInvariant()}[/] {Markup.Escape(job.Value)}: {Markup.Escape(result.Message)}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iterative findings: {result.LoopsBefore} before, {result.LoopsAfter} after"));
        console.WriteLine($"rewrite: {layout.Folder}" + (result.Hash is { } hash ? $" (hash {hash[..12]})" : string.Empty));
    }
}
