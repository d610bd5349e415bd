using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Modernizer.Pipeline.State;

/// <summary>The default store: one SQLite file in WAL mode (<c>.modernize/state.db</c>). Writers
/// take the database lock up front (BEGIN IMMEDIATE), so concurrent processes on one machine
/// serialize their commits; one connection per process, shared by its workers in turn.</summary>
internal sealed class SqliteStateStore : SqlStateStore
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteStateStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    protected override string LockRow => string.Empty;

    protected override string LockRowSkipLocked => string.Empty;

    public static async Task<SqliteStateStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            // WAL with synchronous=NORMAL keeps every committed transaction across a process kill; a
            // larger auto-checkpoint (32 MiB of WAL) makes the checkpoint's fsync rarer.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000; PRAGMA wal_autocheckpoint=8192;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SqliteStateStore(connection);
    }

    protected override IReadOnlyList<string> MigrationSql(Migration migration) => migration.Sqlite;

    protected override Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected override async ValueTask<ConnectionLease> RentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new ConnectionLease(_connection, () =>
        {
            _gate.Release();
            return ValueTask.CompletedTask;
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
