using System.Data.Common;
using DuckDB.NET.Data;

namespace Modernizer.Samples.Generation;

/// <summary>The generator's own DuckDB: in memory, one thread per statement (so every COPY writes the same
/// bytes on every run), UTC session time zone. It writes into the sample folder, which the product's
/// sandboxed query engine must never do, hence a separate database. Independent steps run at the same time
/// on duplicated connections (<see cref="StepGraph"/>): with <c>threads = 1</c> DuckDB has no worker
/// threads, so each statement runs on the thread of the connection that issued it.</summary>
internal sealed class SampleDb : IAsyncDisposable
{
    private readonly string? _spill;

    private SampleDb(DuckDBConnection connection, string? spill)
    {
        Connection = connection;
        _spill = spill;
    }

    public DuckDBConnection Connection { get; }

    public static async Task<SampleDb> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);

        // large portfolios (--jobs 10000) spill to a private temp folder instead of holding GBs in memory
        var spill = Path.Combine(Path.GetTempPath(), "modernizer-sample-spill-" + Guid.NewGuid().ToString("N"));
        var db = new SampleDb(connection, spill);
        await db.ExecuteAsync(
            $"SET threads = 1; SET TimeZone = 'UTC'; SET preserve_insertion_order = true; " +
            $"SET temp_directory = '{spill.Replace('\\', '/').Replace("'", "''", StringComparison.Ordinal)}'; SET memory_limit = '2GB';",
            cancellationToken);
        return db;
    }

    /// <summary>Another connection to the same database (its tables and macros), with the same session settings.</summary>
    public async Task<SampleDb> DuplicateAsync(CancellationToken cancellationToken)
    {
        var connection = Connection.Duplicate();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var duplicate = new SampleDb(connection, spill: null);
        await duplicate.ExecuteAsync("SET TimeZone = 'UTC'", cancellationToken);
        return duplicate;
    }

    /// <summary>Runs a named step; a failure names the step and the first line of DuckDB's message.</summary>
    public async Task ExecuteStepAsync(string script, SqlStep step, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(step.Sql, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new InvalidOperationException($"sql/{script}.sql step '{step.Name}': {e.Message.Split('\n')[0]}", e);
        }
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (_spill is not null && Directory.Exists(_spill))
        {
            Directory.Delete(_spill, recursive: true);
        }
    }
}
