using System.Collections.Immutable;
using System.Text.Json;

namespace Modernizer.Lake.Reconciliation;

public enum ReconciliationStatus
{
    Match,
    Mismatch,
    Error,
}

public enum ReconciliationMode
{
    Keyed,
    Keyless,
}

public enum KeySource
{
    Given,
    Inferred,
    None,
}

/// <summary>The typed verdict; serialized as-is it is <c>reconciliation.json</c> (docs/workspace.md:
/// status, match_rate, rows, columns, key, samples, plus provenance). Top-level status and
/// match rate are the exact result; <see cref="Waived"/> is the result with declared waivers.</summary>
public sealed record ReconciliationVerdict
{
    public required ReconciliationStatus Status { get; init; }

    /// <summary>matched / (matched + changed + missing + extra + duplicate-key rows); 1 for two empty tables.</summary>
    public required double? MatchRate { get; init; }

    public required RowCounts Rows { get; init; }

    public required ImmutableArray<ColumnResult> Columns { get; init; }

    public required ImmutableArray<string> Key { get; init; }

    public required ImmutableArray<SampleRow> Samples { get; init; }

    public required ReconciliationMode? Mode { get; init; }

    public required KeySource? KeySource { get; init; }

    public required WaivedResult? Waived { get; init; }

    public required SchemaDiff? SchemaDiff { get; init; }

    public required ImmutableArray<ColumnWaiver> Waivers { get; init; }

    /// <summary>Columns declared nondeterministic in the legacy job (item 7); reported, never silently matched.</summary>
    public required ImmutableArray<string> NondeterministicColumns { get; init; }

    public required FloatPolicy FloatPolicy { get; init; }

    public required string EncodingVersion { get; init; }

    public required EngineInfo Engine { get; init; }

    public required TableInfo Baseline { get; init; }

    public required TableInfo Candidate { get; init; }

    /// <summary>SHA-256 of the canonical JSON of the request's key and options.</summary>
    public required string ConfigHash { get; init; }

    /// <summary>The Parquet file holding every non-matching row, when one was written.</summary>
    public required string? DiffPath { get; init; }

    public required string? Error { get; init; }

    /// <summary>Facts worth reading that are not failures (strategy taken, second pass run...).</summary>
    public required ImmutableArray<string> Notes { get; init; }
}

/// <summary>Every row lands in exactly one class: baseline = matched + changed + missing_in_candidate
/// + duplicate_keys_baseline and candidate = matched + changed + extra_in_candidate +
/// duplicate_keys_candidate (matched and changed count pairs).</summary>
public sealed record RowCounts(
    long? Baseline,
    long? Candidate,
    long? Matched,
    long? Changed,
    long? MissingInCandidate,
    long? ExtraInCandidate,
    long? DuplicateKeys,
    long? DuplicateKeysBaseline,
    long? DuplicateKeysCandidate,
    long? NullKeysBaseline,
    long? NullKeysCandidate)
{
    public static RowCounts Unknown { get; } = new(null, null, null, null, null, null, null, null, null, null, null);
}

/// <summary>Per-column evidence over every compared pair (never a sample). In keyless mode,
/// mismatches are the column values of unmatched rows that find no equal value among the other
/// side's unmatched rows (multiset difference).</summary>
public sealed record ColumnResult(
    string Name,
    long? Mismatches,
    double? MatchRate,
    long? WaivedMismatches,
    string? BaselineType,
    string? CandidateType,
    bool Compared,
    bool Nondeterministic)
{
    /// <summary>Changed pairs where the baseline has a value and the candidate NULL (a regression sign).</summary>
    public long? NullsIntroduced { get; init; }

    /// <summary>Changed pairs where the baseline is NULL and the candidate has a value.</summary>
    public long? NullsFilled { get; init; }
}

public sealed record WaivedResult(ReconciliationStatus Status, double? MatchRate, long Matched, long Changed);

/// <summary>One captured row: values rendered as text (NULL stays null) so the report can show
/// them side by side; <see cref="DifferingColumns"/> names the cells that differ.</summary>
public sealed record SampleRow(
    string Class,
    JsonElement? Key,
    JsonElement? Baseline,
    JsonElement? Candidate,
    ImmutableArray<string> DifferingColumns,
    long? Copies);

public sealed record TypeDifference(string Name, string Baseline, string Candidate);

public sealed record SchemaDiff(
    ImmutableArray<string> MissingInCandidate,
    ImmutableArray<string> ExtraInCandidate,
    ImmutableArray<TypeDifference> TypeDifferences,
    ImmutableArray<string> NullabilityDifferences,
    bool ColumnOrderDiffers,
    ImmutableArray<string> BaselineColumns,
    ImmutableArray<string> CandidateColumns)
{
    public bool ChangesColumns => !MissingInCandidate.IsEmpty || !ExtraInCandidate.IsEmpty;
}

public sealed record EngineInfo(string Name, string Version, string Dialect);

public sealed record TableInfo(string Path, string Format, long? Version);
