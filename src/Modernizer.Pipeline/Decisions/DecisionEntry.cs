using System.Collections.Immutable;
using Modernizer.Domain;

namespace Modernizer.Pipeline.Decisions;

/// <summary>One line of the decision log (X2) as docs/workspace.md defines it. <see cref="Hash"/> is the
/// SHA-256 of the entry's canonical JSON (every field but the hash itself), and
/// <see cref="PrevHash"/> the hash of the entry before it, so an edit, removal or reordering
/// breaks the chain at the first entry it touches.</summary>
public sealed record DecisionEntry(
    long Seq,
    string Time,
    string? JobId,
    string Stage,
    string Role,
    string Kind,
    string Outcome,
    double Confidence,
    string Rule,
    string Rationale,
    ImmutableArray<string> Alternatives,
    ImmutableArray<Evidence> Evidence,
    long Tokens,
    decimal CostUsd,
    string? InstructionsHash,
    string PrevHash,
    string Hash)
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>True when the stored hash is the hash of the entry's content.</summary>
    public bool HasValidHash => string.Equals(Hash, DecisionHasher.ComputeHash(this), StringComparison.Ordinal);
}
