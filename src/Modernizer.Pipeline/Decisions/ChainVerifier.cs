namespace Modernizer.Pipeline.Decisions;

/// <summary>The result of verifying a decision log: intact, or the first broken entry and why.</summary>
public sealed record ChainVerification(bool Intact, long Entries, long? BrokenAtLine, long? BrokenAtSeq, string? Problem)
{
    public static ChainVerification Ok(long entries) => new(true, entries, null, null, null);
}

/// <summary>Verifies the hash chain of an exported <c>decisions.jsonl</c>: each line's hash is the
/// hash of its content, each prev_hash is the previous line's hash, and seq counts up by one.
/// Names the first entry where any of these fails (an edited, removed or reordered line).</summary>
public static class ChainVerifier
{
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

        return ChainVerification.Ok(entries);
    }
}
