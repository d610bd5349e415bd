using Modernizer.Code.Emit;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Tests.Plan;
using Modernizer.Lake.Engines;

namespace Modernizer.Code.Tests.Emit;

/// <summary>Emitted DuckDB SQL runs in the embedded engine and gives Spark's answers (local
/// validation): tables, rows and queries all go Spark SQL → plan → DuckDB SQL.</summary>
public sealed class DuckDbValidationTests
{
    private const string Setup = """
        CREATE TABLE sales.orders (order_id BIGINT NOT NULL, customer_id BIGINT, store_id INT, amount DECIMAL(18,2), qty INT, order_date DATE, status STRING, items ARRAY<STRING>) USING delta PARTITIONED BY (order_date);
        CREATE TABLE crm.customers (customer_id BIGINT NOT NULL, name STRING, segment STRING) USING delta;
        INSERT INTO sales.orders VALUES
          (1, 10, 1, 100.50, 2, DATE '2024-01-01', 'PAID', array('a', 'b')),
          (2, 10, 1, 20.00, 1, DATE '2024-01-05', NULL, array('c')),
          (3, 20, 2, 5.25, 3, DATE '2024-01-02', 'PAID', array('d', 'e')),
          (4, 30, 2, 7.75, 7, DATE '2024-01-03', 'VOID', array('f'));
        INSERT INTO crm.customers VALUES (10, 'Ann', 'VIP'), (20, 'Bob', NULL), (30, NULL, 'STD');
        """;

    private static async Task<QueryResult> RunAsync(DuckDbEngine engine, string sparkSql)
    {
        var plan = new SqlToPlan(TestSchemas.Provider).PlanScript(sparkSql).Single().Plan;
        return await engine.QueryAsync(SqlEmitter.DuckDb.Emit(plan), null, CancellationToken.None);
    }

    private static async Task<DuckDbEngine> OpenAsync()
    {
        var engine = await DuckDbEngine.OpenAsync(CancellationToken.None);
        await engine.ExecuteAsync("CREATE SCHEMA sales; CREATE SCHEMA crm;", null, CancellationToken.None);
        var planner = new SqlToPlan(TestSchemas.Provider);
        foreach (var planned in planner.PlanScript(Setup))
        {
            await engine.ExecuteAsync(SqlEmitter.DuckDb.Emit(planned.Plan), null, CancellationToken.None);
        }

        return engine;
    }

    [Fact]
    public async Task Join_aggregate_and_order_give_sparks_answer()
    {
        await using var engine = await OpenAsync();
        var result = await RunAsync(engine, "SELECT c.customer_id, nvl(c.segment, 'NONE') AS segment, sum(o.amount) AS revenue FROM sales.orders o JOIN crm.customers c ON o.customer_id = c.customer_id GROUP BY c.customer_id, c.segment ORDER BY revenue DESC");
        Assert.Equal([10L, 30L, 20L], result.Rows.Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("NONE", result.Rows[2][1]);
        Assert.Equal(120.50m, Convert.ToDecimal(result.Rows[0][2], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Window_qualify_dates_arrays_and_null_skipping_aggregates_match_spark()
    {
        await using var engine = await OpenAsync();
        var latest = await RunAsync(engine, "SELECT customer_id, order_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn FROM sales.orders QUALIFY rn = 1 ORDER BY customer_id");
        Assert.Equal([2L, 3L, 4L], latest.Rows.Select(r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)));

        var scalar = await RunAsync(engine, "SELECT date_add(order_date, 30) AS due, datediff(DATE '2024-02-01', order_date) AS age, items[0] AS first_item, concat(status, '-x') AS tagged FROM sales.orders WHERE order_id = 2");
        Assert.Equal<object?>(new DateOnly(2024, 2, 4), scalar.Rows[0][0]);
        Assert.Equal(27L, Convert.ToInt64(scalar.Rows[0][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("c", scalar.Rows[0][2]);
        Assert.Null(scalar.Rows[0][3]);

        var statuses = await RunAsync(engine, "SELECT size(collect_list(status)) AS n, count(status) AS c FROM sales.orders WHERE customer_id = 10");
        Assert.Equal(1L, Convert.ToInt64(statuses.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
