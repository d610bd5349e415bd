using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Modernizer.Agents.Safety;
using Modernizer.Domain;

namespace Modernizer.Agents.Judgment;

/// <summary>One judgment a role asks of a model: the typed input, the untrusted texts that go with it (each
/// enveloped as data), the evidence references that exist (the only ones an answer may cite), and the
/// engine functions offered as tools (filtered again by the role's allow-list).</summary>
public sealed record JudgmentRequest<TInput>(
    JobId? Job,
    TInput Input,
    ImmutableArray<DataItem> Data,
    ImmutableHashSet<string> KnownEvidence,
    ImmutableArray<AIFunction> Tools);

/// <summary>How a judgment ended.</summary>
public enum JudgmentStatus
{
    /// <summary>No model configured: the deterministic result stands.</summary>
    NotAsked,

    /// <summary>The model's answer passed the engine checks.</summary>
    Accepted,

    /// <summary>Every attempt failed validation; the deterministic result stands.</summary>
    Rejected,

    /// <summary>The model broke policy (a tool off its allow-list) or could not be reached, or its answer was partial.</summary>
    Failed,

    /// <summary>A limit enforced in code was reached (budget, repeated tool calls, timeout).</summary>
    LimitReached,
}

/// <summary>The result of a judgment, with what it cost and why it ended so.</summary>
public sealed record JudgmentResult<TOutput>(
    JudgmentStatus Status,
    TOutput? Output,
    int Attempts,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    string InstructionsHash,
    ImmutableArray<string> Problems,
    string? Limit = null)
{
    public long Tokens => InputTokens + OutputTokens;

    public bool FromModel => Status == JudgmentStatus.Accepted;
}
