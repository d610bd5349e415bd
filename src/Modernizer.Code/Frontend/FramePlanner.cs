using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Frontend;

/// <summary>Builds the shared logical plan (Plan/) from what the PySpark frontend tracked: one
/// <see cref="Write"/> per write, one <see cref="Loop"/> per loop over collected rows. Expressions
/// go through the Spark SQL parser; SQL text through <see cref="SqlToPlan"/>. What cannot be
/// expressed becomes an <see cref="Opaque"/> node with its line and the reason.</summary>
internal sealed class FramePlanner
{
    private readonly Dictionary<int, PlanNode> _built = [];
    private readonly string _file;

    public FramePlanner(string file) => _file = file;

    public static ImmutableArray<PlanNode> Build(IReadOnlyList<Fact> facts)
    {
        var plans = ImmutableArray.CreateBuilder<PlanNode>();
        foreach (var fact in facts)
        {
            var builder = new FramePlanner(fact.File);
            switch (fact)
            {
                case WriteFact { Frame: not null } write:
                    plans.Add(new Write(builder.Node(write.Frame), Name(write.Table), Mode(write))
                    {
                        Format = write.Format,
                        PartitionColumns = [.. write.PartitionBy],
                        CreatesTable = write.Method is "saveAsTable" or "sql_create_table_as",
                        Span = Span(write.Line),
                    });
                    break;
                case LoopFact { Kind: LoopKind.Rows, Source: not null } loop:
                    plans.Add(new Loop(builder.Node(loop.Source), "row", Span(loop.Line)) { File = loop.File, Span = Span(loop.Line) });
                    break;
            }
        }

        return [.. plans.DistinctBy(p => (p.GetType(), p.Span.Line, (p as Write)?.Target.Key))];
    }

    private PlanNode Node(DataFrameValue frame)
    {
        if (_built.TryGetValue(frame.Id, out var cached))
        {
            return cached;
        }

        PlanNode node;
        try
        {
            node = Convert(frame);
        }
        catch (Exception error) when (error is SqlSyntaxException or InvalidOperationException or ArgumentException)
        {
            node = Opaque(frame, "not expressible as a plan: " + error.Message);
        }

        _built[frame.Id] = node;
        return node;
    }

    private PlanNode Convert(DataFrameValue frame)
    {
        var step = frame.Step;
        var input = frame.Inputs.IsEmpty ? null : Node(frame.Inputs[0]);
        return step?.Kind switch
        {
            "scan" => new Scan(Name(step.Table!), Schema.Unknown) { Span = Span(frame.Line) },
            "filter" when input is not null => new Filter(input, Expression(step.Condition!)) { Span = Span(frame.Line) },
            "project" when input is not null => new Project(input, [.. step.Expressions.Select(Expression)]) { Span = Span(frame.Line) },
            "with_columns" when input is not null => new Project(input, [Star.All, .. step.Expressions.Select(Expression)]) { Span = Span(frame.Line) },
            "aggregate" when input is not null => new Aggregate(input, [.. step.Keys.Select(Expression)], [.. step.Expressions.Select(Expression)]) { Span = Span(frame.Line) },
            "join" when input is not null && frame.Inputs.Length > 1 => new Join(input, Node(frame.Inputs[1]), JoinType(step.JoinType), step.Condition is null ? null : Expression(step.Condition))
            {
                Using = [.. step.Keys],
                Span = Span(frame.Line),
            },
            "union" when input is not null && frame.Inputs.Length > 1 => new Union(input, Node(frame.Inputs[1]), All: true) { Span = Span(frame.Line) },
            "distinct" when input is not null => new Distinct(input) { Columns = [.. step.Keys], Span = Span(frame.Line) },
            "sort" when input is not null => new Sort(input, [.. step.Expressions.Select(SortItem)]) { Span = Span(frame.Line) },
            "limit" when input is not null => new Limit(input, Expression(step.Condition ?? "0")) { Span = Span(frame.Line) },
            "drop" or "rename" when input is not null => new Opaque([input], Span(frame.Line), frame.Operator),
            "sql" => Sql(frame, step.Condition!),
            "driver" => Opaque(frame, "rows built in Python from collected data (createDataFrame)"),
            _ => Opaque(frame, frame.Operator),
        };
    }

    private PlanNode Sql(DataFrameValue frame, string sql)
    {
        var planner = new SqlToPlan();
        var planned = planner.PlanScript(sql);
        var query = planned.LastOrDefault(p => p.Syntax is QueryStatement) ?? planned.LastOrDefault();
        return query?.Plan ?? Opaque(frame, "SQL without a query");
    }

    private Opaque Opaque(DataFrameValue frame, string reason) =>
        new([.. frame.Inputs.Select(Node)], Span(frame.Line), reason) { Text = _file + ":" + frame.Line };

    private static Expr Expression(string sql)
    {
        var text = sql.Replace(":param", "${param}", StringComparison.Ordinal);
        var alias = text.LastIndexOf(" AS ", StringComparison.Ordinal);
        if (alias > 0 && text[(alias + 4)..].All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            return new Alias(SparkSqlParser.ParseExpression(text[..alias]), text[(alias + 4)..]);
        }

        return SparkSqlParser.ParseExpression(text);
    }

    private static Sql.Syntax.SortItem SortItem(string sql)
    {
        var descending = sql.EndsWith(" DESC", StringComparison.Ordinal);
        var body = descending ? sql[..^5] : sql.EndsWith(" ASC", StringComparison.Ordinal) ? sql[..^4] : sql;
        return new Sql.Syntax.SortItem(Expression(body), descending ? SortDirection.Descending : SortDirection.Ascending);
    }

    private static TableName Name(string table) => TableName.Of(table.Split('.'));

    private static SourceSpan Span(int line) => new(line, 1, 0, 0);

    private static Plan.JoinType JoinType(string? type) => type switch
    {
        "left" => Plan.JoinType.LeftOuter,
        "right" => Plan.JoinType.RightOuter,
        "full" => Plan.JoinType.FullOuter,
        "cross" => Plan.JoinType.Cross,
        "left_semi" => Plan.JoinType.LeftSemi,
        "left_anti" => Plan.JoinType.LeftAnti,
        _ => Plan.JoinType.Inner,
    };

    private static WriteMode Mode(WriteFact write) => write.Mode switch
    {
        "overwrite" => WriteMode.Overwrite,
        "append" or "insert_into" => WriteMode.Append,
        "merge" => WriteMode.Merge,
        "update" => WriteMode.Update,
        "delete" => WriteMode.Delete,
        "ignore" => WriteMode.Ignore,
        _ => WriteMode.ErrorIfExists,
    };
}
