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
/// <param name="Outcome"><c>exact</c>, <c>mismatch</c>, <c>refused</c> or <c>error</c>.</param>
/// <param name="MatchRate">The lowest match rate over the targets (null when nothing was reconciled).</param>
public sealed record RewriteAttempt(int Number, ImmutableSortedDictionary<string, string> Choices, string Outcome, double? MatchRate, string Detail);

/// <summary>One target's parallel run and its reconciliation against the legacy output.</summary>
/// <param name="Baseline">The legacy output table's folder in the lake.</param>
/// <param name="Candidate">The candidate's output (Parquet) in the rewrite folder.</param>
/// <param name="Inputs">The input versions the parallel run read (Delta time travel).</param>
public sealed record TargetCheck(string Table, string Baseline, long? BaselineVersion, string Candidate, ReconciliationVerdict Verdict, ImmutableArray<InputVersion> Inputs)
{
    public bool Exact => Verdict.Status == ReconciliationStatus.Match;
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
