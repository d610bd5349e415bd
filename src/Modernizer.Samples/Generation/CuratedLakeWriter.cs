using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Delta.Writing;
using Modernizer.Samples.Legacy;

namespace Modernizer.Samples.Generation;

/// <summary>Writes lake/curated: runs every reference program of <see cref="CuratedPlan"/> on the raw
/// lake and commits each output table as a Delta version (create, then overwrite).</summary>
internal static class CuratedLakeWriter
{
    public static int StepCount => 1 + CuratedPlan.Runs.Length;

    public static async Task WriteAsync(
        SampleDb db, string workspace, ImmutableSortedDictionary<string, string> rawTables, SampleOptions options,
        Action<string> report, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), "modernizer-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            var shared = Path.Combine(work, "raw");
            Directory.CreateDirectory(shared);
            foreach (var (name, folder) in rawTables)
            {
                await LegacyTableExchange.ExportAsync(db, name, folder, shared, cancellationToken);
            }

            report("export raw tables");
            var runner = LegacyRunner.ForWorkspace(workspace, options.Python);
            var writer = new DeltaTableWriter(db.Connection);
            await RunPlanAsync(runner, shared, work, cancellationToken, async (run, index, outDir, tables) =>
            {
                foreach (var table in tables)
                {
                    var folder = Path.Combine(workspace, "lake", table.Replace('.', Path.DirectorySeparatorChar));
                    var exists = Directory.Exists(Path.Combine(folder, "_delta_log"));
                    var select = await LegacyTableExchange.ImportSelectAsync(outDir, table, cancellationToken);
                    await writer.WriteAsync(folder, select, exists ? DeltaWriteMode.Overwrite : DeltaWriteMode.Create,
                        new DeltaCommitOptions(table, run.CommitTime), cancellationToken);
                }

                report(run.JobId + (run.Parameters.IsEmpty ? string.Empty : " " + string.Join(' ', run.Parameters.Select(p => $"{p.Key}={p.Value}"))));
            });
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Runs the plan on JSONL raw tables in <paramref name="rawJsonl"/>; <paramref name="afterRun"/>
    /// sees each run's output folder. Returns the last output folder of every table.</summary>
    internal static async Task<ImmutableSortedDictionary<string, string>> RunPlanAsync(
        LegacyRunner runner, string rawJsonl, string work, CancellationToken cancellationToken,
        Func<CuratedRun, int, string, ImmutableArray<string>, Task>? afterRun = null)
    {
        var latest = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < CuratedPlan.Runs.Length; index++)
        {
            var run = CuratedPlan.Runs[index];
            var inDir = Path.Combine(work, $"run{index.ToString("D2", CultureInfo.InvariantCulture)}-in");
            var outDir = Path.Combine(work, $"run{index.ToString("D2", CultureInfo.InvariantCulture)}-out");
            Directory.CreateDirectory(inDir);
            foreach (var table in run.Inputs)
            {
                CopyTable(rawJsonl, table, inDir);
            }

            if (run.PreviousOutput is { } previous)
            {
                CopyTable(latest[previous], previous, inDir);
            }

            var parameters = JsonSerializer.Serialize(run.Parameters) + "\n";
            await File.WriteAllTextAsync(Path.Combine(inDir, "_params.json"), parameters, cancellationToken);
            var result = await runner.RunJsonlAsync(run.JobId, inDir, outDir, cancellationToken);
            foreach (var table in result.OutputTables)
            {
                latest[table] = outDir;
            }

            if (afterRun is not null)
            {
                await afterRun(run, index, outDir, result.OutputTables);
            }
        }

        return latest.ToImmutable();
    }

    private static void CopyTable(string from, string table, string to)
    {
        foreach (var suffix in new[] { ".jsonl", ".schema.json" })
        {
            File.Copy(Path.Combine(from, table + suffix), Path.Combine(to, table + suffix), overwrite: true);
        }
    }
}
