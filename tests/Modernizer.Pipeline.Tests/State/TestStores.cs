using Modernizer.Domain.Configuration;
using Modernizer.Pipeline.State;
using Npgsql;

namespace Modernizer.Pipeline.Tests.State;

/// <summary>Opens a fresh store of either kind. PostgreSQL gets its own random schema (several agents
/// share the server), dropped at dispose; a missing MODERNIZER_TEST_POSTGRES fails the test.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    public const string PostgresVariable = "MODERNIZER_TEST_POSTGRES";

    private readonly TestWorkspace _workspace;
    private readonly string? _schema;
    private readonly string? _adminConnection;
    private readonly List<IStateStore> _opened = [];

    private TestStore(string kind, TestWorkspace workspace, string? schema, string? adminConnection, StateSettings settings)
    {
        Kind = kind;
        _workspace = workspace;
        _schema = schema;
        _adminConnection = adminConnection;
        Settings = settings;
    }

    public static TheoryData<string> Kinds => new() { "sqlite", "postgres" };

    public string Kind { get; }

    public TestWorkspace Workspace => _workspace;

    public StateSettings Settings { get; }

    public static async Task<TestStore> CreateAsync(string kind)
    {
        var workspace = new TestWorkspace();
        if (kind == "sqlite")
        {
            return new TestStore(kind, workspace, null, null, StateSettings.Default);
        }

        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        Assert.False(string.IsNullOrWhiteSpace(connection),
            $"{PostgresVariable} is not set: run `export {PostgresVariable}=$(bash scripts/postgres.sh)` (scripts/test.sh does it).");
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(connection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var scoped = new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ToString();
        return new TestStore(kind, workspace, schema, connection, StateSettings.Default with { Provider = StateProvider.Postgres, ConnectionString = scoped });
    }

    public async Task<IStateStore> OpenAsync()
    {
        var store = await StateStoreFactory.OpenAsync(_workspace.Paths, Settings, CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_adminConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }

        _workspace.Dispose();
    }
}
