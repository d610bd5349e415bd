using System.Collections.Immutable;
using Modernizer.Code.Lifting;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Agents.Rewriting;

/// <summary>Where a rewrite ended (rewrite.json <c>status</c>).</summary>
public enum RewriteStatus
{
    /// <summary>Every target of the candidate reconciled exactly with the legacy output (R4.4, X4).</summary>
    Validated,

    /// <summary>No exact set-based rewrite was found: a construct could not be lifted exactly, or no
    /// interpretation reconciled exactly. A human decides (X4).</summary>
    Escalated,

    /// <summary>The rewrite could not be attempted (no code, no analysis, a table missing from the lake).</summary>
    Failed,
}

/// <summary>One attempt of the retry loop (X4): the interpretation it took and what reconciliation said.</summary>
/// <param name="Choices">Assumption id → the alternative taken (empty: every assumption's stated reading).</param>
/// <param name="Outcome"><c>exact</c>, <c>mismatch</c>, <c>refused</c>, <c>error</c> or <c>no_proposal</c> (the model gave none).</param>
/// <param name="MatchRate">The lowest match rate over the targets (null when nothing was reconciled).</param>
public sealed record RewriteAttempt(int Number, ImmutableSortedDictionary<string, string> Choices, string Outcome, double? MatchRate, string Detail)
{
    /// <summary>Who wrote the candidate: <c>lifter</c> (deterministic) or <c>model</c> (X1).</summary>
    public string Source { get; init; } = "lifter";

    /// <summary>Model tokens and cost the attempt spent (0 for the lifter).</summary>
    public long Tokens { get; init; }

    public decimal CostUsd { get; init; }

    /// <summary>The Code Writer's instructions hash when a model took part.</summary>
    public string? InstructionsHash { get; init; }
}

/// <summary>One target's parallel run and its reconciliation against the legacy output.</summary>
/// <param name="Baseline">The legacy output table's folder in the lake.</param>
/// <param name="Candidate">The candidate's output (Parquet) in the rewrite folder.</param>
/// <param name="Inputs">The input versions the parallel run read (Delta time travel).</param>
/// <param name="Runner">The second reconciliation, against the workspace's legacy runner on the same
/// inputs (null when the workspace has no runner).</param>
public sealed record TargetCheck(string Table, string Baseline, long? BaselineVersion, string Candidate, ReconciliationVerdict Verdict, ImmutableArray<InputVersion> Inputs, RunnerCheck? Runner = null)
{
    /// <summary>Exact against the legacy output and, where there is one, against the legacy runner.</summary>
    public bool Exact => Verdict.Status == ReconciliationStatus.Match && (Runner is null || Runner.Exact);

    /// <summary>The lower of the two match rates (a runner that gave no verdict counts as 0).</summary>
    public double? MatchRate => Runner is null ? Verdict.MatchRate : Math.Min(Verdict.MatchRate ?? 0, Runner.Verdict?.MatchRate ?? 0);
}

/// <summary>An input table of the parallel run and the version it was read at (null: empty, the legacy
/// run found no table).</summary>
public sealed record InputVersion(string Table, long? Version, long Rows);

/// <summary>The Code Writer's result for one job: what was written, what was tried, and the verdict.</summary>
/// <param name="LoopsBefore">Iterative-processing findings in the legacy code (ITR, UDF01, RDD01).</param>
/// <param name="LoopsAfter">The same findings when the rewrite is analysed again (P2: must be 0).</param>
/// <param name="Hash">The rewrite's hash (<see cref="Domain.Workspace.RewriteLayout.Hash"/>) when files were written.</param>
public sealed record RewriteResult(
    RewriteStatus Status,
    string Message,
    JobProgram? Program,
    ImmutableArray<RewriteRefusal> Refusals,
    ImmutableArray<RewriteAttempt> Attempts,
    ImmutableArray<TargetCheck> Checks,
    int LoopsBefore,
    int LoopsAfter,
    string? Hash);
