using System.Collections.Immutable;

namespace Modernizer.Lake.Reconciliation;

/// <summary>How a table is stored. <see cref="Auto"/> decides from the path: a folder with
/// <c>_delta_log/</c> is Delta, a folder or file of <c>.parquet</c> is Parquet, <c>.csv</c> is CSV.</summary>
public enum TableFormat
{
    Auto,
    Parquet,
    Csv,
    Delta,
}

/// <summary>One side of a reconciliation: a table on disk, optionally at a Delta version.</summary>
public sealed record TableRef(string Path, TableFormat Format = TableFormat.Auto, long? Version = null);

/// <summary>What to reconcile (R4.4): the legacy output (baseline) against the rewrite's output
/// (candidate) produced from the same inputs. An empty <see cref="Key"/> asks the reconciler to
/// infer a key from a profile of both sides, and to fall back to keyless multiset mode.</summary>
public sealed record ReconcileRequest(TableRef Baseline, TableRef Candidate, ImmutableArray<string> Key, ReconcileOptions Options)
{
    public ReconcileRequest(TableRef baseline, TableRef candidate)
        : this(baseline, candidate, [], ReconcileOptions.Default)
    {
    }
}

/// <summary>Float comparison policy. Floats are compared exactly; only NaN and the sign of zero
/// need a declared rule, and the verdict reports the rule in force.</summary>
public sealed record FloatPolicy(bool NanEqualsNan = true, bool NegativeZeroEqualsZero = true)
{
    public static FloatPolicy Default { get; } = new();
}

/// <summary>Reconciliation settings. Tolerances exist only as declared per-column waivers.</summary>
public sealed record ReconcileOptions
{
    public static ReconcileOptions Default { get; } = new();

    /// <summary>Keyless multiset mode even when a key could be inferred.</summary>
    public bool Keyless { get; init; }

    public FloatPolicy FloatPolicy { get; init; } = FloatPolicy.Default;

    public ImmutableArray<ColumnWaiver> Waivers { get; init; } = [];

    /// <summary>Columns known to differ between two legacy runs on the same input (item 7); their
    /// mismatches are reported as nondeterministic, never counted silently as matches.</summary>
    public ImmutableArray<string> NondeterministicColumns { get; init; } = [];

    /// <summary>Rows kept per class in the report's samples (ordered by key or row hash).</summary>
    public int SampleLimit { get; init; } = 20;

    /// <summary>Keyless mode: unmatched rows captured per class in the comparison pass itself;
    /// when a class holds more, the full diff is written by a second, filtered pass. (Keyed mode
    /// materializes every non-matching row in its single pass and needs no limit.)</summary>
    public int CaptureLimit { get; init; } = 10_000;

    /// <summary>Where to write the full diff as Parquet (every non-matching row), or null.</summary>
    public string? DiffPath { get; init; }

    /// <summary>When true, type differences and column order count as a mismatch too.</summary>
    public bool StrictSchema { get; init; }
}
