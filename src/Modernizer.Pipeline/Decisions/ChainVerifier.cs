using System.Globalization;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.State;

namespace Modernizer.Pipeline.Decisions;

/// <summary>The result of verifying a decision log: intact, or the first broken entry and why.
/// <see cref="LastSeq"/> and <see cref="LastHash"/> are those of the last entry verified (0 and the
/// genesis hash for an empty log): what its end is compared with.</summary>
public sealed record ChainVerification(bool Intact, long Entries, long? BrokenAtLine, long? BrokenAtSeq, string? Problem)
{
    public long LastSeq { get; init; }

    public string LastHash { get; init; } = DecisionEntry.GenesisHash;

    public static ChainVerification Ok(long entries) => new(true, entries, null, null, null);
}

/// <summary>The store's own record of where the chain ends: updated in the transaction of every append,
/// so a log (the exported file, or the store's rows) that ends anywhere else lost its tail.</summary>
public sealed record ChainHead(long Seq, string Hash);

/// <summary>Verifies the hash chain of an exported <c>decisions.jsonl</c>: each line's hash is the
/// hash of its content, each prev_hash is the previous line's hash, and seq counts up by one.
/// Names the first entry where any of these fails (an edited, removed or reordered line). A chain
/// cut at its end is still a valid chain: <see cref="CheckEnd"/> compares its end with the store's
/// <see cref="ChainHead"/> and names what is missing.</summary>
public static class ChainVerifier
{
    /// <summary>The chain's end against the head it must reach: unchanged when it is intact and ends at
    /// the head; otherwise broken, naming the seqs that are missing (or extra) and where.
    /// <paramref name="subject"/> reads as "decisions.jsonl ends at seq N", <paramref name="head"/>'s
    /// owner as "but the store holds M".</summary>
    public static ChainVerification CheckEnd(ChainVerification chain, ChainHead head, string subject, string headOwner, string missingFrom)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(head);
        if (!chain.Intact || (chain.LastSeq == head.Seq && string.Equals(chain.LastHash, head.Hash, StringComparison.Ordinal)))
        {
            return chain;
        }

        var end = chain.Entries == 0 ? $"{subject} holds no entry" : $"{subject} ends at seq {chain.LastSeq}";
        string problem;
        if (chain.LastSeq < head.Seq)
        {
            problem = $"{end} but {headOwner} {head.Seq}: {Range(chain.LastSeq + 1, head.Seq)} missing from {missingFrom} (its tail was cut)";
        }
        else if (chain.LastSeq > head.Seq)
        {
            problem = $"{end} but {headOwner} {head.Seq}: {Range(head.Seq + 1, chain.LastSeq)} not recorded by the store's head";
        }
        else
        {
            problem = $"{end} as {headOwner} {head.Seq}, but its last hash {Short(chain.LastHash)} is not the head's {Short(head.Hash)}";
        }

        return new ChainVerification(false, chain.Entries, null, Math.Min(chain.LastSeq, head.Seq) + 1, problem)
        {
            LastSeq = chain.LastSeq,
            LastHash = chain.LastHash,
        };
    }

    private static string Range(long from, long to) =>
        from == to
            ? string.Create(CultureInfo.InvariantCulture, $"seq {from} is")
            : string.Create(CultureInfo.InvariantCulture, $"seqs {from}-{to} ({to - from + 1} entries) are");

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "..." : hash;

    /// <summary>The whole audit of a workspace's log: the exported file's chain and its end against the
    /// store's head, and the store's own rows and their end against the same head.</summary>
    public static async Task<(ChainVerification File, ChainVerification Store)> VerifyWorkspaceAsync(
        IStateStore store, WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(workspace);
        var head = await store.ReadChainHeadAsync(cancellationToken);
        var file = await VerifyFileAsync(workspace.DecisionsJsonl, cancellationToken);
        var rows = await store.ReadDecisionsAsync(0, cancellationToken);
        var stored = Verify(rows.Select(DecisionHasher.ToJsonLine));
        return (
            CheckEnd(file, head, "decisions.jsonl", "the store holds", "the file"),
            CheckEnd(stored, head, "the store's decision table", "chain_head says", "the store"));
    }

    public static async Task<ChainVerification> VerifyFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return ChainVerification.Ok(0);
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        return Verify(lines);
    }

    public static ChainVerification Verify(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var previousHash = DecisionEntry.GenesisHash;
        long expectedSeq = 1;
        long lineNumber = 0;
        long entries = 0;
        foreach (var line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            DecisionEntry entry;
            try
            {
                entry = DecisionHasher.Parse(line);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
            {
                return new(false, entries, lineNumber, null, "the line is not a valid decision entry: " + e.Message);
            }

            if (!entry.HasValidHash)
            {
                return new(false, entries, lineNumber, entry.Seq, "the entry's content does not match its hash (the entry was edited)");
            }

            if (!string.Equals(entry.PrevHash, previousHash, StringComparison.Ordinal))
            {
                return new(false, entries, lineNumber, entry.Seq, "prev_hash is not the hash of the entry before it (an entry was removed, inserted or reordered)");
            }

            if (entry.Seq != expectedSeq)
            {
                return new(false, entries, lineNumber, entry.Seq, $"seq {entry.Seq} where {expectedSeq} was expected");
            }

            previousHash = entry.Hash;
            expectedSeq++;
            entries++;
        }

        return ChainVerification.Ok(entries) with { LastSeq = expectedSeq - 1, LastHash = previousHash };
    }
}
