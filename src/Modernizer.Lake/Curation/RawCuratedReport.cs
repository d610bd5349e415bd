using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Lake.Curation;

public enum DifferenceKind
{
    Renamed,
    Retyped,
    Derived,
    Dropped,
    Unexplained,
}

public enum DifferenceVerdict
{
    Intentional,
    SuspectedBug,
}

/// <summary>One schema difference between the raw sources and the curated target, classified with its evidence.</summary>
public sealed record SchemaDifference(
    DifferenceKind Kind,
    DifferenceVerdict Verdict,
    string TargetColumn,
    ImmutableArray<SourceColumn> Sources,
    string Reason);

/// <summary>Row accounting: how many curated rows the join graph can explain, from key multiplicities.</summary>
public sealed record RowAccounting(long CuratedRows, long ExplainableRows, string Sql, bool CorruptionSuspected, string Reason);

public sealed record RawCuratedReport(
    string TargetTable,
    ImmutableArray<SchemaDifference> Differences,
    RowAccounting Rows,
    ImmutableArray<Evidence> Evidence)
{
    public bool HasSuspectedBugs => Differences.Any(d => d.Verdict == DifferenceVerdict.SuspectedBug);

    /// <summary>X3 row 5: potential data corruption is escalated; null when nothing is suspected.</summary>
    public EscalationRequest? Escalation(JobId? job, StageId stage, RoleId role) => Rows.CorruptionSuspected
        ? new EscalationRequest(job, stage, role, EscalationKind.DataCorruption, $"{TargetTable}: {Rows.Reason}", Evidence)
        : null;
}
