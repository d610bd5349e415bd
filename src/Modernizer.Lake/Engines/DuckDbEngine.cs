using System.Collections.Immutable;
using System.Globalization;
using DuckDB.NET.Data;

namespace Modernizer.Lake.Engines;

/// <summary>Embedded DuckDB, sandboxed (issue item 2): file access limited to the readable roots,
/// external access and extension auto-install/auto-load off, memory and threads bounded, temp
/// directory known, configuration locked, queries cancellable through their token.
/// One connection per engine; callers serialize their use of it.</summary>
public sealed class DuckDbEngine : IQueryEngine
{
    private readonly DuckDBConnection _connection;
    private readonly string? _ownedTempDirectory;

    private DuckDbEngine(DuckDBConnection connection, string version, DuckDbSandboxOptions sandbox, string? ownedTempDirectory)
    {
        _connection = connection;
        Version = version;
        Sandbox = sandbox;
        _ownedTempDirectory = ownedTempDirectory;
    }

    public string Name => "duckdb";

    public string Version { get; }

    public SqlDialect Dialect => SqlDialect.DuckDb;

    /// <summary>The sandbox this engine was opened with (the roots as normalized full paths, the
    /// temp directory as the engine's own subfolder).</summary>
    public DuckDbSandboxOptions Sandbox { get; }

    /// <summary>A closed sandbox: no file can be read or written, only in-memory data.
    /// Use <see cref="OpenAsync(DuckDbSandboxOptions, CancellationToken)"/> to read tables.</summary>
    public static Task<DuckDbEngine> OpenAsync(CancellationToken cancellationToken) =>
        OpenAsync(DuckDbSandboxOptions.Closed, cancellationToken);

    public static async Task<DuckDbEngine> OpenAsync(DuckDbSandboxOptions sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentOutOfRangeException.ThrowIfLessThan(sandbox.Threads, 1);
        var roots = sandbox.ReadableRoots.Select(NormalizeRoot).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var owned = Path.Combine(Path.GetFullPath(sandbox.TempDirectory ?? Path.GetTempPath()), "duckdb-" + Guid.NewGuid().ToString("N"));
        var temp = owned;
        temp = Path.GetFullPath(temp);
        Directory.CreateDirectory(temp);
        var normalized = sandbox with { ReadableRoots = roots, TempDirectory = temp };

        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Order matters: directories and temp first, then external access off, then the lock.
            var allowed = roots.Add(NormalizeRoot(temp));
            string[] settings =
            [
                $"SET allowed_directories = [{string.Join(", ", allowed.Select(Literal))}]",
                $"SET temp_directory = {Literal(temp)}",
                $"SET memory_limit = {Literal(sandbox.MemoryLimit)}",
                $"SET threads = {sandbox.Threads.ToString(CultureInfo.InvariantCulture)}",
                // Spark semantics for timestamp partition values and casts do not depend on the host's zone.
                "SET TimeZone = 'UTC'",
                "SET autoinstall_known_extensions = false",
                "SET autoload_known_extensions = false",
                "SET allow_community_extensions = false",
                "SET enable_external_access = false",
                "SET lock_configuration = true",
            ];
            foreach (var setting in settings)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = setting;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var versionCommand = connection.CreateCommand();
            versionCommand.CommandText = "SELECT version()";
            var version = (string)(await versionCommand.ExecuteScalarAsync(cancellationToken))!;
            return new DuckDbEngine(connection, version, normalized, owned);
        }
        catch
        {
            await connection.DisposeAsync();
            DeleteQuietly(owned);
            throw;
        }
    }

    public async Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var command = Prepare(sql, parameters);
        await using var registration = cancellationToken.Register(static c => ((DuckDBCommand)c!).Cancel(), command);
        try
        {
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
        catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The query was cancelled.", cancellationToken);
        }
    }

    public async Task<long> ExecuteAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var command = Prepare(sql, parameters);
        await using var registration = cancellationToken.Register(static c => ((DuckDBCommand)c!).Cancel(), command);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The query was cancelled.", cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        DeleteQuietly(_ownedTempDirectory);
    }

    /// <summary>A SQL string literal for values the engine itself controls (paths, settings);
    /// user values are bound as parameters instead.</summary>
    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string NormalizeRoot(string root)
    {
        var full = Path.GetFullPath(root);
        return full.EndsWith(Path.DirectorySeparatorChar) ? full : full + Path.DirectorySeparatorChar;
    }

    private static void DeleteQuietly(string? directory)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A spill file still held by the OS; the folder is the engine's own and holds nothing else.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private DuckDBCommand Prepare(string sql, IReadOnlyList<QueryParameter>? parameters)
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
