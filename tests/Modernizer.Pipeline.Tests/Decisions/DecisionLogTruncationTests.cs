using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Tests.State;
using Npgsql;

namespace Modernizer.Pipeline.Tests.Decisions;

/// <summary>X2: a log cut at its end is still a valid chain, so the audit compares each end with the
/// store's chain head. A file that lost its last line, half its lines or all of them, and a store that
/// lost its last decision row, are reported with what is missing.</summary>
public sealed class DecisionLogTruncationTests
{
    private const int Decisions = 6;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task An_untouched_log_and_store_agree_with_the_head(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await PrepareAsync(test);

        var (file, stored) = await ChainVerifier.VerifyWorkspaceAsync(store, test.Workspace.Paths, CancellationToken.None);

        Assert.True(file.Intact, file.Problem);
        Assert.True(stored.Intact, stored.Problem);
        Assert.Equal(Decisions, file.Entries);
        Assert.Equal(new ChainHead(Decisions, file.LastHash), await store.ReadChainHeadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(1, "decisions.jsonl ends at seq 5 but the store holds 6: seq 6 is missing from the file")]
    [InlineData(3, "decisions.jsonl ends at seq 3 but the store holds 6: seqs 4-6 (3 entries) are missing from the file")]
    [InlineData(6, "decisions.jsonl holds no entry but the store holds 6: seqs 1-6 (6 entries) are missing from the file")]
    public async Task A_file_whose_tail_was_cut_is_reported_with_the_missing_seqs(int cut, string expected)
    {
        await using var test = await TestStore.CreateAsync("sqlite");
        var store = await PrepareAsync(test);
        var lines = await File.ReadAllLinesAsync(test.Workspace.Paths.DecisionsJsonl);
        await File.WriteAllLinesAsync(test.Workspace.Paths.DecisionsJsonl, lines[..^cut]);

        var (file, stored) = await ChainVerifier.VerifyWorkspaceAsync(store, test.Workspace.Paths, CancellationToken.None);

        Assert.False(file.Intact);
        Assert.Contains(expected, file.Problem, StringComparison.Ordinal);
        Assert.Equal(Decisions - cut + 1, file.BrokenAtSeq);
        Assert.True(stored.Intact, stored.Problem);
    }

    [Fact]
    public async Task A_deleted_file_is_reported_when_the_store_holds_decisions()
    {
        await using var test = await TestStore.CreateAsync("sqlite");
        var store = await PrepareAsync(test);
        File.Delete(test.Workspace.Paths.DecisionsJsonl);

        var (file, _) = await ChainVerifier.VerifyWorkspaceAsync(store, test.Workspace.Paths, CancellationToken.None);

        Assert.False(file.Intact);
        Assert.Contains("holds no entry but the store holds 6", file.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task A_store_that_lost_its_last_decision_row_is_reported_against_chain_head(string kind)
    {
        await using var test = await TestStore.CreateAsync(kind);
        var store = await PrepareAsync(test);
        await ExecuteAsync(test, "DELETE FROM decisions WHERE seq = (SELECT max(seq) FROM decisions)");

        var (file, stored) = await ChainVerifier.VerifyWorkspaceAsync(store, test.Workspace.Paths, CancellationToken.None);

        Assert.False(stored.Intact);
        Assert.Contains("the store's decision table ends at seq 5 but chain_head says 6: seq 6 is missing from the store", stored.Problem, StringComparison.Ordinal);
        Assert.True(file.Intact, file.Problem);
    }

    [Fact]
    public void A_chain_that_ends_at_the_right_seq_with_another_hash_is_reported()
    {
        var chain = ChainVerification.Ok(2) with { LastSeq = 2, LastHash = new string('a', 64) };
        var checkedEnd = ChainVerifier.CheckEnd(chain, new ChainHead(2, new string('b', 64)), "decisions.jsonl", "the store holds", "the file");
        Assert.False(checkedEnd.Intact);
        Assert.Contains("is not the head's", checkedEnd.Problem, StringComparison.Ordinal);
    }

    private static async Task<IStateStore> PrepareAsync(TestStore test)
    {
        var store = await test.OpenAsync();
        var owner = LeaseOwner.ForCurrentProcess();
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await store.SelectJobsAsync([new JobSlot("job_a", 0)], CancellationToken.None);
        Assert.True(await store.TryAcquireLeaseAsync("job_a", owner, now, TimeSpan.FromMinutes(1), CancellationToken.None));
        var drafts = Enumerable.Range(1, Decisions).Select(i => new DecisionDraft(new JobId("job_a"), StageId.CodeReview, RoleId.CodeReviewer, "assumption",
            DecisionOutcome.Autonomous, new Confidence(0.9), "R2.1", $"decision {i}", [], [])).ToImmutableArray();
        await store.CommitStageAsync(new StageCommit("job_a", owner.ToString(),
            new StageRunRecord("job_a", "code_review", StageStatus.Completed, "h", 1, null, [], string.Empty), drafts, [], JobState.Running, null), now, CancellationToken.None);
        await LogExporter.ExportAsync(store, test.Workspace.Paths, CancellationToken.None);
        return store;
    }

    private static async Task ExecuteAsync(TestStore test, string sql)
    {
        if (test.Kind == "sqlite")
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = test.Workspace.Paths.StateDb, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var command = new SqliteCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var postgres = new NpgsqlConnection(test.Settings.ConnectionString);
        await postgres.OpenAsync();
        await using var delete = new NpgsqlCommand(sql, postgres);
        await delete.ExecuteNonQueryAsync();
    }
}
