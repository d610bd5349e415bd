namespace Modernizer.Lake.Engines;

/// <summary>Runs SQL built by the product (or proposed by a model and checked) inside a sandbox.
/// Implementations: embedded DuckDB (default) and a Databricks SQL warehouse.</summary>
public interface IQueryEngine : IAsyncDisposable
{
    string Name { get; }

    string Version { get; }

    SqlDialect Dialect { get; }

    Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken);

    Task<long> ExecuteAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken);
}
