using Modernizer.Domain;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;
using Modernizer.Lake.Tables;
using Modernizer.Lake.Validation;
using Modernizer.Samples.Legacy;

namespace Modernizer.Agents.Rewriting;

/// <summary>What the legacy runner said about a candidate: its verdict, or why it gave none.</summary>
public sealed record RunnerCheck(ReconciliationVerdict? Verdict, string? Error)
{
    public bool Exact => Verdict?.Status == ReconciliationStatus.Match;
}

/// <summary>The second reconciliation of a rewrite (R4.4): where the workspace has a legacy runner
/// (<c>legacy/run.py</c>, a stand-in that computes what the legacy job computes), the runner is run on
/// exactly the inputs the parallel run read (each table at the version read; a table the legacy run
/// did not find is left out, as on a first run) and the candidate's output is reconciled with the
/// runner's. The lake's curated output proves the rewrite against one historical run; the runner proves
/// it against the legacy logic itself on the same snapshot.</summary>
public static class LegacyRunnerCheck
{
    public static bool Available(WorkspacePaths workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return File.Exists(Path.Combine(workspace.Legacy, "run.py"));
    }

    public static async Task<RunnerCheck> RunAsync(
        WorkspacePaths workspace, JobId job, string table, IReadOnlyList<ParallelInput> inputs, string candidate, string temp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(inputs);
        var folder = Path.Combine(temp, "runner-" + SafeFolderName.Escape(table));
        var exported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs.Where(i => !i.Empty))
        {
            exported[input.Table] = await ExportAsync(input, Path.Combine(folder, "inputs", SafeFolderName.Escape(input.Table)), temp, cancellationToken).ConfigureAwait(false);
        }

        LegacyRunResult run;
        try
        {
            run = await LegacyRunner.ForWorkspace(workspace.Root).RunAsync(job.Value, exported, new Dictionary<string, string?>(), Path.Combine(folder, "run"), cancellationToken).ConfigureAwait(false);
        }
        catch (LegacyRunException e)
        {
            return new RunnerCheck(null, e.Message);
        }

        var output = run.Outputs.FirstOrDefault(o => string.Equals(o.Key, table, StringComparison.OrdinalIgnoreCase)).Value;
        if (output is null)
        {
            return new RunnerCheck(null, $"the legacy runner wrote no table {table} (it wrote: {string.Join(", ", run.OutputTables)})");
        }

        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(output, candidate) with { TempDirectory = temp }, cancellationToken).ConfigureAwait(false);
        var verdict = await new Reconciler(engine).ReconcileAsync(new ReconcileRequest(new TableRef(output), new TableRef(candidate)), cancellationToken).ConfigureAwait(false);
        return new RunnerCheck(verdict, null);
    }

    /// <summary>The input as the parallel run read it, written as one Parquet file in scan order.</summary>
    private static async Task<string> ExportAsync(ParallelInput input, string folder, string temp, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var snapshot = await LakeTable.OpenAsync(input.Folder, input.At, cancellationToken).ConfigureAwait(false);
        var roots = DuckDbSandboxOptions.ForTables(snapshot).ReadableRoots.Append(folder).ToArray();
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(roots) with { TempDirectory = temp }, cancellationToken).ConfigureAwait(false);
        var file = Path.Combine(folder, "part-00000.parquet").Replace("'", "''", StringComparison.Ordinal);
        await engine.ExecuteAsync($"COPY (SELECT * FROM {DuckDbRelation.Render(snapshot)}) TO '{file}' (FORMAT PARQUET)", null, cancellationToken).ConfigureAwait(false);
        return folder;
    }
}
