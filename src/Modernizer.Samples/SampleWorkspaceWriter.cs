using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Modernizer.Samples.Generation;

namespace Modernizer.Samples;

/// <summary>Writes the retail sample workspace: the hand-written jobs and answer key, the catalog and
/// finops exports, the raw Delta lake and the curated lake produced by the legacy reference programs.
/// Same options, same bytes: every generator is seeded and each statement runs on one DuckDB thread;
/// independent steps run side by side on their own connections.</summary>
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
        var reporting = new Lock();

        await EmbeddedSample.WriteAsync(workspace, cancellationToken);
        Report("sample files");

        // Independent steps run at the same time, each statement on one thread (StepGraph, SampleDb).
        CatalogGenerator.CreateFolders(workspace);
        var graph = new StepGraph();
        foreach (var step in catalog.Steps)
        {
            graph.Add(CatalogItem(step.Name), step.After.Select(CatalogItem), async (session, ct) =>
            {
                await session.ExecuteStepAsync(catalog.Name, step, ct);
                Report(CatalogItem(step.Name));
            });
        }

        // Before the curated lake: the legacy runner reproduces a copy through legacy/templated.json.
        graph.Add("templated jobs", [CatalogItem(catalog.Steps[0].Name)], async (session, ct) =>
        {
            var templated = await TemplatedJobs.WriteAsync(session, workspace, ct);
            Report(string.Create(CultureInfo.InvariantCulture, $"templated jobs: {templated}"));
        });

        if (options.IncludeLake)
        {
            // The lake has tables of its own (sql/raw_lake.sql): it runs beside the catalog.
            ImmutableSortedDictionary<string, string>? raw = null;
            graph.Add("raw lake", [], async (session, ct) =>
                raw = await RawLakeWriter.WriteAsync(session, workspace, options, name => Report($"lake: {name}"), ct));
            graph.Add("curated lake", ["raw lake", "templated jobs"], (session, ct) =>
                CuratedLakeWriter.WriteAsync(session, workspace, raw!, options, name => Report($"curated: {name}"), ct));
        }
        else
        {
            // modernize.yaml maps the lake mounts onto lake/: an empty lake keeps the workspace runnable.
            Directory.CreateDirectory(Path.Combine(workspace, "lake"));
        }

        await graph.RunAsync(db, options.Parallelism, cancellationToken);
        return new SampleSummary(workspace, Summarize(workspace), watch.Elapsed);

        void Report(string step)
        {
            lock (reporting)
            {
                progress?.Report(new SampleProgress(step, ++done, total));
            }
        }

        static string CatalogItem(string step) => "catalog: " + step;
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
