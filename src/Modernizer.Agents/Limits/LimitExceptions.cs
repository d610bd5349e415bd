namespace Modernizer.Agents.Limits;

/// <summary>A limit enforced in code was reached; the stage stops with a decision and, where the policy
/// says so, an escalation of kind LimitReached.</summary>
public abstract class LimitReachedException(string limit, string message) : Exception(message)
{
    /// <summary>Which limit: budget, repeated_tool_call, attempts, timeout, tool_rounds.</summary>
    public string Limit { get; } = limit;
}

public sealed class BudgetExceededException(string message) : LimitReachedException("budget", message);

public sealed class RepeatedToolCallException(string message) : LimitReachedException("repeated_tool_call", message);

public sealed class StageTimeoutException(string message) : LimitReachedException("timeout", message);

/// <summary>The model asked for a tool that is not on the role's allow-list. Policy in code refuses it;
/// the model's answer is discarded.</summary>
public sealed class DisallowedToolCallException(string toolName)
    : Exception($"The model asked for tool '{toolName}', which is not on this role's allow-list; the answer is discarded.")
{
    public string ToolName { get; } = toolName;
}
