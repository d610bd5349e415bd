using System.Collections.Immutable;

namespace Modernizer.Specs.Testing.Design;

/// <summary>The test kinds of R3.1.</summary>
public enum TestKind
{
    HappyPath,
    Edge,
    Null,
    Boundary,
    Regression,
}

/// <summary>What a goal asks of the input data (R3.1 coverage from the plan).</summary>
public enum GoalKind
{
    /// <summary>The job's inputs as the lake holds them (a stratified sample).</summary>
    Sample,
    PredicateTrue,
    PredicateFalse,
    PredicateNull,
    CaseArm,
    JoinMatched,
    JoinLeftUnmatched,
    JoinRightUnmatched,
    JoinDuplicateKey,
    EmptyInput,
    GroupOfZero,
    GroupOfOne,
    GroupOfMany,
    BoundaryBelow,
    BoundaryAt,
    BoundaryAbove,
    NullColumn,
    Parameter,

    /// <summary>Solved values for the inputs of one computed column (a suspected defect's trigger, e.g. a rounding tie).</summary>
    DefectValues,
}

/// <summary>One value the generator sets: a column of an input table, as a DuckDB SQL expression.</summary>
public sealed record ValueAssignment(string Table, string Column, string Value);

/// <summary>A coverage goal: a site of the plan and the outcome the data must reach there. <see cref="Table"/>
/// and <see cref="Column"/> name the input the generator changes; <see cref="Predicate"/> is the condition as
/// DuckDB SQL over that table when it can be checked on the fixture (reached or not).</summary>
public sealed record CoverageGoal(string Id, string Site, GoalKind Kind, string Description)
{
    public string? Table { get; init; }

    public string? Column { get; init; }

    /// <summary>DuckDB SQL over <see cref="Table"/> (columns unqualified) whose truth the goal needs, when checkable.</summary>
    public string? Predicate { get; init; }

    /// <summary>The constant or solved value the goal uses (a DuckDB SQL expression), when it needs one.</summary>
    public string? Value { get; init; }

    /// <summary>For predicate and boundary goals: the comparison and its constants (DuckDB SQL), which the generator solves.</summary>
    public Plans.AtomOp? Op { get; init; }

    public ImmutableArray<string> Constants { get; init; } = [];

    /// <summary>The column's Spark type, when known.</summary>
    public string? Type { get; init; }

    /// <summary>The other side of a join goal: table and key columns.</summary>
    public string? OtherTable { get; init; }

    public ImmutableArray<string> Keys { get; init; } = [];

    public ImmutableArray<string> OtherKeys { get; init; } = [];

    /// <summary>DuckDB SQL over <see cref="Table"/>: the table's other filters, which the changed row should pass
    /// so that the change reaches the operator the goal is about.</summary>
    public string? Guard { get; init; }

    /// <summary>The other filters of <see cref="OtherTable"/>, for join goals.</summary>
    public string? OtherGuard { get; init; }

    /// <summary>For <see cref="GoalKind.DefectValues"/>: the values to set on one row and on the rows of other tables joined to it (on <see cref="Keys"/> = <see cref="OtherKeys"/>).</summary>
    public ImmutableArray<ValueAssignment> Assignments { get; init; } = [];

    /// <summary>Why the goal cannot be reached with data (null when it can).</summary>
    public string? NotApplicable { get; init; }
}

/// <summary>One designed test case: its goals, tags (<c>defect:D01</c>, <c>alternative:A01</c>), the
/// requirements it traces to, the parameters it runs with, and whether it is active (the alternative
/// reading of a dual-interpretation pair is inactive until someone flips it).</summary>
public sealed record TestCaseDesign(
    string Id,
    TestKind Kind,
    string Title,
    ImmutableArray<string> Tags,
    ImmutableArray<string> RequirementIds,
    ImmutableArray<CoverageGoal> Goals)
{
    public ImmutableSortedDictionary<string, string?> Parameters { get; init; } = ImmutableSortedDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal);

    public bool Active { get; init; } = true;

    /// <summary><c>designer</c> for plan coverage, <c>model</c> for a case a model suggested (its data and expected rows still come from the engines and the legacy side).</summary>
    public string Origin { get; init; } = "designer";
}

/// <summary>tests/inventory.json: every case of the job and every coverage goal, with the goals no data can reach.</summary>
public sealed record TestInventory(string JobId, ImmutableArray<TestCaseDesign> Cases, ImmutableArray<CoverageGoal> Goals)
{
    public ImmutableArray<string> Notes { get; init; } = [];

    public ImmutableArray<string> TestsOf(string requirement) =>
        [.. Cases.Where(c => c.RequirementIds.Contains(requirement, StringComparer.Ordinal)).Select(c => c.Id)];
}
