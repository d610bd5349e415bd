using System.Globalization;
using Modernizer.Domain.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Portfolio;

/// <summary><c>modernize backlog</c>: the ranked rewrite candidates (R1.3) with factor scores and justifications.</summary>
internal sealed class BacklogCommand : AsyncCommand<PortfolioSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PortfolioSettings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        try
        {
            var workspace = new WorkspacePaths(Path.GetFullPath(settings.Workspace));
            var (_, backlog, fresh) = await PortfolioArtifacts.LoadAsync(workspace, settings.Refresh, console, cancellationToken);
            if (settings.Json is { } json)
            {
                await PortfolioArtifacts.WriteJsonAsync(json, backlog, cancellationToken);
            }

            var w = backlog.Weights;
            var title = string.Create(CultureInfo.InvariantCulture,
                $"backlog: top {backlog.Candidates.Length} of {backlog.JobsScored} (weights cost {w.Cost}, failure {w.Failure}, complexity {w.Complexity}, criticality {w.Criticality}, ease {w.Difficulty})");
            var rows = backlog.Candidates.Take(settings.Limit).Select(c => new[]
            {
                c.Rank.ToString(CultureInfo.InvariantCulture), c.JobId + (c.Compliance.Length > 0 ? " (" + string.Join(",", c.Compliance) + ")" : ""),
                c.Score.ToString("0.000", CultureInfo.InvariantCulture), F(c.Factors.Cost), F(c.Factors.Failure), F(c.Factors.Complexity),
                F(c.Factors.Criticality), F(c.Factors.Difficulty), c.Justification,
            });
            ResultTable.Render(console, title, ["#", "job", "score", "cost", "fail", "cplx", "crit", "ease", "justification"], rows);
            PortfolioArtifacts.ReportFresh(fresh, console);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or DuckDB.NET.Data.DuckDBException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
    }

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
