namespace Modernizer.Code.Tests.Frontend;

/// <summary>Suspected defects (P1): recorded with reasoning, found at their lines.</summary>
public sealed class DefectFixtureTests
{
    private const string Job = """
        from datetime import datetime, timedelta
        from pyspark.sql import functions as F

        def to_usd(amount, rate):
            return round(float(amount) * rate, 2)  # round_half_even

        def tier(ltv):
            if not ltv:  # truthiness
                return "none"
            return "gold"

        def main():
            products = spark.table("raw.products").select("product_id", "category")
            lines = spark.table("raw.order_lines")
            joined = lines.join(products, "product_id")  # inner_join_drops_rows
            fx = spark.table("raw.fx_rates").select("rate_date", "currency", "rate")
            priced = joined.join(fx, (joined.order_date == fx.rate_date) & (joined.currency == fx.currency), "left")  # fan_out_non_unique_lookup
            total = priced.agg(F.sum("qty")).collect()[0][0]
            for r in priced.collect():
                share = r.qty * 100 // total  # integer_division
                usd = to_usd(r.amount, r.rate)
                label = tier(r.amount)
                day = datetime.fromtimestamp(r.ts.timestamp()).date()  # driver_local_timezone
            diffs = priced.filter(F.col("diff") != 0.0)  # float_equality
            end = datetime(2026, 10, 31).date()
            start = end - timedelta(days=7)  # off_by_one_date_range
            recent = diffs.filter(F.col("order_date").between(F.lit(start), F.lit(end)))
            try:
                recent.write.mode("append").saveAsTable("curated.priced")
            except Exception:  # swallowed_exception
                pass

        main()
        """;

    [Fact]
    public async Task Every_marked_defect_is_found_with_reasoning()
    {
        using var job = new TempJob().With("main.py", Job);

        var analysis = await job.AnalyzeAsync();

        foreach (var (kind, line) in Marked(Job))
        {
            var defect = analysis.SuspectedDefects.FirstOrDefault(d => d.Kind == kind && d.Line == line);
            Assert.True(defect is not null, $"{kind} expected at {line}; found {string.Join(", ", analysis.Defects())}");
            Assert.False(string.IsNullOrWhiteSpace(defect!.Reasoning));
        }

        Assert.Equal(Marked(Job).Count, analysis.SuspectedDefects.Length);
    }

    [Fact]
    public async Task Defects_are_logged_as_autonomous_decisions_with_code_evidence()
    {
        using var job = new TempJob().With("main.py", Job);

        var analysis = await job.AnalyzeAsync();

        var decisions = analysis.Decisions.Where(d => d.Kind == "suspected_defect").ToArray();
        Assert.Equal(analysis.SuspectedDefects.Length, decisions.Length);
        Assert.All(decisions, d => Assert.StartsWith("main.py:", d.Evidence[0].Reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Floor_division_next_to_its_modulo_is_deliberate_and_not_a_defect()
    {
        const string code = """
            from pyspark.sql import functions as F
            from pyspark.sql.types import IntegerType

            def packs(need, size):
                n = need // size
                if need % size:
                    n += 1
                return n

            packs_udf = F.udf(packs, IntegerType())
            spark.table("raw.a").withColumn("p", packs_udf("need", "size")).write.saveAsTable("curated.p")
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        Assert.DoesNotContain(analysis.SuspectedDefects, d => d.Kind == "integer_division");
    }

    [Fact]
    public async Task An_ignored_failure_flag_from_a_retry_wrapper_is_a_swallowed_exception_and_the_retry_loop_is_not_itr02()
    {
        const string code = """
            import time

            def write_with_retry(df, table, attempts=3):
                for attempt in range(1, attempts + 1):
                    try:
                        df.write.mode("overwrite").saveAsTable(table)
                        return True
                    except Exception as exc:
                        time.sleep(attempt)
                return False

            write_with_retry(spark.table("raw.a"), "curated.a")
            """;
        using var job = new TempJob().With("main.py", code);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal([("swallowed_exception", 12)], analysis.Defects().AsEnumerable());
        Assert.DoesNotContain(analysis.AntiPatterns, a => a.RuleId == "ITR02");
        Assert.Equal(["curated.a"], analysis.Targets.AsEnumerable());
    }

    private static List<(string Kind, int Line)> Marked(string source) =>
        [.. source.Split('\n').Select((l, i) => (l, i)).Where(x => x.l.Contains("  # ", StringComparison.Ordinal))
            .Select(x => (x.l[(x.l.LastIndexOf("  # ", StringComparison.Ordinal) + 4)..].Trim(), x.i + 1))];
}
