using System.Text.Json;
using Modernizer.Agents.Stages;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Pipeline.Configuration;
using Modernizer.Portfolio;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;
using Spectre.Console;

namespace Modernizer.Cli.Commands.Portfolio;

/// <summary>Reads the tier-1 artifacts of a workspace, running tier 1 first when they are missing
/// (or when asked to refresh).</summary>
internal static class PortfolioArtifacts
{
    public static async Task<(Inventory Inventory, Backlog Backlog, Tier1Result? Fresh)> LoadAsync(
        WorkspacePaths workspace, bool refresh, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!refresh && File.Exists(workspace.InventoryJson) && File.Exists(workspace.BacklogJson))
        {
            var inventory = await ReadAsync<Inventory>(workspace.InventoryJson, cancellationToken);
            var backlog = await ReadAsync<Backlog>(workspace.BacklogJson, cancellationToken);
            return (inventory, backlog, null);
        }

        if (!Directory.Exists(workspace.Catalog))
        {
            throw new DirectoryNotFoundException($"{workspace.Root} has no catalog/ folder and no .modernize/portfolio artifacts: not a workspace");
        }

        console.MarkupLine("[grey]running tier 1 (scan, finops, prioritize)...[/]");
        var settings = await SettingsLoader.FromProcessEnvironment().LoadAsync(workspace, cancellationToken);
        var options = AgentServices.ToPortfolioOptions(settings);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForWorkspace(workspace.Root), cancellationToken);
        var result = await Tier1.RunAsync(workspace, engine, options, cancellationToken);
        return (result.Scan.Inventory, result.Backlog.Backlog, result);
    }

    public static void ReportFresh(Tier1Result? fresh, IAnsiConsole console)
    {
        if (fresh is null)
        {
            return;
        }

        console.MarkupLine($"[grey]{fresh.Decisions.Length} decisions, {fresh.Escalations.Length} escalations; artifacts in .modernize/portfolio/[/]");
        foreach (var escalation in fresh.Escalations)
        {
            console.MarkupLine($"[yellow]escalation[/] {Markup.Escape(JsonNamingPolicy.SnakeCaseLower.ConvertName(escalation.Kind.ToString()))}: {Markup.Escape(escalation.Summary)}");
        }
    }

    public static async Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        await AtomicFile.WriteJsonAsync(path, value, cancellationToken);

    /// <summary>The inventory tier 1 wrote, or null when there is none yet.</summary>
    public static async Task<Inventory?> ReadInventoryAsync(WorkspacePaths workspace, CancellationToken cancellationToken) =>
        File.Exists(workspace.InventoryJson) ? await ReadAsync<Inventory>(workspace.InventoryJson, cancellationToken) : null;

    private static async Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, JsonDefaults.Artifact, cancellationToken)
                   ?? throw new InvalidDataException($"{path}: empty artifact");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{e.LineNumber + 1}: unreadable artifact ({e.Message}); run with --refresh", e);
        }
    }
}
