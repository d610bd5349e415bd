using Modernizer.Agents.Rewriting;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>Spark SQL functions whose DuckDB namesakes compute other values, on boundary values. The
/// legacy outputs are Spark's, worked out from its documented semantics: <c>pmod</c> is never negative
/// for a positive divisor, <c>bround</c> rounds HALF_EVEN and <c>round</c> HALF_UP on the decimal value,
/// an integer division by zero is NULL with ANSI off, ascending order puts NULLs first, and a window
/// frame keeps its ROWS bounds.</summary>
public sealed class SparkSemanticsRewriteTests
{
    private const string Rows = "id BIGINT, n BIGINT, x DOUBLE";

    private static readonly string[] Input =
    [
        """{"id":1,"n":-7,"x":2.5}""", """{"id":2,"n":7,"x":-2.5}""", """{"id":3,"n":0,"x":3.5}""", """{"id":4,"n":-1,"x":null}""", """{"id":5,"n":null,"x":0.125}""",
    ];

    [Fact]
    public async Task Pmod_bround_round_and_division_by_zero_are_Sparks()
    {
        using var workspace = new LegacyWorkspace("job",
            "INSERT OVERWRITE TABLE curated.result\nSELECT id, pmod(n, 3) AS m, bround(x, 0) AS b, round(x, 0) AS r, n div 0 AS z FROM raw.t;\n");
        await workspace.AddInputAsync("raw.t", Rows, Input);
        await workspace.AddInputAsync("curated.result", "id BIGINT, m BIGINT, b DOUBLE, r DOUBLE, z BIGINT",
            """{"id":1,"m":2,"b":2.0,"r":3.0,"z":null}""", """{"id":2,"m":1,"b":-2.0,"r":-3.0,"z":null}""", """{"id":3,"m":0,"b":4.0,"r":4.0,"z":null}""",
            """{"id":4,"m":2,"b":null,"r":null,"z":null}""", """{"id":5,"m":null,"b":0.0,"r":0.0,"z":null}""");

        await AssertExactAsync(workspace);
    }

    [Fact]
    public async Task Ascending_order_puts_nulls_first_and_a_rows_frame_keeps_its_bounds()
    {
        using var workspace = new LegacyWorkspace("job",
            "INSERT OVERWRITE TABLE curated.result\nSELECT id, row_number() OVER (ORDER BY x, id) AS pos, sum(n) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair, row_number() OVER (ORDER BY x DESC NULLS FIRST, id) AS desc_pos FROM raw.t;\n");
        await workspace.AddInputAsync("raw.t", Rows, Input);
        await workspace.AddInputAsync("curated.result", "id BIGINT, pos INTEGER, pair BIGINT, desc_pos INTEGER",
            """{"id":1,"pos":4,"pair":-7,"desc_pos":3}""", """{"id":2,"pos":2,"pair":0,"desc_pos":5}""", """{"id":3,"pos":5,"pair":7,"desc_pos":2}""",
            """{"id":4,"pos":1,"pair":-1,"desc_pos":1}""", """{"id":5,"pos":3,"pair":-1,"desc_pos":4}""");

        await AssertExactAsync(workspace);
    }

    private static async Task AssertExactAsync(LegacyWorkspace workspace)
    {
        var result = await new JobRewriteRunner().RunAsync(workspace.Paths, new JobId("job"), ModernizeSettings.Default, CancellationToken.None);
        await RewriteHarness.AssertExactAsync(result, workspace);
    }
}
