using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Pipeline.Decisions;

namespace Modernizer.Pipeline.Tests.Decisions;

/// <summary>X2: the exported log is hash-chained; verify names the first entry an edit, a removal or
/// a reordering breaks.</summary>
public sealed class DecisionLogTamperTests
{
    private static ImmutableArray<string> Lines(int count)
    {
        var lines = ImmutableArray.CreateBuilder<string>();
        var previous = DecisionEntry.GenesisHash;
        for (var seq = 1; seq <= count; seq++)
        {
            var draft = new DecisionDraft(new JobId("job_" + seq), StageId.CodeReview, RoleId.CodeReviewer, "assumption", DecisionOutcome.Autonomous,
                new Confidence(0.75), "R2.1", "magic number 42 is a threshold \"quoted\" ünïcode", ["a", "b"],
                [new Evidence(EvidenceKind.CodeSpan, "jobs/j/main.py:4", null)])
            { CostUsd = 0.10m, Tokens = 12 };
            var entry = DecisionHasher.Seal(draft, seq, "2026-01-01T00:00:00.0000000Z", previous);
            previous = entry.Hash;
            lines.Add(DecisionHasher.ToJsonLine(entry));
        }

        return lines.ToImmutable();
    }

    [Fact]
    public void An_untouched_log_verifies()
    {
        var result = ChainVerifier.Verify(Lines(5));
        Assert.True(result.Intact);
        Assert.Equal(5, result.Entries);
    }

    [Fact]
    public void A_line_parses_back_to_the_same_canonical_bytes()
    {
        var line = Lines(1)[0];
        Assert.Equal(line, DecisionHasher.ToJsonLine(DecisionHasher.Parse(line)));
    }

    [Fact]
    public void An_edited_line_is_named()
    {
        var lines = Lines(5).SetItem(2, Lines(5)[2].Replace("\"confidence\":0.75", "\"confidence\":0.95", StringComparison.Ordinal));
        var result = ChainVerifier.Verify(lines);
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAtSeq);
        Assert.Contains("edited", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_line_is_named_at_the_entry_after_it()
    {
        var result = ChainVerifier.Verify(Lines(5).RemoveAt(1));
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAtSeq);
        Assert.Equal(2, result.BrokenAtLine);
    }

    [Fact]
    public void Reordered_lines_are_named_at_the_first_moved_entry()
    {
        var lines = Lines(5);
        var swapped = lines.SetItem(1, lines[3]).SetItem(3, lines[1]);
        var result = ChainVerifier.Verify(swapped);
        Assert.False(result.Intact);
        Assert.Equal(4, result.BrokenAtSeq);
        Assert.Equal(2, result.BrokenAtLine);
    }

    [Fact]
    public void A_rehashed_edit_still_breaks_the_next_link()
    {
        var lines = Lines(4);
        var edited = DecisionHasher.Parse(lines[1]) with { Rationale = "rewritten history" };
        var resealed = edited with { Hash = DecisionHasher.ComputeHash(edited) };
        var result = ChainVerifier.Verify(lines.SetItem(1, DecisionHasher.ToJsonLine(resealed)));
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAtSeq);
    }

    [Fact]
    public void A_line_that_is_not_an_entry_is_named()
    {
        var result = ChainVerifier.Verify(Lines(3).SetItem(1, "{\"seq\":2}"));
        Assert.False(result.Intact);
        Assert.Equal(2, result.BrokenAtLine);
    }
}
