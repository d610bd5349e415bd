using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Stages;
using Modernizer.Pipeline.Decisions;

namespace Modernizer.Pipeline.State;

/// <summary>The state store over ADO.NET, shared by SQLite and PostgreSQL. The dialects differ
/// only in their migrations, in how a writer transaction starts and in row locking
/// (<see cref="LockRow"/>, <see cref="LockRowSkipLocked"/>).</summary>
internal abstract class SqlStateStore : IStateStore
{
    protected abstract string LockRow { get; }

    protected abstract string LockRowSkipLocked { get; }

    protected abstract IReadOnlyList<string> MigrationSql(Migration migration);

    /// <summary>A connection for one unit of work; disposing the lease gives it back.</summary>
    protected abstract ValueTask<ConnectionLease> RentAsync(CancellationToken cancellationToken);

    /// <summary>Serializes migrations between processes (an advisory lock on PostgreSQL).</summary>
    protected abstract Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var tx = await lease.Connection.BeginTransactionAsync(cancellationToken);
        await LockMigrationsAsync(lease.Connection, tx, cancellationToken);
        await ExecuteAsync(lease.Connection, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", cancellationToken);
        var applied = new HashSet<int>();
        await using (var command = Command(lease.Connection, tx, "SELECT version FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        foreach (var migration in Migrations.All.Where(m => !applied.Contains(m.Version)))
        {
            foreach (var sql in MigrationSql(migration))
            {
                await ExecuteAsync(lease.Connection, tx, sql, cancellationToken);
            }

            await ExecuteAsync(lease.Connection, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", cancellationToken,
                ("v", migration.Version), ("n", migration.Name), ("t", DecisionHasher.FormatTime(DateTimeOffset.UtcNow)));
        }

        await tx.CommitAsync(cancellationToken);
        return Migrations.Latest;
    }

    public async Task SelectJobsAsync(IReadOnlyList<JobSlot> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        await using var lease = await RentAsync(cancellationToken);
        await using var tx = await lease.Connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(lease.Connection, tx, "UPDATE jobs SET selected = 0 WHERE selected = 1 AND job_key <> ''", cancellationToken);
        await using (var command = Command(lease.Connection, tx,
            """
            INSERT INTO jobs (job_key, position, selected, state) VALUES (@k, @p, 1, 'pending')
            ON CONFLICT (job_key) DO UPDATE SET position = excluded.position, selected = 1
            """))
        {
            var key = AddParameter(command, "k", string.Empty);
            var position = AddParameter(command, "p", 0L);
            foreach (var job in jobs)
            {
                key.Value = job.JobKey;
                position.Value = job.Position;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> TryAcquireLeaseAsync(string jobKey, LeaseOwner owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var lease = await RentAsync(cancellationToken);
        await using var tx = await lease.Connection.BeginTransactionAsync(cancellationToken);
        string? holder = null;
        long? expires = null;
        var found = false;
        await using (var command = Command(lease.Connection, tx, "SELECT lease_owner, lease_expires FROM jobs WHERE job_key = @k" + LockRowSkipLocked, ("k", jobKey)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                found = true;
                holder = reader.IsDBNull(0) ? null : reader.GetString(0);
                expires = reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }

        if (!found)
        {
            // Either the job is unknown (take it as new), or another worker has its row locked right now (SKIP LOCKED).
            var exists = await ScalarAsync(lease.Connection, tx, "SELECT COUNT(*) FROM jobs WHERE job_key = @k", cancellationToken, ("k", jobKey));
            if (Convert.ToInt64(exists, CultureInfo.InvariantCulture) != 0)
            {
                return false;
            }

            await ExecuteAsync(lease.Connection, tx,
                "INSERT INTO jobs (job_key, position, selected, state) VALUES (@k, -1, 0, 'pending') ON CONFLICT (job_key) DO NOTHING",
                cancellationToken, ("k", jobKey));
        }

        var free = holder is null
            || holder == owner.ToString()
            || expires is null
            || expires.Value <= now.ToUnixTimeMilliseconds()
            || LeaseOwner.Parse(holder) is { } other && other.IsDeadLocalProcess();
        if (!free)
        {
            return false;
        }

        // The holder condition makes the take-over exact even where the row was not locked (a job row
        // inserted concurrently by another worker).
        await using var take = Command(lease.Connection, tx,
            "UPDATE jobs SET lease_owner = @o, lease_expires = @e, updated_at = @t WHERE job_key = @k"
            + (holder is null ? " AND lease_owner IS NULL" : " AND lease_owner = @h"),
            ("o", owner.ToString()), ("e", (now + ttl).ToUnixTimeMilliseconds()), ("t", DecisionHasher.FormatTime(now)), ("k", jobKey));
        if (holder is not null)
        {
            AddParameter(take, "h", holder);
        }

        if (await take.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task RenewLeaseAsync(string jobKey, LeaseOwner owner, string? runningStage, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var lease = await RentAsync(cancellationToken);
        await using var command = runningStage is null
            ? Command(lease.Connection, null, "UPDATE jobs SET lease_expires = @e WHERE job_key = @k AND lease_owner = @o",
                ("e", (now + ttl).ToUnixTimeMilliseconds()), ("k", jobKey), ("o", owner.ToString()))
            : Command(lease.Connection, null,
                "UPDATE jobs SET lease_expires = @e, state = 'running', stage = @s, message = NULL, updated_at = @t WHERE job_key = @k AND lease_owner = @o",
                ("e", (now + ttl).ToUnixTimeMilliseconds()), ("k", jobKey), ("o", owner.ToString()), ("s", runningStage), ("t", DecisionHasher.FormatTime(now)));
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new LeaseLostException($"The lease of {JobKeys.Display(jobKey)} was taken over by another worker.");
        }
    }

    public async Task RenewLeasesAsync(LeaseOwner owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var lease = await RentAsync(cancellationToken);
        await ExecuteAsync(lease.Connection, null, "UPDATE jobs SET lease_expires = @e WHERE lease_owner = @o", cancellationToken,
            ("e", (now + ttl).ToUnixTimeMilliseconds()), ("o", owner.ToString()));
    }

    public async Task ReleaseLeaseAsync(string jobKey, LeaseOwner owner, JobState state, string? stage, string? message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var lease = await RentAsync(cancellationToken);
        await ExecuteAsync(lease.Connection, null,
            "UPDATE jobs SET lease_owner = NULL, lease_expires = NULL, state = @st, stage = @s, message = @m, updated_at = @t WHERE job_key = @k AND lease_owner = @o",
            cancellationToken, ("st", StateName(state)), ("s", stage), ("m", message), ("t", DecisionHasher.FormatTime(now)), ("k", jobKey), ("o", owner.ToString()));
    }

    public async Task<JobRecord?> GetJobAsync(string jobKey, CancellationToken cancellationToken)
    {
        var jobs = await ReadJobsAsync("WHERE job_key = @k", cancellationToken, ("k", jobKey));
        return jobs.IsEmpty ? null : jobs[0];
    }

    public Task<ImmutableArray<JobRecord>> ReadJobsAsync(CancellationToken cancellationToken) =>
        ReadJobsAsync(string.Empty, cancellationToken);

    public async Task<ImmutableArray<StageRunRecord>> ReadStageRunsAsync(string? jobKey, CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null,
            "SELECT job_key, stage, status, input_hash, attempts, message, artifacts, finished_at FROM stage_runs"
            + (jobKey is null ? " ORDER BY job_key, stage" : " WHERE job_key = @k"), jobKey is null ? [] : [("k", jobKey)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = ImmutableArray.CreateBuilder<StageRunRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new StageRunRecord(
                reader.GetString(0),
                reader.GetString(1),
                ParseStatus(reader.GetString(2)),
                reader.GetString(3),
                Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                JsonSerializer.Deserialize<ImmutableArray<ArtifactRef>>(reader.GetString(6), JsonDefaults.Compact),
                reader.GetString(7)));
        }

        return runs.ToImmutable();
    }

    public async Task<ImmutableArray<DecisionEntry>> CommitStageAsync(StageCommit commit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        await using var lease = await RentAsync(cancellationToken);
        await using var tx = await lease.Connection.BeginTransactionAsync(cancellationToken);
        var time = DecisionHasher.FormatTime(now);
        var run = commit.Run;

        // One round trip: the fence (it locks the job's row and proves the lease is still ours), the
        // stage run and its history row. Three rows change, or the lease was lost and nothing is kept.
        await using (var record = Command(lease.Connection, tx,
            """
            UPDATE jobs SET state = @st, stage = @js, message = @m, updated_at = @t WHERE job_key = @k AND lease_owner = @o;
            INSERT INTO stage_runs (job_key, stage, status, input_hash, attempts, message, artifacts, finished_at)
            VALUES (@k, @s, @rs, @h, @a, @rm, @art, @t)
            ON CONFLICT (job_key, stage) DO UPDATE SET status = excluded.status, input_hash = excluded.input_hash,
              attempts = excluded.attempts, message = excluded.message, artifacts = excluded.artifacts, finished_at = excluded.finished_at;
            INSERT INTO stage_history (job_key, stage, status, input_hash, owner, finished_at) VALUES (@k, @s, @rs, @h, @o, @t);
            """,
            ("st", StateName(commit.JobState)), ("js", commit.JobStage ?? run.Stage), ("m", commit.JobMessage), ("t", time), ("k", commit.JobKey),
            ("o", commit.Owner), ("s", run.Stage), ("rs", StatusName(run.Status)), ("h", run.InputHash), ("a", run.Attempts), ("rm", run.Message),
            ("art", JsonSerializer.Serialize(run.Artifacts.IsDefault ? [] : run.Artifacts, JsonDefaults.Compact))))
        {
            if (await record.ExecuteNonQueryAsync(cancellationToken) != 3)
            {
                throw new LeaseLostException($"The lease of {JobKeys.Display(commit.JobKey)} was taken over by another worker; the result of stage {run.Stage} is discarded.");
            }
        }

        // The stage's own start is finished; a stage that completed also ends the crash history of earlier starts.
        await ExecuteAsync(lease.Connection, tx,
            commit.Run.Status is StageStatus.Completed or StageStatus.Escalated
                ? "DELETE FROM stage_starts WHERE job_key = @k AND stage = @s"
                : "DELETE FROM stage_starts WHERE job_key = @k AND stage = @s AND owner = @o",
            cancellationToken, ("k", commit.JobKey), ("s", run.Stage), ("o", commit.Owner));

        var appended = await AppendDecisionsAsync(lease.Connection, tx, commit.Decisions, time, cancellationToken);

        foreach (var escalation in commit.Escalations)
        {
            await ExecuteAsync(lease.Connection, tx,
                """
                INSERT INTO escalations (id, job_id, stage, role, kind, summary, evidence, input_hash, status, opened_at)
                VALUES (@id, @j, @s, @r, @kind, @sum, @ev, @h, 'open', @t) ON CONFLICT (id) DO NOTHING
                """,
                cancellationToken, ("id", escalation.Id), ("j", escalation.JobId), ("s", escalation.Stage), ("r", escalation.Role),
                ("kind", KindName(escalation.Kind)), ("sum", escalation.Summary),
                ("ev", JsonSerializer.Serialize(escalation.Evidence, JsonDefaults.Compact)), ("h", escalation.InputHash), ("t", time));
        }

        await tx.CommitAsync(cancellationToken);
        return appended;
    }

    public async Task RecordStageStartAsync(string jobKey, string stage, string inputHash, LeaseOwner owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null,
            """
            INSERT INTO stage_starts (job_key, stage, input_hash, owner, started_at)
            SELECT @k, @s, @h, @o, @t WHERE EXISTS (SELECT 1 FROM jobs WHERE job_key = @k AND lease_owner = @o)
            """,
            ("k", jobKey), ("s", stage), ("h", inputHash), ("o", owner.ToString()), ("t", DecisionHasher.FormatTime(now)));
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new LeaseLostException($"The lease of {JobKeys.Display(jobKey)} was taken over by another worker before stage {stage} started.");
        }
    }

    public async Task ClearStageStartAsync(string jobKey, string stage, LeaseOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var lease = await RentAsync(cancellationToken);
        await ExecuteAsync(lease.Connection, null, "DELETE FROM stage_starts WHERE job_key = @k AND stage = @s AND owner = @o", cancellationToken,
            ("k", jobKey), ("s", stage), ("o", owner.ToString()));
    }

    public async Task<ImmutableArray<StageStartRecord>> ReadStageStartsAsync(string? jobKey, CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null,
            "SELECT id, job_key, stage, input_hash, owner, started_at FROM stage_starts" + (jobKey is null ? string.Empty : " WHERE job_key = @k") + " ORDER BY id",
            jobKey is null ? [] : [("k", jobKey)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = ImmutableArray.CreateBuilder<StageStartRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StageStartRecord(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return rows.ToImmutable();
    }

    public async Task<ImmutableArray<StageHistoryRecord>> ReadStageHistoryAsync(CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null, "SELECT id, job_key, stage, status, input_hash, owner, finished_at FROM stage_history ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = ImmutableArray.CreateBuilder<StageHistoryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StageHistoryRecord(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return rows.ToImmutable();
    }

    public async Task<ImmutableArray<DecisionEntry>> ReadDecisionsAsync(long afterSeq, CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null,
            """
            SELECT seq, time, job_id, stage, role, kind, outcome, confidence, rule, rationale, alternatives, evidence,
                   tokens, cost_usd, instructions_hash, prev_hash, hash
            FROM decisions WHERE seq > @s ORDER BY seq
            """, ("s", afterSeq));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = ImmutableArray.CreateBuilder<DecisionEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new DecisionEntry(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetDouble(7),
                reader.GetString(8),
                reader.GetString(9),
                JsonSerializer.Deserialize<ImmutableArray<string>>(reader.GetString(10), JsonDefaults.Compact),
                JsonSerializer.Deserialize<ImmutableArray<Evidence>>(reader.GetString(11), JsonDefaults.Compact),
                Convert.ToInt64(reader.GetValue(12), CultureInfo.InvariantCulture),
                decimal.Parse(reader.GetString(13), NumberStyles.Float, CultureInfo.InvariantCulture),
                reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.GetString(15),
                reader.GetString(16)));
        }

        return entries.ToImmutable();
    }

    public async Task<ChainHead> ReadChainHeadAsync(CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null, "SELECT seq, hash FROM chain_head WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChainHead(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1))
            : new ChainHead(0, DecisionEntry.GenesisHash);
    }

    public async Task<ImmutableArray<EscalationRecord>> ReadEscalationsAsync(CancellationToken cancellationToken)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null,
            "SELECT id, job_id, stage, role, kind, summary, evidence, input_hash, status, opened_at, closed_at, closed_by, reason FROM escalations ORDER BY opened_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = ImmutableArray.CreateBuilder<EscalationRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new EscalationRecord(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                ParseKind(reader.GetString(4)),
                reader.GetString(5),
                JsonSerializer.Deserialize<ImmutableArray<Evidence>>(reader.GetString(6), JsonDefaults.Compact),
                reader.GetString(7),
                reader.GetString(8) switch { "approved" => EscalationStatus.Approved, "rejected" => EscalationStatus.Rejected, _ => EscalationStatus.Open },
                reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return rows.ToImmutable();
    }

    public async Task<EscalationRecord?> ResolveEscalationAsync(string id, bool approve, string by, string reason, DecisionDraft decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var lease = await RentAsync(cancellationToken))
        {
            await using var tx = await lease.Connection.BeginTransactionAsync(cancellationToken);
            var status = await ScalarAsync(lease.Connection, tx, "SELECT status FROM escalations WHERE id = @id" + LockRow, cancellationToken, ("id", id));
            if (status is not "open")
            {
                return null;
            }

            var time = DecisionHasher.FormatTime(now);
            await ExecuteAsync(lease.Connection, tx,
                "UPDATE escalations SET status = @st, closed_at = @t, closed_by = @b, reason = @r WHERE id = @id",
                cancellationToken, ("st", approve ? "approved" : "rejected"), ("t", time), ("b", by), ("r", reason), ("id", id));
            await AppendDecisionsAsync(lease.Connection, tx, [decision], time, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return (await ReadEscalationsAsync(cancellationToken)).FirstOrDefault(e => e.Id == id);
    }

    internal static string StatusName(StageStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    internal static string StateName(JobState state) => JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString());

    internal static string KindName(EscalationKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static StageStatus ParseStatus(string name) => Enum.GetValues<StageStatus>().First(s => StatusName(s) == name);

    private static JobState ParseState(string name) => Enum.GetValues<JobState>().First(s => StateName(s) == name);

    private static EscalationKind ParseKind(string name) => Enum.GetValues<EscalationKind>().First(k => KindName(k) == name);

    private async Task<ImmutableArray<JobRecord>> ReadJobsAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var lease = await RentAsync(cancellationToken);
        await using var command = Command(lease.Connection, null,
            $"SELECT job_key, position, selected, state, stage, message, lease_owner, lease_expires, updated_at FROM jobs {where} ORDER BY position, job_key", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = ImmutableArray.CreateBuilder<JobRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new JobRecord(
                reader.GetString(0),
                Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) == 1,
                ParseState(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return jobs.ToImmutable();
    }

    private async Task<ImmutableArray<DecisionEntry>> AppendDecisionsAsync(DbConnection connection, DbTransaction tx, ImmutableArray<DecisionDraft> drafts, string time, CancellationToken cancellationToken)
    {
        if (drafts.IsDefaultOrEmpty)
        {
            return [];
        }

        long seq;
        string hash;
        await using (var head = Command(connection, tx, "SELECT seq, hash FROM chain_head WHERE id = 1" + LockRow))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            seq = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            hash = reader.GetString(1);
        }

        var appended = ImmutableArray.CreateBuilder<DecisionEntry>(drafts.Length);
        foreach (var draft in drafts)
        {
            var entry = DecisionHasher.Seal(draft, ++seq, time, hash);
            hash = entry.Hash;
            appended.Add(entry);
            await ExecuteAsync(connection, tx,
                """
                INSERT INTO decisions (seq, time, job_id, stage, role, kind, outcome, confidence, rule, rationale, alternatives, evidence,
                                       tokens, cost_usd, instructions_hash, prev_hash, hash)
                VALUES (@seq, @time, @job, @stage, @role, @kind, @outcome, @confidence, @rule, @rationale, @alternatives, @evidence,
                        @tokens, @cost, @instructions, @prev, @hash)
                """,
                cancellationToken, ("seq", entry.Seq), ("time", entry.Time), ("job", entry.JobId), ("stage", entry.Stage), ("role", entry.Role),
                ("kind", entry.Kind), ("outcome", entry.Outcome), ("confidence", entry.Confidence), ("rule", entry.Rule), ("rationale", entry.Rationale),
                ("alternatives", JsonSerializer.Serialize(entry.Alternatives, JsonDefaults.Compact)),
                ("evidence", JsonSerializer.Serialize(entry.Evidence, JsonDefaults.Compact)), ("tokens", entry.Tokens),
                ("cost", entry.CostUsd.ToString(CultureInfo.InvariantCulture)), ("instructions", entry.InstructionsHash), ("prev", entry.PrevHash), ("hash", entry.Hash));
        }

        await ExecuteAsync(connection, tx, "UPDATE chain_head SET seq = @s, hash = @h WHERE id = 1", cancellationToken, ("s", seq), ("h", hash));
        return appended.ToImmutable();
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return command;
    }

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    protected static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A rented connection; disposing returns it.</summary>
    protected sealed class ConnectionLease(DbConnection connection, Func<ValueTask> release) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public ValueTask DisposeAsync() => release();
    }
}
