using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Tests.Sql;

public sealed class ParserSmokeTests
{
    [Fact]
    public void Parses_a_select_with_join_and_group_by()
    {
        var query = SparkSqlParser.ParseQuery(
            "SELECT c.id, sum(o.amount) AS total FROM orders o LEFT JOIN customers c ON o.cid = c.id WHERE o.amount > 10 GROUP BY c.id");
        var select = Assert.IsType<Select>(query.Body);
        Assert.Equal(2, select.Items.Count);
        var join = Assert.IsType<JoinRelation>(select.From[0]);
        Assert.Equal(JoinKind.LeftOuter, join.Kind);
        Assert.NotNull(select.GroupBy);
    }
}
