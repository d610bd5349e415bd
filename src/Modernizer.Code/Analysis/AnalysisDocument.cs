using System.Collections.Immutable;

namespace Modernizer.Code.Analysis;

/// <summary>analysis.json as docs/workspace.md documents it (job_id, sources, targets, column_lineage,
/// anti_patterns, suspected_defects, assumptions) plus transformations, complexity, pii, plan.</summary>
public sealed record AnalysisDocument(
    string JobId,
    ImmutableArray<string> Files,
    ImmutableArray<string> Sources,
    ImmutableArray<string> Targets,
    ImmutableSortedDictionary<string, ImmutableArray<string>> ColumnLineage,
    ImmutableArray<AntiPatternDocument> AntiPatterns,
    ImmutableArray<DefectDocument> SuspectedDefects,
    ImmutableArray<Assumption> Assumptions,
    ImmutableArray<Transformation> Transformations,
    ComplexityMeasures Complexity,
    ImmutableArray<PiiFinding> Pii,
    ImmutableArray<TableAccess> Reads,
    ImmutableArray<TableAccess> Writes,
    string Plan,
    ImmutableArray<AnalysisProblem> Problems)
{
    /// <summary>Files not (fully) understood, with the reason; empty when every file was.</summary>
    public ImmutableArray<NotUnderstoodFile> NotUnderstood { get; init; } = [];
}

public sealed record AntiPatternDocument(string RuleId, string File, int Line, int EndLine, string Message, string Replacement)
{
    /// <summary>Notebooks: the cell (1-based) and the line within it.</summary>
    public int? Cell { get; init; }

    public int? CellLine { get; init; }
}

public sealed record DefectDocument(string Id, string Kind, string File, int Line, string Description, string Reasoning, double Confidence)
{
    public int? Cell { get; init; }

    public int? CellLine { get; init; }
}
