using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Supervision;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>Everything the job page shows, read from the state store and the job's artifacts. Each
/// artifact is present, absent ("not produced yet") or unreadable (the problem is shown).</summary>
public sealed record JobModel(
    string JobId,
    JobCard? Card,
    JsonElement? Inventory,
    JsonElement? Candidate,
    ImmutableArray<StageRunRecord> Runs,
    JsonArtifact Analysis,
    ImmutableArray<CodeListing> Code,
    JsonArtifact Lineage,
    LineageGraph? Graph,
    JsonArtifact Profile,
    ImmutableArray<ProfiledTable> Tables,
    JsonArtifact Spec,
    JsonArtifact TestInventory,
    JsonArtifact TestResults,
    ChartData? TestChart,
    RewriteModel Rewrite,
    JsonArtifact Reconciliation,
    JsonArtifact Validation,
    ImmutableArray<EscalationView> Escalations,
    ImmutableArray<DecisionEntry> Decisions)
{
    /// <summary>The job's page, or null when the workspace knows no job of that id.</summary>
    public static async Task<JobModel?> BuildAsync(DashboardWorkspace workspace, string jobId, CancellationToken cancellationToken)
    {
        var folder = DashboardWorkspace.JobFolder(jobId);
        var codeFolder = DashboardWorkspace.CodeFolder(jobId);
        if (folder is null || codeFolder is null)
        {
            return null;
        }

        var status = await workspace.StatusAsync(cancellationToken);
        var card = status.Jobs.FirstOrDefault(j => j.JobId == jobId);
        var inventory = await workspace.Artifacts.JsonAsync(".modernize/portfolio/inventory.json", cancellationToken);
        var inventoryRow = inventory.Root.Arr("jobs").FirstOrDefault(j => j.Str("job_id") == jobId);
        var backlog = await workspace.Artifacts.JsonAsync(".modernize/portfolio/backlog.json", cancellationToken);
        var candidate = backlog.Root.Arr("candidates").FirstOrDefault(c => c.Str("job_id") == jobId);
        var known = card is not null || inventoryRow.ValueKind != JsonValueKind.Undefined
            || Directory.Exists(workspace.Artifacts.Resolve(folder)) || Directory.Exists(workspace.Artifacts.Resolve(codeFolder));
        if (!known)
        {
            return null;
        }

        var analysis = await workspace.Artifacts.JsonAsync(folder + "/analysis.json", cancellationToken);
        var rewrite = await RewriteModel.BuildAsync(workspace, jobId, folder, cancellationToken);
        var code = await LegacyCodeAsync(workspace, codeFolder, analysis.Root, rewrite.Manifest.Root, cancellationToken);
        var lineage = await workspace.Artifacts.JsonAsync(folder + "/lineage.json", cancellationToken);
        var profile = await workspace.Artifacts.JsonAsync(folder + "/profile.json", cancellationToken);
        var results = await workspace.Artifacts.JsonAsync(folder + "/tests/results.json", cancellationToken);
        var escalations = (await workspace.EscalationsAsync(cancellationToken)).Where(e => e.JobId == jobId)
            .OrderBy(e => e.Status != EscalationStatus.Open).ThenBy(e => e.OpenedAt, StringComparer.Ordinal).Select(EscalationView.From);
        var decisions = (await workspace.DecisionsAsync(cancellationToken)).Where(d => d.JobId == jobId);
        return new JobModel(
            jobId,
            card,
            inventoryRow.ValueKind == JsonValueKind.Undefined ? null : inventoryRow,
            candidate.ValueKind == JsonValueKind.Undefined ? null : candidate,
            await workspace.StageRunsAsync(jobId, cancellationToken),
            analysis,
            code,
            lineage,
            LineageGraph.Build(lineage.Root, analysis.Root),
            profile,
            ProfiledTable.All(profile.Root),
            await workspace.Artifacts.JsonAsync(folder + "/spec.json", cancellationToken),
            await workspace.Artifacts.JsonAsync(folder + "/tests/inventory.json", cancellationToken),
            results,
            BuildTestChart(results.Root),
            rewrite,
            await workspace.Artifacts.JsonAsync(folder + "/reconciliation.json", cancellationToken),
            await workspace.Artifacts.JsonAsync(folder + "/validation.json", cancellationToken),
            [.. escalations],
            [.. decisions]);
    }

    /// <summary>Tokens and dollars the job's decisions spent.</summary>
    public (long Tokens, decimal Cost) Spend => (Decisions.Sum(d => d.Tokens), Decisions.Sum(d => d.CostUsd));

    private static async Task<ImmutableArray<CodeListing>> LegacyCodeAsync(DashboardWorkspace workspace, string codeFolder, JsonElement? analysis, JsonElement? rewrite, CancellationToken cancellationToken)
    {
        var named = analysis.Strs("files");
        var files = named.Count > 0
            ? named.Select(f => f.StartsWith(codeFolder + "/", StringComparison.Ordinal) ? f : codeFolder + "/" + f).ToList()
            : workspace.Artifacts.Files(codeFolder, "*", recursive: true).Where(f => f.EndsWith(".py", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal) || f.EndsWith(".ipynb", StringComparison.Ordinal)).ToList();
        var listings = ImmutableArray.CreateBuilder<CodeListing>();
        foreach (var file in files.Take(50))
        {
            var relative = file[(codeFolder.Length + 1)..];
            var text = await workspace.Artifacts.TextAsync(file, cancellationToken);
            listings.Add(CodeListing.Build(relative, text, CodeListing.AnalysisNotes(analysis, relative).Concat(CodeListing.RewriteNotes(rewrite, relative))));
        }

        return listings.ToImmutable();
    }

    private static ChartData? BuildTestChart(JsonElement? results)
    {
        var cases = results.Arr("cases");
        if (cases.Count == 0)
        {
            return null;
        }

        var groups = cases.GroupBy(c => c.Str("status") ?? "unknown", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        return new ChartData("doughnut", [.. groups.Select(g => g.Key)], [new ChartSeries("cases", [.. groups.Select(g => (double)g.Count())])]);
    }
}

/// <summary>The job's rewrite (R4.1) as the rewrite contract lays it out: the manifest, the Spark SQL
/// deliverable, the DuckDB renderings, and whether the files still have the hash the manifest and
/// the reconciliation recorded.</summary>
public sealed record RewriteModel(
    JsonArtifact Manifest,
    TextArtifact SparkSql,
    ImmutableArray<string> DuckDbFiles,
    string? CurrentHash,
    string? ManifestHash,
    string? ReconciledHash,
    TextArtifact Review)
{
    public bool Produced => Manifest.Present || SparkSql.Present;

    public static async Task<RewriteModel> BuildAsync(DashboardWorkspace workspace, string jobId, string folder, CancellationToken cancellationToken)
    {
        var rewriteFolder = folder + "/rewrite";
        var manifest = await workspace.Artifacts.JsonAsync(rewriteFolder + "/rewrite.json", cancellationToken);
        var spark = await workspace.Artifacts.TextAsync(rewriteFolder + "/" + jobId + ".sql", cancellationToken);
        var reconciliation = await workspace.Artifacts.JsonAsync(folder + "/reconciliation.json", cancellationToken);
        var full = workspace.Artifacts.Resolve(rewriteFolder);
        var current = full is not null && Directory.Exists(full) ? RewriteLayout.Hash(full) : null;
        return new RewriteModel(
            manifest,
            spark,
            [.. workspace.Artifacts.Files(rewriteFolder, "*.duckdb.sql", recursive: false)],
            current,
            manifest.Root.Str("rewrite_hash"),
            reconciliation.Root.Str("rewrite_hash"),
            await workspace.Artifacts.TextAsync(rewriteFolder + "/rewrite.md", cancellationToken));
    }

    public CodeListing SparkListing => CodeListing.Build(Path.GetFileName(SparkSql.RelativePath), SparkSql, []);
}

/// <summary>One profiled table of profile.json (the job's inputs and outputs, R2.2).</summary>
public sealed record ProfiledTable(string? Role, string Name, double? Version, double? Rows, double? Files, double? Bytes, ImmutableArray<ProfiledColumn> Columns)
{
    public static ImmutableArray<ProfiledTable> All(JsonElement? profile)
    {
        if (profile is null)
        {
            return [];
        }

        var tables = profile.Arr("tables");
        var source = tables.Count > 0 ? tables : profile.Value.Get("columns") is not null ? [profile.Value] : [];
        return [.. source.Select((t, i) => new ProfiledTable(t.Str("role"), t.Str("name") ?? t.Str("table") ?? $"table {i + 1}", t.Num("version"), t.Num("rows"), t.Num("files"), t.Num("bytes"),
            [.. t.Arr("columns").Select(ProfiledColumn.From)]))];
    }
}

public sealed record ProfiledColumn(
    string Name,
    string? Type,
    double? Count,
    double? Nulls,
    double? NullRate,
    double? Distinct,
    bool? DistinctExact,
    string? Min,
    string? Max,
    double? Mean,
    ChartData? Chart)
{
    public static ProfiledColumn From(JsonElement column) =>
        new(column.Str("name") ?? "?", column.Str("type"), column.Num("count"), column.Num("nulls"), column.Num("null_rate"),
            column.Num("distinct"), column.Bool("distinct_exact"), column.Str("min"), column.Str("max"), column.Num("mean"), ChartOf(column));

    /// <summary>A histogram when the profiler made one (numbers, dates), else the top values.</summary>
    private static ChartData? ChartOf(JsonElement column)
    {
        var histogram = column.Get("histogram");
        var bounds = histogram.Arr("bounds").Select(b => ArtifactJson.Text(b) ?? string.Empty).ToList();
        var counts = histogram.Arr("counts").Select(c => ArtifactJson.Number(c) ?? 0).ToList();
        if (counts.Count > 0 && bounds.Count == counts.Count + 1)
        {
            var labels = counts.Select((_, i) => Short(bounds[i]) + "…" + Short(bounds[i + 1]));
            return ChartData.Bar(labels, "rows", counts) with { XTitle = column.Str("name"), YTitle = "rows" };
        }

        var top = column.Arr("top_values").Where(t => t.Get("count") is not null).Take(10).ToList();
        return top.Count == 0 ? null
            : ChartData.Bar(top.Select(t => t.Str("value") ?? "NULL"), "rows", top.Select(t => t.Num("count") ?? 0)) with { Horizontal = true, XTitle = "rows" };
    }

    private static string Short(string bound) =>
        double.TryParse(bound, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? Fmt.Number(number, Math.Abs(number) >= 100 ? "#,0" : "0.##")
            : bound.Length > 10 ? bound[..10] : bound;
}
