using Modernizer.Code.Emit;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;

namespace Modernizer.Code.Tests.Sql;

/// <summary>parse → print → parse gives an equal tree and printing is a fixed point (R2.1).</summary>
public sealed class RoundTripTests
{
    public static IEnumerable<object[]> CorpusFiles => SqlCorpus.FileNames;

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_statement_round_trips(string file)
    {
        var result = SparkSqlParser.Parse(SqlCorpus.Read(file), ParseOptions.Collecting);
        Assert.True(result.Succeeded, string.Join("\n\n", result.Errors.Select(e => e.Render())));
        var failures = new List<string>();
        foreach (var statement in result.Statements)
        {
            foreach (var pretty in new[] { false, true })
            {
                var printed = SqlPrinter.Print(statement, pretty: pretty);
                try
                {
                    var reparsed = SparkSqlParser.ParseStatement(printed);
                    if (!reparsed.Equals(statement))
                    {
                        failures.Add($"tree changed:\n{printed}\n{statement}\n{reparsed}");
                    }
                    else if (SqlPrinter.Print(reparsed, pretty: pretty) != printed)
                    {
                        failures.Add($"print not stable:\n{printed}\n{SqlPrinter.Print(reparsed, pretty: pretty)}");
                    }
                }
                catch (SqlSyntaxException error)
                {
                    failures.Add($"printed SQL does not parse:\n{printed}\n{error.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void The_corpus_holds_at_least_300_statements()
    {
        var count = SqlCorpus.Files.Sum(f => SparkSqlParser.Parse(File.ReadAllText(f)).Statements.Length);
        Assert.True(count >= 300, $"corpus has {count} statements");
    }
}
