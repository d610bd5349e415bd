using Modernizer.Domain.Decisions;

namespace Modernizer.Domain.Policy;

/// <summary>What the policy concluded. <see cref="Rule"/> is the row of the table that applied, so
/// the decision log names it (X2).</summary>
public sealed record PolicyVerdict(bool Escalate, EscalationKind? Kind, string Rule, string Rationale)
{
    internal static PolicyVerdict Autonomous(string rule, string rationale) => new(false, null, rule, rationale);

    internal static PolicyVerdict Escalation(EscalationKind kind, string rule, string rationale) => new(true, kind, rule, rationale);
}

/// <summary>X4 routing of a reconciliation verdict.</summary>
public enum ReconciliationRoute
{
    /// <summary>At or above the acceptance threshold (100% unless configured lower): the rewrite passes.</summary>
    Accept,

    /// <summary>At or above the escalation floor, no financial/regulatory column affected, attempts left:
    /// classify the mismatches, log them, and send the diff back to the Code Writer.</summary>
    RetryRewrite,

    /// <summary>Below the floor, a financial/regulatory column mismatched, or attempts exhausted.</summary>
    Escalate,
}

public sealed record ReconciliationVerdict(ReconciliationRoute Route, PolicyVerdict Verdict);
