using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Tests.Plan;

/// <summary>Spark's result types (non-ANSI): integral '/' is DOUBLE, div is BIGINT, decimal
/// precision/scale follow DecimalPrecision, CASE/COALESCE widen.</summary>
public sealed class TypeInferenceTests
{
    private static SparkType TypeOf(string expression)
    {
        var plan = new SqlToPlan(TestSchemas.Provider).PlanScript($"SELECT {expression} AS x FROM sales.orders").Single().Plan;
        return PlanSchema.Of(plan).Columns[0].Type;
    }

    [Theory]
    [InlineData("qty / 2", "DOUBLE")]
    [InlineData("qty div 2", "BIGINT")]
    [InlineData("qty + 1L", "BIGINT")]
    [InlineData("qty * 1.5D", "DOUBLE")]
    [InlineData("amount + 1", "DECIMAL(19,2)")]
    [InlineData("amount * amount", "DECIMAL(37,4)")]
    [InlineData("amount / 3", "DECIMAL(22,6)")]
    [InlineData("amount / qty", "DECIMAL(29,13)")]
    [InlineData("amount * 1.25", "DECIMAL(22,4)")]
    [InlineData("sum(amount)", "DECIMAL(28,2)")]
    [InlineData("avg(amount)", "DECIMAL(22,6)")]
    [InlineData("avg(qty)", "DOUBLE")]
    [InlineData("sum(qty)", "BIGINT")]
    [InlineData("count(*)", "BIGINT")]
    [InlineData("CASE WHEN qty > 1 THEN qty ELSE 1L END", "BIGINT")]
    [InlineData("CASE WHEN qty > 1 THEN amount ELSE 0.5 END", "DECIMAL(18,2)")]
    [InlineData("coalesce(qty, 'none')", "STRING")]
    [InlineData("qty > 1 AND status IS NULL", "BOOLEAN")]
    [InlineData("CAST(status AS DATE)", "DATE")]
    [InlineData("date_add(order_date, 1)", "DATE")]
    [InlineData("datediff(order_date, order_date)", "INT")]
    [InlineData("items[0]", "STRING")]
    [InlineData("collect_list(status)", "ARRAY<STRING>")]
    [InlineData("upper(status)", "STRING")]
    [InlineData("2147483648", "BIGINT")]
    [InlineData("0.05", "DECIMAL(2,2)")]
    public void Result_types_follow_spark_rules(string expression, string expected) =>
        Assert.Equal(expected, TypeOf(expression).SqlText);

    [Fact]
    public void Decimal_results_beyond_38_digits_keep_integral_digits_and_at_least_six_of_scale() =>
        Assert.Equal((SparkType.Decimal(38, 18), SparkType.Decimal(38, 6)), (DecimalType.Bounded(40, 20), DecimalType.Bounded(60, 20)));

    [Fact]
    public void Nullability_follows_inputs_and_functions()
    {
        var plan = new SqlToPlan(TestSchemas.Provider).PlanScript("SELECT order_id, order_id + 1 AS a, customer_id + 1 AS b, count(customer_id) AS c, coalesce(customer_id, 0) AS d FROM sales.orders GROUP BY order_id, customer_id").Single().Plan;
        var columns = PlanSchema.Of(plan).Columns;
        Assert.Equal([false, false, true, false, false], columns.Select(c => c.Nullable));
    }

    [Fact]
    public void Unknown_schemas_give_unknown_types_rather_than_guesses() =>
        Assert.IsType<UnknownType>(PlanSchema.Of(new SqlToPlan().PlanScript("SELECT a + 1 AS x FROM t").Single().Plan).Columns[0].Type);
}
