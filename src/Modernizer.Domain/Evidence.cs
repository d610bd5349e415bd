namespace Modernizer.Domain;

/// <summary>What kind of fact a piece of evidence points at (P1: every requirement traces to one).</summary>
public enum EvidenceKind
{
    CodeSpan,
    SourceData,
    OutputData,
    Catalog,
    Finops,
    Decision,
    Configuration,
    Human,
}

/// <summary>A pointer to a checkable fact: a code span ("jobs/x/main.py:42-57"), a query and its
/// result, a catalog row, an earlier decision.</summary>
public sealed record Evidence(EvidenceKind Kind, string Reference, string? Detail = null);
