namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>The places where Python, Spark and DuckDB compute different values, each on boundary
/// values: the legacy loop runs under CPython, the rewrite's DuckDB rendering runs on the same rows, and
/// the two outputs must reconcile exactly (R4.1 "exact, not similar").</summary>
public sealed class PythonSemanticsRewriteTests
{
    private const string Ordered = "spark.table(\"raw.t\").orderBy(\"id\").collect()";

    [Fact]
    public async Task Round_to_digits_is_half_even_on_the_binary_value()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "out.append((r[\"id\"], round(r[\"x\"], 2) if r[\"x\"] is not None else None))", "id BIGINT, y DOUBLE"),
            "id BIGINT, x DOUBLE",
            ["""{"id":1,"x":2.675}""", """{"id":2,"x":0.125}""", """{"id":3,"x":0.375}""", """{"id":4,"x":-2.5}""", """{"id":5,"x":1.005}""",
             """{"id":6,"x":2.5}""", """{"id":7,"x":1e16}""", """{"id":8,"x":null}""", """{"id":9,"x":-0.015}""", """{"id":10,"x":123.455}"""],
            "id BIGINT, y DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Round_to_an_integer_is_bankers_rounding()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "out.append((r[\"id\"], round(r[\"x\"])))", "id BIGINT, y BIGINT"),
            "id BIGINT, x DOUBLE",
            ["""{"id":1,"x":0.5}""", """{"id":2,"x":1.5}""", """{"id":3,"x":2.5}""", """{"id":4,"x":-0.5}""", """{"id":5,"x":-1.5}""", """{"id":6,"x":3.7}""", """{"id":7,"x":-3.7}"""],
            "id BIGINT, y BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Floor_division_and_modulo_follow_the_divisor_sign_on_integers()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "n = r[\"n\"]\nout.append((r[\"id\"], n // 3, n % 3, n // -3, n % -3))", "id BIGINT, a BIGINT, b BIGINT, c BIGINT, d BIGINT"),
            "id BIGINT, n BIGINT",
            ["""{"id":1,"n":-7}""", """{"id":2,"n":7}""", """{"id":3,"n":-1}""", """{"id":4,"n":0}""", """{"id":5,"n":6}""", """{"id":6,"n":-9}"""],
            "id BIGINT, a BIGINT, b BIGINT, c BIGINT, d BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Int_of_a_float_truncates_toward_zero_and_true_division_gives_a_float()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "out.append((r[\"id\"], int(r[\"x\"]), r[\"n\"] / 4))", "id BIGINT, a BIGINT, b DOUBLE"),
            "id BIGINT, x DOUBLE, n BIGINT",
            ["""{"id":1,"x":-2.7,"n":-7}""", """{"id":2,"x":2.7,"n":7}""", """{"id":3,"x":-0.5,"n":1}""", """{"id":4,"x":1e10,"n":0}"""],
            "id BIGINT, a BIGINT, b DOUBLE");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Text_of_integers_and_None_is_Pythons()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "out.append((r[\"id\"], str(r[\"n\"]), f\"{r['n']}-{r['s']}\"))", "id BIGINT, a STRING, b STRING"),
            "id BIGINT, x DOUBLE, n BIGINT, s STRING",
            ["""{"id":1,"x":1.0,"n":5,"s":"a"}""", """{"id":2,"x":0.1,"n":null,"s":null}""", """{"id":3,"x":1e16,"n":-3,"s":""}""",
             """{"id":4,"x":1e-05,"n":0,"s":"b"}""", """{"id":5,"x":123456789.123,"n":1,"s":"c"}""", """{"id":6,"x":2.5e-7,"n":2,"s":"d"}"""],
            "id BIGINT, a STRING, b STRING");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Fact]
    public async Task Truthiness_of_zero_empty_text_and_None()
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, "out.append((r[\"id\"], 1 if r[\"s\"] else 0, 1 if r[\"n\"] else 0, 1 if not r[\"n\"] and r[\"s\"] else 0))", "id BIGINT, a BIGINT, b BIGINT, c BIGINT"),
            "id BIGINT, n BIGINT, s STRING",
            ["""{"id":1,"n":0,"s":""}""", """{"id":2,"n":3,"s":"a"}""", """{"id":3,"n":null,"s":null}""", """{"id":4,"n":0,"s":"x"}"""],
            "id BIGINT, a BIGINT, b BIGINT, c BIGINT");
        using (workspace)
        {
            await RewriteHarness.AssertExactAsync(result, workspace);
        }
    }

    [Theory]
    [InlineData("str(r[\"x\"])", "a float's text (Python's shortest repr differs from SQL's)")]
    [InlineData("r[\"x\"] // 2.0", "floor division of floats")]
    [InlineData("max(r[\"x\"], 0.5)", "max() over a value that may be None (Python raises)")]
    public async Task Constructs_without_an_exact_rendering_are_refused_not_approximated(string expression, string why)
    {
        var (result, workspace) = await RewriteHarness.RunAsync(
            RewriteHarness.LoopJob(Ordered, $"out.append((r[\"id\"], {expression}))", "id BIGINT, y STRING"),
            "id BIGINT, x DOUBLE",
            ["""{"id":1,"x":1.5}""", """{"id":2,"x":2.5}"""],
            "id BIGINT, y STRING");
        using (workspace)
        {
            Assert.True(result.Status == Agents.Rewriting.RewriteStatus.Escalated, why);
            Assert.InRange(Assert.Single(result.Refusals).Line, 6, 7);
            Assert.Empty(result.Checks);
        }
    }
}
