using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Tests.Sql;

/// <summary>The hand-written ETL statements under Sql/Corpus, found from the test binaries by
/// walking up to the source tree.</summary>
internal static class SqlCorpus
{
    public static string Directory { get; } = Locate();

    public static IEnumerable<string> Files => System.IO.Directory.EnumerateFiles(Directory, "*.sql").Order(StringComparer.Ordinal);

    public static IEnumerable<object[]> FileNames => Files.Select(f => new object[] { Path.GetFileName(f) });

    public static string Read(string fileName) => File.ReadAllText(Path.Combine(Directory, fileName));

    public static IReadOnlyList<Statement> Statements(string fileName) => SparkSqlParser.Parse(Read(fileName)).Statements;

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Modernizer.Code.Tests", "Sql", "Corpus");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Modernizer.Code.Tests/Sql/Corpus not found above " + AppContext.BaseDirectory);
    }
}
