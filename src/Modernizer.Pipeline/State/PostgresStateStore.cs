using System.Data.Common;
using Npgsql;

namespace Modernizer.Pipeline.State;

/// <summary>The team store: PostgreSQL. Several worker processes share it; a job's lease is taken
/// with <c>FOR UPDATE SKIP LOCKED</c> and expires, and every commit is fenced by the lease.</summary>
internal sealed class PostgresStateStore : SqlStateStore
{
    // Any constant identifies the migration lock; it is scoped to the database.
    private const long MigrationLockKey = 0x4D6F_6465_726E;

    private readonly NpgsqlDataSource _dataSource;

    private PostgresStateStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    protected override string LockRow => " FOR UPDATE";

    protected override string LockRowSkipLocked => " FOR UPDATE SKIP LOCKED";

    public static PostgresStateStore Open(string connectionString) => new(NpgsqlDataSource.Create(connectionString));

    protected override IReadOnlyList<string> MigrationSql(Migration migration) => migration.Postgres;

    protected override async Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", MigrationLockKey));

    protected override async ValueTask<ConnectionLease> RentAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return new ConnectionLease(connection, connection.DisposeAsync);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
