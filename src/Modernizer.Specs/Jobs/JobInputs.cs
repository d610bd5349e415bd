using System.Collections.Immutable;
using Modernizer.Code.Analysis;
using Modernizer.Code.Frontend;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Jobs;

/// <summary>Everything the tier 2-3 engines read about one job: the code analysis (re-run here, it is
/// deterministic, for its typed plans), the completed plans and their sites, job.yaml, the profile,
/// the catalog's SLA facts, the lake folders of its tables and the job's code lines.</summary>
public sealed record JobInputs(
    JobId Job,
    WorkspacePaths Workspace,
    ModernizeSettings Settings,
    JobAnalysis Analysis,
    JobPlans Plans,
    ImmutableArray<PlanSite> Sites,
    ImmutableArray<LiteralTable> LiteralTables,
    JobManifest Manifest,
    ProfileDocument Profile,
    CatalogFacts Catalog,
    ImmutableSortedDictionary<string, string> LakeFolders,
    ImmutableDictionary<string, ImmutableArray<string>> CodeLines)
{
    public ImmutableArray<string> Sources => Analysis.Sources;

    public ImmutableArray<string> Targets => Analysis.Targets;

    public string JobFolder => Workspace.JobCode(Job);

    public string OutputFolder => Workspace.JobOutput(Job);

    /// <summary>Sources that are not the job's own targets (a job that reads its target reads its pre-run state).</summary>
    public ImmutableArray<string> ExternalSources => [.. Sources.Where(s => !Targets.Contains(s, StringComparer.OrdinalIgnoreCase))];

    /// <summary>The text of a code line (1-based), or empty.</summary>
    public string Line(SpanRef span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return CodeLines.TryGetValue(span.File, out var lines) && span.Line >= 1 && span.Line <= lines.Length ? lines[span.Line - 1] : string.Empty;
    }

    /// <summary>The compliance regime of the job: the first job.yaml tag that the configuration lists
    /// as compliance-critical (SOX, GDPR, HIPAA, PCI), upper-cased; null when none.</summary>
    public string? Regulation =>
        Manifest.Tags.Select(t => Settings.Tags.ComplianceCritical.FirstOrDefault(c => string.Equals(c, t, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(c => c is not null)?.ToUpperInvariant();
}

public static class JobInputsLoader
{
    /// <summary>Loads a job's inputs. Fails with a clear message when the job has no code folder.</summary>
    public static async Task<JobInputs> LoadAsync(WorkspacePaths workspace, ModernizeSettings settings, JobId job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(settings);
        var folder = workspace.JobCode(job);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"No code for job {job} in {folder}.");
        }

        var schemas = await LakeSchemaProvider.LoadAsync(Path.Combine(workspace.Root, settings.Lake.Root), cancellationToken);
        var options = AnalyzerOptions.Default with
        {
            Mounts = new LakeMounts([.. settings.Lake.Mounts.Keys, .. LakeMounts.Default.Prefixes.Except(settings.Lake.Mounts.Keys, StringComparer.Ordinal)]),
            Schemas = schemas,
            Workers = 1,
        };
        var analysis = await new JobAnalyzer(options).AnalyzeAsync(new JobSource(job.Value, folder), cancellationToken);
        var manifest = await JobManifest.ReadAsync(Path.Combine(folder, "job.yaml"), cancellationToken);
        var code = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var file in analysis.Files)
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path))
            {
                code[file] = [.. (await File.ReadAllTextAsync(path, cancellationToken)).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];
            }
        }

        var codeLines = code.ToImmutable();
        var plans = JobPlans.Build(analysis, folder, schemas, manifest.Parameters);
        var sites = SiteExtractor.Extract(plans, schemas, codeLines);
        var literalTables = await LiteralTables.ReadAsync(folder, analysis.Files, codeLines, cancellationToken);
        var profile = await ProfileDocument.ReadAsync(Path.Combine(workspace.JobOutput(job), "profile.json"), cancellationToken);
        var catalog = await CatalogFacts.ReadAsync(workspace.Root, workspace.InventoryJson, job.Value, cancellationToken);
        var folders = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var table in analysis.Sources.Concat(analysis.Targets).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (LakeTables.Find(workspace, settings.Lake, table) is { } found)
            {
                folders[table] = found;
            }
        }

        return new JobInputs(job, workspace, settings, analysis, plans, sites, literalTables, manifest, profile, catalog, folders.ToImmutable(), codeLines);
    }
}
