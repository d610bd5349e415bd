using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Output;

/// <summary>Writes the tier-1 artifacts of docs/workspace.md atomically: portfolio/inventory.json + .csv,
/// finops.json, backlog.json + .md. Returns each artifact with its content hash.</summary>
public static class PortfolioWriter
{
    public const string InventoryArtifact = "portfolio/inventory.json";

    public const string FinOpsArtifact = "portfolio/finops.json";

    public static async Task<ImmutableArray<ArtifactRef>> WriteInventoryAsync(WorkspacePaths workspace, Inventory inventory, CancellationToken cancellationToken)
    {
        var json = await AtomicFile.WriteJsonAsync(workspace.InventoryJson, inventory, cancellationToken);
        var csvPath = Path.Combine(workspace.Portfolio, "inventory.csv");
        var csv = Encoding.UTF8.GetBytes(InventoryCsv(inventory));
        await AtomicFile.WriteAllBytesAsync(csvPath, csv, cancellationToken);
        return [new(InventoryArtifact, json), new("portfolio/inventory.csv", Hash(csv))];
    }

    public static async Task<ImmutableArray<ArtifactRef>> WriteFinOpsAsync(WorkspacePaths workspace, FinOpsReport report, CancellationToken cancellationToken) =>
        [new(FinOpsArtifact, await AtomicFile.WriteJsonAsync(workspace.FinopsJson, report, cancellationToken))];

    public static async Task<ImmutableArray<ArtifactRef>> WriteBacklogAsync(WorkspacePaths workspace, Backlog backlog, CancellationToken cancellationToken)
    {
        var json = await AtomicFile.WriteJsonAsync(workspace.BacklogJson, backlog, cancellationToken);
        var md = Encoding.UTF8.GetBytes(BacklogMarkdown(backlog));
        await AtomicFile.WriteAllBytesAsync(Path.Combine(workspace.Portfolio, "backlog.md"), md, cancellationToken);
        return [new("portfolio/backlog.json", json), new("portfolio/backlog.md", Hash(md))];
    }

    internal static string InventoryCsv(Inventory inventory)
    {
        var sb = new StringBuilder();
        sb.Append("job_id,name,schedule,schedule_frequency,runs,avg_runtime_s,p95_runtime_s,failure_rate,failure_rate_trend_30d,health_score,")
          .Append("upstream,downstream,data_volume_rows,last_modified,owner,tags,metadata_missing,inferred\n");
        foreach (var j in inventory.Jobs)
        {
            string?[] fields =
            [
                j.JobId, j.Name, j.Schedule, j.ScheduleFrequency, N(j.Runs), N(j.AvgRuntimeS), N(j.P95RuntimeS), N(j.FailureRate), N(j.FailureRateTrend30d),
                N(j.HealthScore), string.Join(';', j.Upstream), string.Join(';', j.Downstream), N(j.DataVolumeRows),
                j.LastModified?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), j.Owner, string.Join(';', j.Tags),
                j.MetadataMissing ? "true" : "false", string.Join(';', j.Inferred.Select(i => $"{i.Key}={i.Value.Value} ({i.Value.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})")),
            ];
            sb.AppendJoin(',', fields.Select(Csv)).Append('\n');
        }

        return sb.ToString();
    }

    internal static string BacklogMarkdown(Backlog backlog)
    {
        var w = backlog.Weights;
        var sb = new StringBuilder();
        sb.Append("# Modernization backlog\n\n")
          .Append(CultureInfo.InvariantCulture, $"Top {backlog.Candidates.Length} of {backlog.JobsScored} jobs. Weights: cost {w.Cost}, failure {w.Failure}, ")
          .Append(CultureInfo.InvariantCulture, $"complexity {w.Complexity}, criticality {w.Criticality}, difficulty (ease) {w.Difficulty}. See docs/prioritization.md.\n\n")
          .Append("| Rank | Job | Score | Cost | Failure | Complexity | Criticality | Ease | Justification |\n")
          .Append("|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var c in backlog.Candidates)
        {
            var f = c.Factors;
            sb.Append(CultureInfo.InvariantCulture,
                $"| {c.Rank} | {Md(c.JobId)} | {c.Score:0.000} | {f.Cost:0.00} | {f.Failure:0.00} | {f.Complexity:0.00} | {f.Criticality:0.00} | {f.Difficulty:0.00} | {Md(c.Justification)} |\n");
        }

        var conflicts = backlog.Candidates.Where(c => c.ConflictsResolved.Length > 0).ToArray();
        if (conflicts.Length > 0)
        {
            sb.Append("\n## Conflicting inputs resolved conservatively\n\n");
            foreach (var c in conflicts)
            {
                foreach (var text in c.ConflictsResolved)
                {
                    sb.Append("- ").Append(Md(c.JobId)).Append(": ").Append(Md(text)).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static string? N(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string Md(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
