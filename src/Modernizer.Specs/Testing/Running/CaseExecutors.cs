using Modernizer.Domain.Configuration;
using Modernizer.Lake.Engines.Databricks;

namespace Modernizer.Specs.Testing.Running;

/// <summary>The executor the configuration asks for: DuckDB locally (the default), or the Databricks SQL warehouse
/// of <c>engine:</c> in modernize.yaml, in the scratch catalog named by <see cref="CatalogVariable"/> (the tests
/// create and replace tables there, so it is never a guessed or default catalog). The token comes from the
/// environment only (<c>DATABRICKS_TOKEN</c>).</summary>
public sealed class CaseExecutors : IAsyncDisposable
{
    public const string CatalogVariable = "MODERNIZE_TEST_CATALOG";

    private readonly DatabricksSqlEngine? _warehouse;

    private CaseExecutors(ICaseExecutor executor, DatabricksSqlEngine? warehouse)
    {
        Executor = executor;
        _warehouse = warehouse;
    }

    public ICaseExecutor Executor { get; }

    public static CaseExecutors Create(EngineSettings engine, Func<string, string?> environment, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(environment);
        if (engine.Kind != EngineKind.Databricks)
        {
            return new CaseExecutors(new DuckDbCaseExecutor(), null);
        }

        var catalog = environment(CatalogVariable);
        if (string.IsNullOrWhiteSpace(engine.Host) || string.IsNullOrWhiteSpace(engine.WarehouseId) || string.IsNullOrWhiteSpace(catalog))
        {
            throw new InvalidOperationException($"Running tests on Databricks needs engine.host, engine.warehouse_id and a scratch catalog in {CatalogVariable}: the tests create and replace tables there.");
        }

        var options = new DatabricksOptions
        {
            Host = new Uri(engine.Host, UriKind.Absolute),
            WarehouseId = engine.WarehouseId,
            Catalog = catalog,
        };
        var warehouse = DatabricksSqlEngine.Create(options, handler);
        return new CaseExecutors(new DatabricksCaseExecutor(warehouse, catalog), warehouse);
    }

    public ValueTask DisposeAsync() => _warehouse?.DisposeAsync() ?? ValueTask.CompletedTask;
}
