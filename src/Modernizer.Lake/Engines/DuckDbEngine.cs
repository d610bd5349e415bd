using System.Collections.Immutable;
using System.Data.Common;
using DuckDB.NET.Data;

namespace Modernizer.Lake.Engines;

/// <summary>Embedded DuckDB. One connection per engine; callers serialize their use of it.</summary>
public sealed class DuckDbEngine : IQueryEngine
{
    private readonly DuckDBConnection _connection;

    private DuckDbEngine(DuckDBConnection connection, string version)
    {
        _connection = connection;
        Version = version;
    }

    public string Name => "duckdb";

    public string Version { get; }

    public SqlDialect Dialect => SqlDialect.DuckDb;

    public static async Task<DuckDbEngine> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version()";
        var version = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new DuckDbEngine(connection, version);
    }

    public async Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Prepare(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = ImmutableArray.CreateBuilder<ResultColumn>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            columns.Add(new ResultColumn(reader.GetName(i), reader.GetDataTypeName(i)));
        }

        var rows = ImmutableArray.CreateBuilder<ImmutableArray<object?>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add([.. row]);
        }

        return new QueryResult(columns.MoveToImmutable(), rows.ToImmutable());
    }

    public async Task<long> ExecuteAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Prepare(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private DbCommand Prepare(string sql, IReadOnlyList<QueryParameter>? parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters ?? [])
        {
            command.Parameters.Add(new DuckDBParameter(parameter.Name, parameter.Value ?? DBNull.Value));
        }

        return command;
    }
}
