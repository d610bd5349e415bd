using System.Collections.Immutable;
using Modernizer.Domain.Decisions;


namespace Modernizer.Code.Analysis;

/// <summary>Everything the Code Reviewer (R2.1) learns about one legacy job.</summary>
public sealed record JobAnalysis(
    string JobId,
    ImmutableArray<string> Files,
    ImmutableArray<string> Sources,
    ImmutableArray<string> Targets,
    ImmutableArray<TableAccess> Reads,
    ImmutableArray<TableAccess> Writes,
    ImmutableArray<ColumnLineageEntry> ColumnLineage,
    ImmutableArray<AntiPatternFinding> AntiPatterns,
    ImmutableArray<SuspectedDefect> SuspectedDefects,
    ImmutableArray<Assumption> Assumptions,
    ImmutableArray<Transformation> Transformations,
    ComplexityMeasures Complexity,
    ImmutableArray<PiiFinding> Pii,
    string PlanText,
    ImmutableArray<AnalysisProblem> Problems,
    ImmutableArray<DecisionDraft> Decisions,
    ImmutableArray<EscalationRequest> Escalations)
{
    /// <summary>The job in the shared logical plan (Plan/): one Write per write, one Loop per loop
    /// over collected rows, Opaque nodes where Python cannot be expressed relationally.</summary>
    public ImmutableArray<Plan.PlanNode> Plans { get; init; } = [];

    /// <summary>Files the analysis could not (fully) understand, each with the reason: a syntax
    /// error, a failure, SQL not parsed, or Spark code in which no Spark operation was recognised.
    /// Empty means every file was understood; "no findings" then means what it says.</summary>
    public ImmutableArray<NotUnderstoodFile> NotUnderstood { get; init; } = [];

    /// <summary>A job whose analysis failed as a whole: only its files and problems are known.</summary>
    public static JobAnalysis Failed(string jobId, ImmutableArray<string> files, ImmutableArray<AnalysisProblem> problems) =>
        new(jobId, files, [], [], [], [], [], [], [], [], [], new ComplexityMeasures(files.Length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), [], string.Empty, problems, [], [])
        {
            NotUnderstood = [.. problems.Select(p => new NotUnderstoodFile(p.File, p.Kind ?? ProblemKinds.AnalysisError, p.Message)).DistinctBy(n => n.File)],
        };

    /// <summary><c>target_table.column</c> → direct source columns (docs/workspace.md's column_lineage).</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<string>> ColumnLineageMap =>
        ColumnLineage
            .GroupBy(e => e.TargetTable + "." + e.TargetColumn, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(
                g => g.Key,
                g => g.SelectMany(e => e.Inputs).Where(i => i.Type == "DIRECT").Select(i => i.Table + "." + i.Column).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray(),
                StringComparer.Ordinal);
}

/// <summary>A table read or written, where, how, and how sure the name is (holes lower it).</summary>
public sealed record TableAccess(string Table, string File, int Line, string Via, string? Mode, double Confidence)
{
    /// <summary>The name's parts (catalog, schema, table): known text, or an unresolved part
    /// holding the expression it comes from.</summary>
    public ImmutableArray<TableNamePart> Parts { get; init; } = [];

    /// <summary>False when any part is known only at run time.</summary>
    public bool Resolved { get; init; } = true;

    /// <summary>Delta time travel (<c>version 3</c>, <c>timestamp '…'</c>): the same table at a version.</summary>
    public string? Version { get; init; }
}

/// <summary>One part of a table name: its text, and for a part known only at run time the
/// expression it comes from (<c>config['db']</c>).</summary>
public sealed record TableNamePart(string Text, bool Resolved, string? Expression);

/// <summary>One output column and the input columns it comes from (OpenLineage column-lineage facet).</summary>
public sealed record ColumnLineageEntry(string TargetTable, string TargetColumn, ImmutableArray<LineageInput> Inputs);

/// <summary><paramref name="Type"/> is DIRECT or INDIRECT; <paramref name="Subtype"/> IDENTITY,
/// TRANSFORMATION, AGGREGATION, JOIN, GROUP_BY, FILTER, SORT, WINDOW or CONDITIONAL.</summary>
public sealed record LineageInput(string Table, string Column, string Type, string Subtype);

/// <summary>Where a finding sits inside a notebook: the cell (1-based, as a notebook shows it)
/// and the line within that cell (1-based). <c>Line</c> stays the line in the file (for .ipynb,
/// the line of the script <c>jupyter nbconvert --to script</c> writes).</summary>
public interface ICellLocated
{
    int? Cell { get; }

    int? CellLine { get; }
}

/// <summary>An anti-pattern flagged for set-based replacement (P2).</summary>
public sealed record AntiPatternFinding(string RuleId, string File, int Line, int EndLine, string Message, string Replacement) : ICellLocated
{
    public int? Cell { get; init; }

    public int? CellLine { get; init; }
}

/// <summary>Something that looks wrong, recorded with reasoning and never fixed (P1).</summary>
public sealed record SuspectedDefect(string Id, string Kind, string File, int Line, string Description, string Reasoning, double Confidence) : ICellLocated
{
    public int? Cell { get; init; }

    public int? CellLine { get; init; }
}

/// <summary>An ambiguity resolved by the reviewer, with rationale and confidence (R2.1).</summary>
public sealed record Assumption(string Id, string File, int Line, string Statement, string Rationale, double Confidence, ImmutableArray<string> Alternatives) : ICellLocated
{
    public int? Cell { get; init; }

    public int? CellLine { get; init; }
}

/// <summary>A file the analysis did not (fully) understand: <paramref name="Reason"/> is one of
/// <see cref="ProblemKinds"/>, <paramref name="Detail"/> says what happened.</summary>
public sealed record NotUnderstoodFile(string File, string Reason, string Detail);

/// <summary>The kinds of <see cref="AnalysisProblem"/>.</summary>
public static class ProblemKinds
{
    public const string Unreadable = "unreadable";
    public const string SyntaxError = "syntax_error";
    public const string SqlNotParsed = "sql_not_parsed";
    public const string AnalysisError = "analysis_error";
    public const string TooDeep = "too_deep";
    public const string NoSparkOperation = "no_spark_operation";
    public const string Configuration = "configuration";
}

/// <summary>A transformation step as the business would read it: filter, join, aggregation...</summary>
public sealed record Transformation(string Kind, string File, int Line, string Description);

/// <summary>Size and shape of the job's code, the inputs of the complexity factor (R1.3).</summary>
public sealed record ComplexityMeasures(
    int Files,
    int Lines,
    int Functions,
    int Branches,
    int Loops,
    int RowLoops,
    int SparkOperations,
    int SqlStatements,
    int Tables,
    int CyclomaticComplexity,
    double Score);

/// <summary>A column holding personal or health data and whether it reaches a curated output unmasked.</summary>
public sealed record PiiFinding(string Column, string Category, string? TargetTable, bool Masked, bool ReachesCuratedOutput, string Evidence);

/// <summary>A problem reading the job (syntax error, unreadable notebook); the rest goes on.</summary>
public sealed record AnalysisProblem(string File, int Line, int Column, string Message) : ICellLocated
{
    /// <summary>One of <see cref="ProblemKinds"/>.</summary>
    public string? Kind { get; init; }

    public int? Cell { get; init; }

    public int? CellLine { get; init; }
}
