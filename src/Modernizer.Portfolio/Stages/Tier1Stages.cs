using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Stages;

/// <summary>Opens a query engine for one stage run (the supervisor decides which: sandboxed DuckDB by default).</summary>
public delegate Task<IQueryEngine> QueryEngineFactory(WorkspacePaths workspace, CancellationToken cancellationToken);

/// <summary>The three tier-1 stages as <see cref="IStageWork"/> for the supervisor (phase 1). Each
/// stage reads the previous stage's artifact, so they run on separate engines and resume after a
/// restart. <see cref="StageContext.Settings"/> may be a <see cref="PortfolioOptions"/>; anything else
/// means the defaults.</summary>
public abstract class Tier1Stage(QueryEngineFactory engines) : IStageWork
{
    public abstract RoleId Role { get; }

    public abstract StageId Stage { get; }

    protected QueryEngineFactory Engines { get; } = engines;

    public static ImmutableArray<IStageWork> All(QueryEngineFactory engines) => [new ScanStage(engines), new FinOpsStage(engines), new PrioritizeStage(engines)];

    /// <summary>Hash of every export and job folder file (path, size, modification time), the
    /// upstream artifacts and the options: a changed input re-runs the stage.</summary>
    public Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Stage.Name));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(Options(context), JsonDefaults.Compact));
        var roots = new[] { workspace.Catalog, workspace.Finops, workspace.Jobs, Path.Combine(workspace.Output, "jobs") };
        var files = roots.Where(Directory.Exists)
            .SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
            .Concat(UpstreamArtifacts(workspace).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetRelativePath(workspace.Root, file)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}\n")));
        }

        return Task.FromResult(Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public abstract Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken);

    protected abstract IEnumerable<string> UpstreamArtifacts(WorkspacePaths workspace);

    protected static PortfolioOptions Options(StageContext context) => context.Settings as PortfolioOptions ?? PortfolioOptions.Default;

    protected static async Task<T> ReadArtifactAsync<T>(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: run the earlier tier-1 stage first", path);
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(stream, JsonDefaults.Artifact, cancellationToken)
               ?? throw new InvalidDataException($"{path} is empty");
    }
}

/// <summary>Stage <c>scan</c> (R1.1): writes inventory.json and inventory.csv.</summary>
public sealed class ScanStage(QueryEngineFactory engines) : Tier1Stage(engines)
{
    public override RoleId Role => RoleId.PortfolioScanner;

    public override StageId Stage => StageId.Scan;

    public override async Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        await using var engine = await Engines(context.Workspace, cancellationToken);
        var scan = await new PortfolioScanner(engine, Options(context)).ScanAsync(context.Workspace, cancellationToken);
        var artifacts = await PortfolioWriter.WriteInventoryAsync(context.Workspace, scan.Inventory, cancellationToken);
        return StageOutcome.Completed(artifacts, scan.Decisions, scan.Escalations);
    }

    protected override IEnumerable<string> UpstreamArtifacts(WorkspacePaths workspace) => [];
}

/// <summary>Stage <c>finops</c> (R1.2): reads inventory.json, writes finops.json.</summary>
public sealed class FinOpsStage(QueryEngineFactory engines) : Tier1Stage(engines)
{
    public override RoleId Role => RoleId.FinOpsAnalyst;

    public override StageId Stage => StageId.FinOps;

    public override async Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var inventory = await ReadArtifactAsync<Inventory>(context.Workspace.InventoryJson, cancellationToken);
        await using var engine = await Engines(context.Workspace, cancellationToken);
        var finops = await new FinOpsAnalyst(engine, Options(context)).AnalyzeAsync(context.Workspace, new ScanResult(inventory, [], []), cancellationToken);
        var artifacts = await PortfolioWriter.WriteFinOpsAsync(context.Workspace, finops.Report, cancellationToken);
        return StageOutcome.Completed(artifacts, finops.Decisions, finops.Escalations);
    }

    protected override IEnumerable<string> UpstreamArtifacts(WorkspacePaths workspace) => [workspace.InventoryJson];
}

/// <summary>Stage <c>prioritize</c> (R1.3): reads inventory.json and finops.json, writes backlog.json and backlog.md.</summary>
public sealed class PrioritizeStage(QueryEngineFactory engines) : Tier1Stage(engines)
{
    public override RoleId Role => RoleId.PrioritizationOrchestrator;

    public override StageId Stage => StageId.Prioritize;

    public override async Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var inventory = await ReadArtifactAsync<Inventory>(context.Workspace.InventoryJson, cancellationToken);
        var report = await ReadArtifactAsync<FinOpsReport>(context.Workspace.FinopsJson, cancellationToken);
        var backlog = await new Prioritizer(Options(context)).PrioritizeAsync(
            context.Workspace, new ScanResult(inventory, [], []), new FinOpsResult(report, [], []), cancellationToken);
        var artifacts = await PortfolioWriter.WriteBacklogAsync(context.Workspace, backlog.Backlog, cancellationToken);
        return StageOutcome.Completed(artifacts, backlog.Decisions, backlog.Escalations);
    }

    protected override IEnumerable<string> UpstreamArtifacts(WorkspacePaths workspace) => [workspace.InventoryJson, workspace.FinopsJson];
}
