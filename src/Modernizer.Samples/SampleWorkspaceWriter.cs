using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Modernizer.Samples.Generation;

namespace Modernizer.Samples;

/// <summary>Writes the retail sample workspace: the hand-written jobs and answer key, the catalog and
/// finops exports, the raw Delta lake and the curated lake produced by the legacy reference programs.
/// Same options, same bytes: every generator is seeded and writes with one DuckDB thread.</summary>
public static class SampleWorkspaceWriter
{
    /// <summary>Folders the writer owns and recreates on every run.</summary>
    public static readonly ImmutableArray<string> GeneratedFolders = ["jobs", "legacy", "catalog", "finops", "lake"];

    public static async Task<SampleSummary> WriteAsync(string directory, SampleOptions options, IProgress<SampleProgress>? progress, CancellationToken cancellationToken)
    {
        var problem = options.Validate();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var watch = Stopwatch.StartNew();
        var workspace = Path.GetFullPath(directory);
        PrepareFolder(workspace);

        await using var db = await SampleDb.OpenAsync(cancellationToken);
        var catalog = CatalogGenerator.Script(workspace, options);
        var lakeSteps = options.IncludeLake ? RawLakeWriter.StepCount + CuratedLakeWriter.StepCount : 0;
        var total = 1 + catalog.Steps.Length + lakeSteps + 1;
        var done = 0;

        await EmbeddedSample.WriteAsync(workspace, cancellationToken);
        Report("sample files");

        CatalogGenerator.CreateFolders(workspace);
        foreach (var step in catalog.Steps)
        {
            await db.ExecuteStepAsync(catalog.Name, step, cancellationToken);
            Report($"catalog: {step.Name}");
        }

        if (options.IncludeLake)
        {
            var raw = await RawLakeWriter.WriteAsync(db, workspace, options, name => Report($"lake: {name}"), cancellationToken);
            await CuratedLakeWriter.WriteAsync(db, workspace, raw, options, name => Report($"curated: {name}"), cancellationToken);
        }
        else
        {
            // modernize.yaml maps the lake mounts onto lake/: an empty lake keeps the workspace runnable.
            Directory.CreateDirectory(Path.Combine(workspace, "lake"));
        }

        var templated = await TemplatedJobs.WriteAsync(db, workspace, cancellationToken);
        Report(string.Create(CultureInfo.InvariantCulture, $"templated jobs: {templated}"));

        return new SampleSummary(workspace, Summarize(workspace), watch.Elapsed);

        void Report(string step) => progress?.Report(new SampleProgress(step, ++done, total));
    }

    private static void PrepareFolder(string workspace)
    {
        if (Directory.Exists(workspace) && Directory.EnumerateFileSystemEntries(workspace).Any())
        {
            if (!File.Exists(Path.Combine(workspace, "answers.json")))
            {
                throw new IOException($"{workspace} is not empty and is not a sample workspace (no answers.json); choose an empty folder");
            }

            foreach (var folder in GeneratedFolders)
            {
                var path = Path.Combine(workspace, folder);
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
        }

        Directory.CreateDirectory(workspace);
    }

    private static ImmutableArray<SampleArea> Summarize(string workspace)
    {
        var areas = ImmutableArray.CreateBuilder<SampleArea>();
        foreach (var (name, detail) in new[]
                 {
                     ("jobs", "legacy job code"), ("legacy", "reference programs (legacy runner)"),
                     ("catalog", "lakeflow, airflow, simple form, lineage"), ("finops", "billing, costs, tickets, SLAs"),
                     ("lake/raw", "raw Delta tables"), ("lake/curated", "curated Delta tables (legacy outputs)"),
                 })
        {
            var path = Path.Combine(workspace, name);
            if (!Directory.Exists(path))
            {
                continue;
            }

            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
            areas.Add(new SampleArea(name, files.Count, files.Sum(f => f.Length), detail));
        }

        return areas.ToImmutable();
    }
}
