using Modernizer.Specs.Testing.Running;

namespace Modernizer.Specs.Tests;

public sealed class RewriteFilesTests
{
    [Fact]
    public void Statements_split_at_semicolons_at_line_ends_and_drop_comment_only_chunks()
    {
        var statements = RewriteFiles.Statements("""
            -- header; with a semicolon in a comment;
            SET VARIABLE start = COALESCE(getvariable('start'), DATE '2026-10-01');
            CREATE SCHEMA IF NOT EXISTS curated;
            SELECT 'a;b' AS x,
                   1 AS y
            FROM t;
            -- trailing comment
            """);
        Assert.Equal(3, statements.Length);
        Assert.StartsWith("-- header", statements[0], StringComparison.Ordinal);
        Assert.EndsWith("DATE '2026-10-01')", statements[0], StringComparison.Ordinal);
        Assert.Equal("CREATE SCHEMA IF NOT EXISTS curated", statements[1]);
        Assert.Contains("'a;b'", statements[2], StringComparison.Ordinal);
        Assert.EndsWith("FROM t", statements[2], StringComparison.Ordinal);
    }
}
