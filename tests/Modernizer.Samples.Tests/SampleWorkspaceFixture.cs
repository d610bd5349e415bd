using DuckDB.NET.Data;

namespace Modernizer.Samples.Tests;

/// <summary>Generates the default sample workspace twice (for the determinism check) once for the
/// whole test assembly; every test class reads it.</summary>
public sealed class SampleWorkspaceFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "modernizer-sample-tests-" + Guid.NewGuid().ToString("N"));

    public string Workspace => Path.Combine(_root, "a");

    public string SecondWorkspace => Path.Combine(_root, "b");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(
            SampleWorkspaceWriter.WriteAsync(Workspace, new SampleOptions(), null, CancellationToken.None),
            SampleWorkspaceWriter.WriteAsync(SecondWorkspace, new SampleOptions(), null, CancellationToken.None));
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    public static DuckDBConnection OpenDuckDb()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        command.ExecuteNonQuery();
        return connection;
    }

    public static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static List<object?[]> Rows(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
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
}

[CollectionDefinition(Name)]
public sealed class SampleWorkspaceCollection : ICollectionFixture<SampleWorkspaceFixture>
{
    public const string Name = "sample workspace";
}
