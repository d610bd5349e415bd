using System.Collections.Immutable;

namespace Modernizer.Lake.Reconciliation;

/// <summary>What two legacy runs on the same input tell about the legacy job itself (item 7).</summary>
public sealed record DeterminismReport(
    bool Deterministic,
    ImmutableArray<string> NondeterministicColumns,
    bool RowsDiffer,
    ReconciliationVerdict Verdict);

/// <summary>Reconciles two legacy runs against each other. The columns that differ are the legacy
/// job's own nondeterminism (timestamps of the run, random ids, order-dependent aggregates): pass
/// them as <see cref="ReconcileOptions.NondeterministicColumns"/> so exactness is not demanded
/// there, while the verdict and the routing decision still name them.</summary>
public static class DeterminismCheck
{
    public static async Task<DeterminismReport> CompareRunsAsync(
        Reconciler reconciler, TableRef firstRun, TableRef secondRun, ImmutableArray<string> key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        var verdict = await reconciler.ReconcileAsync(new ReconcileRequest(firstRun, secondRun, key.IsDefault ? [] : key, ReconcileOptions.Default with { SampleLimit = 5 }), cancellationToken);
        if (verdict.Status == ReconciliationStatus.Error)
        {
            throw new ReconciliationInputException("The determinism check could not compare the two legacy runs: " + verdict.Error);
        }

        var columns = verdict.Columns.Where(c => c.Mismatches > 0).Select(c => c.Name).ToImmutableArray();
        var rows = verdict.Rows.MissingInCandidate > 0 || verdict.Rows.ExtraInCandidate > 0 || verdict.Rows.DuplicateKeys > 0;
        return new DeterminismReport(columns.IsEmpty && !rows, columns, rows, verdict);
    }
}
