using System.Collections.Immutable;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Specs.Data;

/// <summary>A sandboxed DuckDB session in which each lake table a job names is a view under the name
/// the legacy code uses (<c>raw.orders</c>), so evidence queries and fixture samples are written the
/// way the job reads its data. Only the tables' folders and the given work folders are readable.</summary>
public sealed class LakeSession : IAsyncDisposable
{
    private LakeSession(DuckDbEngine engine, ImmutableSortedDictionary<string, TableSnapshot> tables)
    {
        Engine = engine;
        Tables = tables;
    }

    public DuckDbEngine Engine { get; }

    /// <summary>Table name → the snapshot read (its version is the one every query saw).</summary>
    public ImmutableSortedDictionary<string, TableSnapshot> Tables { get; }

    public static async Task<LakeSession> OpenAsync(IReadOnlyDictionary<string, string> tableFolders, IEnumerable<string> workRoots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tableFolders);
        var snapshots = ImmutableSortedDictionary.CreateBuilder<string, TableSnapshot>(StringComparer.Ordinal);
        foreach (var (name, folder) in tableFolders.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            snapshots[name] = await LakeTable.OpenAsync(folder, null, cancellationToken);
        }

        var sandbox = DuckDbSandboxOptions.ForTables([.. snapshots.Values]);
        sandbox = sandbox with { ReadableRoots = [.. sandbox.ReadableRoots, .. workRoots.Select(Path.GetFullPath)] };
        var engine = await DuckDbEngine.OpenAsync(sandbox, cancellationToken);
        try
        {
            foreach (var (name, snapshot) in snapshots)
            {
                await CreateViewAsync(engine, name, DuckDbRelation.Render(snapshot), cancellationToken);
            }
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }

        return new LakeSession(engine, snapshots.ToImmutable());
    }

    /// <summary>Makes <paramref name="name"/> a view over <paramref name="relation"/> (its schema created first).</summary>
    public static async Task CreateViewAsync(IQueryEngine engine, string name, string relation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (SqlText.SchemaOf(name) is { } schema)
        {
            await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Table(schema)}", null, cancellationToken);
        }

        await engine.ExecuteAsync($"CREATE OR REPLACE VIEW {SqlText.Table(name)} AS SELECT * FROM {relation}", null, cancellationToken);
    }

    public bool Has(string table) => Tables.ContainsKey(table);

    public long? VersionOf(string table) => Tables.TryGetValue(table, out var snapshot) ? snapshot.Version : null;

    /// <summary>Where evidence points: <c>raw.orders@v2</c>.</summary>
    public string Reference(string table) =>
        VersionOf(table) is { } version ? $"{table}@v{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : table;

    public async Task<QueryRecord> QueryAsync(string sql, CancellationToken cancellationToken) =>
        QueryRecord.Of(sql, "duckdb " + Engine.Version, await Engine.QueryAsync(sql, null, cancellationToken));

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
