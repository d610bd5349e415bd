using System.Globalization;
using Modernizer.Domain.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Portfolio;

/// <summary><c>modernize inventory</c>: the job inventory (R1.1), least healthy first.</summary>
internal sealed class InventoryCommand : AsyncCommand<PortfolioSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PortfolioSettings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        try
        {
            var workspace = new WorkspacePaths(Path.GetFullPath(settings.Workspace));
            var (inventory, _, fresh) = await PortfolioArtifacts.LoadAsync(workspace, settings.Refresh, console, cancellationToken);
            if (settings.Json is { } json)
            {
                await PortfolioArtifacts.WriteJsonAsync(json, inventory, cancellationToken);
            }

            var rows = inventory.Jobs.OrderBy(j => j.HealthScore).ThenBy(j => j.JobId, StringComparer.Ordinal).Take(settings.Limit).Select(job =>
            {
                var schedule = job.ScheduleFrequency ?? job.Schedule ?? "?";
                if (job.Inferred.TryGetValue("schedule", out var inferred))
                {
                    schedule = $"{inferred.Value} (inferred {inferred.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})";
                }

                return new[]
                {
                    job.JobId, job.Name ?? (job.MetadataMissing ? "(no metadata)" : "?"), schedule, job.Runs.ToString(CultureInfo.InvariantCulture),
                    N(job.AvgRuntimeS, "0"), N(job.P95RuntimeS, "0"), N(job.FailureRate * 100, "0.0"), job.HealthScore.ToString(CultureInfo.InvariantCulture),
                    job.Upstream.Length.ToString(CultureInfo.InvariantCulture), job.Downstream.Length.ToString(CultureInfo.InvariantCulture),
                    N(job.DataVolumeRows, "#,0"), job.LastModified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?",
                };
            });
            ResultTable.Render(console, $"inventory: {inventory.Jobs.Length} jobs, least healthy first",
                ["job", "name", "schedule", "runs", "avg s", "p95 s", "fail %", "health", "up", "down", "rows/run", "modified"], rows);
            IngestionSummary.Write(console, inventory.Ingestion);

            PortfolioArtifacts.ReportFresh(fresh, console);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or DuckDB.NET.Data.DuckDBException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
    }

    private static string N(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "?";
}
