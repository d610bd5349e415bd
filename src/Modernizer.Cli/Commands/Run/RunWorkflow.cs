using System.Collections.Immutable;
using Modernizer.Cli.Commands.Portfolio;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Supervision;
using Spectre.Console;

namespace Modernizer.Cli.Commands.Run;

/// <summary>Runs a workspace through the supervisor with a progress bar on a terminal (plain lines
/// otherwise) and prints the outcome; shared by <c>run</c> and <c>demo</c>.</summary>
internal sealed class RunWorkflow(IAnsiConsole console, ModernizeServices services)
{
    public async Task<int> RunAsync(string workspace, int? phase, bool json, string? jsonFile, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(workspace, services.Environment, cancellationToken);
        var works = services.Registry.Create(new StageWorkContext(session.Settings, session.Paths, services.Clock));
        var supervisor = new Supervisor(session.Settings, session.Paths, session.Store, works, services.Clock);
        var interactive = console.Profile.Capabilities.Interactive && !json;

        RunSummary summary;
        if (interactive)
        {
            summary = await console.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var task = progress.AddTask("jobs", maxValue: 1);
                supervisor.Progress += (_, e) =>
                {
                    task.MaxValue = Math.Max(1, e.JobsTotal);
                    task.Value = e.JobsFinished;
                    task.Description = $"{e.JobsFinished}/{e.JobsTotal} jobs";
                };
                var result = await supervisor.RunAsync(phase, cancellationToken);
                task.Value = task.MaxValue;
                return result;
            });
        }
        else
        {
            summary = await supervisor.RunAsync(phase, cancellationToken);
        }

        var view = RunView.From(session.Paths.Root, summary, services.Registry.AvailableStages.Count);
        if (json)
        {
            await JsonOutput.WriteAsync(console, jsonFile, view, cancellationToken);
        }

        if (!json || jsonFile is not null)
        {
            Render(view);
            if (summary.Portfolio is not null && await PortfolioArtifacts.ReadInventoryAsync(session.Paths, cancellationToken) is { } inventory)
            {
                IngestionSummary.Write(console, inventory.Ingestion);
            }
        }

        return summary.ExitCode;
    }

    private void Render(RunView view)
    {
        console.MarkupLine($"[bold]modernize run[/] {Markup.Escape(view.Workspace)}");
        console.MarkupLine(Markup.Escape($"selection: {view.Selection} ({view.Jobs.Length} jobs){(view.SelectionProblem is null ? string.Empty : " - " + view.SelectionProblem)}"));
        console.MarkupLine(Markup.Escape($"stages run: {view.StagesRun}, skipped (input unchanged): {view.StagesSkipped}, roles available: {view.RolesAvailable} of 15"));
        if (view.Portfolio is { } portfolio)
        {
            console.MarkupLine(Markup.Escape($"portfolio (tier 1): {portfolio.State}{(portfolio.Message is null ? string.Empty : " - " + portfolio.Message)}"));
        }

        var table = new Table().AddColumns("job", "state", "stage", "message");
        foreach (var job in view.Jobs)
        {
            table.AddRow(Markup.Escape(job.JobId), Markup.Escape(job.State), Markup.Escape(job.Stage ?? "-"), Markup.Escape(job.Message ?? string.Empty));
        }

        if (view.Jobs.Length > 0)
        {
            console.Write(table);
        }

        console.MarkupLine(Markup.Escape(string.Join(", ", view.Counts.Where(c => c.Value > 0).Select(c => $"{c.Key}: {c.Value}"))));
    }
}

/// <summary>The <c>--json</c> result of <c>modernize run</c>.</summary>
internal sealed record RunView(
    string Workspace,
    string Selection,
    string? SelectionProblem,
    long StagesRun,
    long StagesSkipped,
    int RolesAvailable,
    RunJobView? Portfolio,
    ImmutableArray<RunJobView> Jobs,
    ImmutableSortedDictionary<string, int> Counts,
    int ExitCode)
{
    public static RunView From(string workspace, RunSummary summary, int rolesAvailable)
    {
        static RunJobView Job(JobRecord j) => new(JobKeys.Display(j.JobKey), StatusReport.StateName(j.State), j.Stage, j.Message);
        var jobs = summary.Jobs.Select(Job).ToImmutableArray();
        return new RunView(workspace, summary.Selection.Source, summary.Selection.Problem, summary.StagesRun, summary.StagesSkipped, rolesAvailable,
            summary.Portfolio is null ? null : Job(summary.Portfolio), jobs,
            Enum.GetValues<JobState>().ToImmutableSortedDictionary(StatusReport.StateName, s => summary.Count(s), StringComparer.Ordinal),
            summary.ExitCode);
    }
}

internal sealed record RunJobView(string JobId, string State, string? Stage, string? Message);
