using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Pipeline.Supervision;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Status;

/// <summary><c>modernize status</c>: the kanban (R5.2) — jobs per stage and state, roles not
/// available, open escalations, and spend per job summed from the decision log.</summary>
internal sealed class StatusCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<WorkspaceSettings>
{
    private static readonly string[] Columns = ["pending", "running", "blocked", "escalated", "failed", "rejected", "no_code", "done"];
    private static readonly string[] Headers = ["pend", "run", "block", "esc", "fail", "rej", "nocode", "done"];

    public override async Task<int> ExecuteAsync(CommandContext context, WorkspaceSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        var report = await StatusReport.BuildAsync(session.Paths.Root, session.Store, StageGraph.FromCatalog(), services.Registry.AvailableStages,
            services.Clock.GetUtcNow(), cancellationToken);
        // R5.1: where each job's rewrite runs (dev, staging, prod), from its deployment record.
        var environments = report.Jobs.ToDictionary(j => j.JobId, j => Modernizer.Delivery.Promotion.DeploymentRecord.EnvironmentOf(session.Paths, new Modernizer.Domain.JobId(j.JobId)), StringComparer.Ordinal);
        if (settings.WantsJson)
        {
            var json = System.Text.Json.JsonSerializer.SerializeToNode(report, Modernizer.Domain.Serialization.JsonDefaults.Artifact)!.AsObject();
            json["environments"] = System.Text.Json.JsonSerializer.SerializeToNode(environments, Modernizer.Domain.Serialization.JsonDefaults.Artifact);
            await JsonOutput.WriteAsync(console, settings.JsonFile, json, cancellationToken);
            if (settings.JsonFile is null)
            {
                return ExitCodes.Ok;
            }
        }

        var board = new Table().Title("kanban").AddColumn("stage").AddColumn("role").AddColumn("phase");
        foreach (var header in Headers)
        {
            board.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var stage in report.Stages)
        {
            var role = stage.Available ? Markup.Escape(stage.RoleName) : $"{Markup.Escape(stage.RoleName)} [yellow]not available[/]";
            board.AddRow([Markup.Escape(stage.Stage), role, stage.Phase.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. Columns.Select(c => stage.Jobs.TryGetValue(c, out var n) && n > 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "·")]);
        }

        console.Write(board);
        if (report.Portfolio is { } portfolio)
        {
            console.MarkupLine(Markup.Escape($"portfolio (tier 1): {portfolio.State} at {portfolio.Stage ?? "-"}{(portfolio.Message is null ? string.Empty : " - " + portfolio.Message)}"));
        }

        var jobs = new Table().Title("jobs").AddColumns("job", "state", "stage", "env", "tokens", "cost $", "message");
        foreach (var job in report.Jobs)
        {
            jobs.AddRow(Markup.Escape(job.JobId), Markup.Escape(job.State), Markup.Escape(job.Stage ?? "-"), Markup.Escape(environments.GetValueOrDefault(job.JobId) ?? "-"),
                job.Tokens.ToString(System.Globalization.CultureInfo.InvariantCulture), job.CostUsd.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(job.Message ?? string.Empty));
        }

        if (report.Jobs.Length > 0)
        {
            console.Write(jobs);
        }

        console.MarkupLine(Markup.Escape(string.Join(", ", report.Counts.Where(c => c.Value > 0).Select(c => $"{c.Key}: {c.Value}"))
            + $"; open escalations: {report.OpenEscalations}"));
        return ExitCodes.Ok;
    }
}
