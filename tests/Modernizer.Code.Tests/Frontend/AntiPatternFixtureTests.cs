using Modernizer.Code.Analysis;

namespace Modernizer.Code.Tests.Frontend;

/// <summary>Realistic PySpark fixtures for every anti-pattern rule (R2.1, P2); the marker comment
/// on a line names the rule expected there.</summary>
public sealed class AntiPatternFixtureTests
{
    private const string IterativeJob = """
        from pyspark.sql import SparkSession, Window
        from pyspark.sql import functions as F
        from pyspark.sql.types import DoubleType

        spark = SparkSession.builder.getOrCreate()
        CLEAN = ["name", "city"]

        def bonus(amount):
            return amount * 2

        bonus_udf = F.udf(bonus, DoubleType())  # UDF01

        def main():
            regions = {}
            for row in spark.table("raw.stores").collect():  # ITR01
                regions[row.store_id] = row.region
            sales = spark.table("raw.sales")
            for c in CLEAN:  # ITR04
                sales = sales.withColumn(c, F.trim(F.col(c)))
            if sales.count() == 0:  # ACT01
                return
            pdf = sales.toPandas()  # DRV01
            for _, r in pdf.iterrows():  # ITR01
                print(r["name"])
            for table in ["raw.a", "raw.b"]:
                spark.sql(f"INSERT INTO curated.audit SELECT '{table}', count(*) FROM {table}")  # ITR02 DYN01
            ranked = sales.withColumn("rk", F.rank().over(Window.orderBy("amount")))  # WIN01
            bands = spark.table("ref.bands")
            crossed = ranked.crossJoin(bands)  # JN01
            scored = crossed.withColumn("bonus", bonus_udf(F.col("amount")))
            scored.repartition(1).write.mode("overwrite").saveAsTable("curated.scored")  # WR01
            result = None
            for m in [1, 2, 3]:
                part = scored.filter(F.col("tier") == m)
                result = part if result is None else result.union(part)  # ITR05
            result.write.mode("append").saveAsTable("curated.tiers")
            rows = scored.rdd.map(lambda r: (r.name, r.amount)).collect()  # RDD01 UDF01 DRV01

        if __name__ == "__main__":
            main()
        """;

    [Fact]
    public async Task Every_marked_anti_pattern_is_found_at_its_line_and_nothing_else()
    {
        using var job = new TempJob().With("main.py", IterativeJob);

        var analysis = await job.AnalyzeAsync();

        var expected = Expected(IterativeJob);
        var found = analysis.AntiPatterns.Select(a => (a.RuleId, a.Line)).ToHashSet();
        foreach (var (rule, line) in expected)
        {
            Assert.True(analysis.AntiPatterns.Any(a => a.RuleId == rule && a.Line <= line && line <= a.EndLine), $"{rule} expected at line {line}; found {string.Join(", ", found)}");
        }

        var unexpected = analysis.AntiPatterns.Where(a => !expected.Any(e => e.Rule == a.RuleId && a.Line <= e.Line && e.Line <= a.EndLine)).ToArray();
        Assert.True(unexpected.Length == 0, "unexpected: " + string.Join(", ", unexpected.Select(u => $"{u.RuleId}@{u.Line}")));
    }

    [Fact]
    public async Task Every_finding_names_a_set_based_replacement()
    {
        using var job = new TempJob().With("main.py", IterativeJob);

        var analysis = await job.AnalyzeAsync();

        Assert.All(analysis.AntiPatterns, a => Assert.False(string.IsNullOrWhiteSpace(a.Replacement)));
    }

    [Fact]
    public async Task Row_at_a_time_scd2_is_one_itr03_and_the_sql_in_the_loop_one_itr02()
    {
        const string scd = """
            from pyspark.sql import functions as F
            TARGET = "curated.dim_customer"

            def apply_change(row):
                n = spark.sql(f"SELECT count(*) AS n FROM {TARGET} WHERE id = {row.id}").collect()[0].n  # ITR02 DYN01
                if n > 0:
                    return
                spark.sql(f"UPDATE {TARGET} SET is_current = false, valid_to = '{row.d}' WHERE id = {row.id}")
                spark.sql(f"INSERT INTO {TARGET} VALUES ({row.id}, '{row.d}', NULL, true)")

            for row in spark.table("raw.customers").collect():  # ITR03
                apply_change(row)
            """;
        using var job = new TempJob().With("main.py", scd);

        var analysis = await job.AnalyzeAsync();

        Assert.Equal(Expected(scd).Order(), analysis.Rules().Order());
        Assert.Contains(analysis.Transformations, t => t.Kind == "scd_type_2");
        Assert.Equal(["raw.customers", "curated.dim_customer"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.dim_customer"], analysis.Targets.AsEnumerable());
    }

    [Fact]
    public async Task Notebook_sql_cells_report_select_star_at_the_file_line()
    {
        const string notebook = """
            # Databricks notebook source
            dbutils.widgets.text("day", "2026-01-01")

            # COMMAND ----------

            # MAGIC %sql
            # MAGIC CREATE OR REPLACE TEMP VIEW v AS
            # MAGIC SELECT *
            # MAGIC FROM raw.events WHERE d = '${day}'

            # COMMAND ----------

            spark.table("v").write.mode("overwrite").saveAsTable("curated.events")
            """;
        using var job = new TempJob().With("nb.py", notebook);

        var analysis = await job.AnalyzeAsync();

        Assert.Contains(("SQL01", 8), analysis.Rules());
        Assert.Equal(["raw.events"], analysis.Sources.AsEnumerable());
        Assert.Equal(["curated.events"], analysis.Targets.AsEnumerable());
    }

    private static List<(string Rule, int Line)> Expected(string source)
    {
        var expected = new List<(string, int)>();
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var hash = lines[i].LastIndexOf("  # ", StringComparison.Ordinal);
            if (hash < 0)
            {
                continue;
            }

            foreach (var rule in lines[i][(hash + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(r => r.Length is 4 or 5 && char.IsAsciiLetterUpper(r[0]) && char.IsAsciiDigit(r[^1])))
            {
                expected.Add((rule, i + 1));
            }
        }

        return expected;
    }
}
