using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Tests.Sql;

namespace Modernizer.Code.Tests.Plan;

/// <summary>Golden files of indented plan text (Plan/Golden/*.sql → *.plan). Set
/// MODERNIZER_UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.</summary>
public sealed class GoldenPlanTests
{
    private static string GoldenDirectory => Path.Combine(SqlCorpus.Directory, "..", "..", "Plan", "Golden");

    public static IEnumerable<object[]> Cases =>
        Directory.EnumerateFiles(GoldenDirectory, "*.sql").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_text_matches_the_golden_file(string file)
    {
        var sql = File.ReadAllText(Path.Combine(GoldenDirectory, file));
        var planner = new SqlToPlan(TestSchemas.Provider);
        var text = string.Join("---\n", planner.PlanScript(sql).Select(p => PlanFormatter.Format(p.Plan)));
        var goldenPath = Path.Combine(GoldenDirectory, Path.ChangeExtension(file, ".plan"));
        if (Environment.GetEnvironmentVariable("MODERNIZER_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(goldenPath, text);
        }

        Assert.Equal(File.ReadAllText(goldenPath), text);
    }

    public static IEnumerable<object[]> CorpusFiles => SqlCorpus.FileNames;

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_statement_plans_and_formats(string file)
    {
        var planner = new SqlToPlan(TestSchemas.Provider);
        foreach (var statement in SparkSqlParser.Parse(SqlCorpus.Read(file)).Statements)
        {
            var plan = planner.Plan(statement);
            Assert.False(string.IsNullOrWhiteSpace(PlanFormatter.Format(plan)));
        }
    }
}
