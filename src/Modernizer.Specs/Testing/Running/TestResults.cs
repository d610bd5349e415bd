using System.Collections.Immutable;

namespace Modernizer.Specs.Testing.Running;

public enum CaseStatus
{
    Passed,
    Failed,
    ExpectedUnknown,
    Error,
}

/// <summary>One target of one case: the exact multiset comparison of the rewrite's rows with the legacy rows.</summary>
public sealed record TargetResult(string Table, CaseStatus Status, double? MatchRate, long? ExpectedRows, long? ActualRows, long? Matched, long? Missing, long? Extra, string? Message)
{
    public ImmutableArray<string> Samples { get; init; } = [];
}

public sealed record CaseResult(string Id, string Kind, ImmutableArray<string> Tags, ImmutableArray<string> RequirementIds, CaseStatus Status, string? Message, ImmutableArray<TargetResult> Targets);

/// <summary>tests/results.json: every case run against the rewrite on disk, with the counts and the coverage.</summary>
public sealed record TestResults(
    string JobId,
    string Engine,
    string? RewriteHash,
    ImmutableArray<CaseResult> Cases,
    int Passed,
    int Failed,
    int ExpectedUnknown,
    int Errors,
    ImmutableArray<string> Inactive,
    TestCoverageSummary? Coverage)
{
    public const string FileName = "results.json";

    /// <summary>0 all pass, 1 a failure, 2 an error (docs/workspace.md, <c>modernize test</c>).</summary>
    public int ExitCode => Errors > 0 ? 2 : Failed > 0 ? 1 : 0;

    public ImmutableArray<string> FailingCases => [.. Cases.Where(c => c.Status == CaseStatus.Failed).Select(c => c.Id)];
}

/// <summary>The coverage figures results.json carries (from tests/coverage.json).</summary>
public sealed record TestCoverageSummary(int Goals, int Applicable, int Reached, int Unreached, double ReachedRate, int ExpectedKnown, int ExpectedUnknown, ImmutableArray<string> RequirementsWithTests, ImmutableArray<string> DefectsWithTests);
