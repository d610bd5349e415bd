using Modernizer.Agents.Rewriting;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>Spark's decimal division in the DuckDB rendering (whose own decimal division gives a double).
/// The expected values are Spark's: <c>BigDecimal.divide</c> with <c>MathContext(38, HALF_UP)</c>, then
/// HALF_UP to the result scale (DECIMAL(18,2) / DECIMAL(18,2) is DECIMAL(38,20)). The first three
/// rows are quotients where that double rounding gives one more unit in the last place than rounding
/// the exact quotient once.</summary>
public sealed class DecimalArithmeticRewriteTests
{
    [Fact]
    public async Task Decimal_division_rounds_twice_as_Spark_does()
    {
        using var workspace = new LegacyWorkspace("job", "INSERT OVERWRITE TABLE curated.result\nSELECT id, a / b AS q FROM raw.t;\n");
        await workspace.AddInputAsync("raw.t", "id BIGINT, a DECIMAL(18,2), b DECIMAL(18,2)",
            """{"id":1,"a":"4862851030968523.54","b":"0.41"}""", """{"id":2,"a":"5605820174364379.66","b":"4.04"}""",
            """{"id":3,"a":"8841712176294782.37","b":"0.83"}""", """{"id":4,"a":"-10.00","b":"3.00"}""", """{"id":5,"a":"1.00","b":"0.00"}""",
            """{"id":6,"a":null,"b":"2.00"}""", """{"id":7,"a":"2.50","b":"-0.40"}""", """{"id":8,"a":"0.01","b":"3.00"}""", """{"id":9,"a":"-0.02","b":"3.00"}""");
        await workspace.AddInputAsync("curated.result", "id BIGINT, q DECIMAL(38,20)",
            """{"id":1,"q":"11860612270654935.46341463414634146342"}""", """{"id":2,"q":"1387579251080291.99504950495049504951"}""",
            """{"id":3,"q":"10652665272644316.10843373493975903615"}""", """{"id":4,"q":"-3.33333333333333333333"}""", """{"id":5,"q":null}""",
            """{"id":6,"q":null}""", """{"id":7,"q":"-6.25000000000000000000"}""", """{"id":8,"q":"0.00333333333333333333"}""", """{"id":9,"q":"-0.00666666666666666667"}""");

        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), ModernizeSettings.Default, CancellationToken.None);

        await RewriteHarness.AssertExactAsync(result, workspace);
    }

    [Fact]
    public async Task A_product_wider_than_38_digits_is_rounded_to_Sparks_narrower_scale()
    {
        // DECIMAL(20,10) * DECIMAL(20,10) is DECIMAL(38,17) in Spark: the 20 decimals of the exact product
        // are rounded HALF_UP to 17; DuckDB would keep 20.
        using var workspace = new LegacyWorkspace("job", "INSERT OVERWRITE TABLE curated.result\nSELECT id, a * b AS p FROM raw.t;\n");
        await workspace.AddInputAsync("raw.t", "id BIGINT, a DECIMAL(20,10), b DECIMAL(20,10)",
            """{"id":1,"a":"1234567890.1234567891","b":"9.8765432109"}""", """{"id":2,"a":"-0.0000000005","b":"0.5000000001"}""",
            """{"id":3,"a":"3.0000000000","b":"-1.2500000000"}""", """{"id":4,"a":null,"b":"1.0000000000"}""");
        await workspace.AddInputAsync("curated.result", "id BIGINT, p DECIMAL(38,17)",
            """{"id":1,"p":"12193263113.59396431322511812"}""", """{"id":2,"p":"-0.00000000025000000"}""",
            """{"id":3,"p":"-3.75000000000000000"}""", """{"id":4,"p":null}""");

        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), ModernizeSettings.Default, CancellationToken.None);

        await RewriteHarness.AssertExactAsync(result, workspace);
    }
}
