using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql;

public enum WriteKind
{
    Insert,
    InsertOverwrite,
    CreateTable,
    CreateTableAsSelect,
    CreateView,
    Merge,
    Update,
    Delete,
    Drop,
    Truncate,
}

/// <summary>A table named by a statement, where, and (for writes) how.</summary>
public sealed record TableUse(string Table, SourceSpan Span, int Statement, WriteKind? Write = null);

/// <summary>A placeholder (<c>${x}</c>, <c>{x}</c>, <c>:x</c>); <see cref="InString"/> when it sits inside a string literal.</summary>
public sealed record PlaceholderUse(string Name, PlaceholderStyle Style, SourceSpan Span, bool InString);

/// <summary>A <c>SELECT *</c> or <c>t.*</c> in a select list.</summary>
public sealed record StarUse(string? Qualifier, SourceSpan Span, int Statement);

/// <summary>Table-level facts of a SQL script, straight from the syntax (R2.1): tables read,
/// tables written, CTE and temp-view names (never reported as sources), placeholders and SELECT *
/// uses. Statement indexes are 0-based positions in the script.</summary>
public sealed record SqlAnalysis(
    ImmutableArray<TableUse> Reads,
    ImmutableArray<TableUse> Writes,
    ImmutableArray<string> CteNames,
    ImmutableArray<string> TempViews,
    ImmutableArray<PlaceholderUse> Placeholders,
    ImmutableArray<StarUse> SelectStars,
    ImmutableArray<SqlParseError> Errors)
{
    /// <summary>Parses <paramref name="sql"/> collecting errors and analyses what parsed.
    /// <paramref name="knownTempViews"/> are views registered before this script (e.g. by
    /// earlier notebook cells or createOrReplaceTempView) and are not sources either.</summary>
    public static SqlAnalysis Of(string sql, IEnumerable<string>? knownTempViews = null)
    {
        var result = SparkSqlParser.Parse(sql, ParseOptions.Collecting);
        var analysis = Of(result.Statements, knownTempViews);
        return analysis with { Placeholders = TextPlaceholders(sql).Concat(analysis.Placeholders).DistinctBy(p => (p.Name, p.Span.Offset)).OrderBy(p => p.Span.Offset).ToImmutableArray(), Errors = result.Errors };
    }

    public static SqlAnalysis Of(IEnumerable<Statement> statements, IEnumerable<string>? knownTempViews = null)
    {
        var walker = new Walker(knownTempViews ?? []);
        var index = 0;
        foreach (var statement in statements)
        {
            walker.Statement(statement, index++);
        }

        return walker.Result();
    }

    /// <summary>Distinct read table names, in first-seen order.</summary>
    public ImmutableArray<string> ReadTables => [.. Reads.Select(r => r.Table).Distinct(StringComparer.OrdinalIgnoreCase)];

    public ImmutableArray<string> WrittenTables => [.. Writes.Select(r => r.Table).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static readonly Regex DollarPattern = new(@"\$\{([^}\r\n]+)\}", RegexOptions.CultureInvariant);

    private static readonly Regex BracePattern = new(@"(?<![\$\{])\{([A-Za-z_][A-Za-z0-9_.]*)\}(?!\})", RegexOptions.CultureInvariant);

    /// <summary>${x} and {x} anywhere in tokens, including inside strings and glued to names.</summary>
    private static IEnumerable<PlaceholderUse> TextPlaceholders(string sql)
    {
        ImmutableArray<Token> tokens;
        try
        {
            tokens = SparkSqlParser.Tokenize(sql);
        }
        catch (SqlSyntaxException)
        {
            yield break;
        }

        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.DollarPlaceholder:
                    yield return new PlaceholderUse(token.Text, PlaceholderStyle.Dollar, token.Span, false);
                    break;
                case TokenKind.BracePlaceholder:
                    yield return new PlaceholderUse(token.Text, PlaceholderStyle.Brace, token.Span, false);
                    break;
                case TokenKind.Word or TokenKind.String or TokenKind.QuotedIdentifier:
                    var raw = sql.Substring(token.Span.Offset, token.Span.Length);
                    var inString = token.Kind == TokenKind.String;
                    foreach (Match match in DollarPattern.Matches(raw))
                    {
                        yield return new PlaceholderUse(match.Groups[1].Value.Trim(), PlaceholderStyle.Dollar, Inner(token.Span, match.Index, match.Length), inString);
                    }

                    if (inString)
                    {
                        foreach (Match match in BracePattern.Matches(raw))
                        {
                            yield return new PlaceholderUse(match.Groups[1].Value, PlaceholderStyle.Brace, Inner(token.Span, match.Index, match.Length), true);
                        }
                    }

                    break;
            }
        }
    }

    private static SourceSpan Inner(SourceSpan token, int offset, int length) =>
        new(token.Line, token.Column + offset, token.Offset + offset, length);

    /// <summary>Walks statements keeping CTE scopes and the views the script registers.</summary>
    private sealed class Walker(IEnumerable<string> knownTempViews)
    {
        private readonly ImmutableArray<TableUse>.Builder reads = ImmutableArray.CreateBuilder<TableUse>();
        private readonly ImmutableArray<TableUse>.Builder writes = ImmutableArray.CreateBuilder<TableUse>();
        private readonly List<string> cteNames = [];
        private readonly HashSet<string> tempViews = new(knownTempViews, StringComparer.OrdinalIgnoreCase);
        private readonly List<string> createdTempViews = [];
        private readonly ImmutableArray<PlaceholderUse>.Builder placeholders = ImmutableArray.CreateBuilder<PlaceholderUse>();
        private readonly ImmutableArray<StarUse>.Builder stars = ImmutableArray.CreateBuilder<StarUse>();
        private readonly Stack<HashSet<string>> cteScopes = new();
        private int statementIndex;

        public SqlAnalysis Result() => new(
            reads.ToImmutable(),
            writes.ToImmutable(),
            [.. cteNames.Distinct(StringComparer.OrdinalIgnoreCase)],
            [.. createdTempViews.Distinct(StringComparer.OrdinalIgnoreCase)],
            placeholders.ToImmutable(),
            stars.ToImmutable(),
            []);

        public void Statement(Statement statement, int index)
        {
            statementIndex = index;
            switch (statement)
            {
                case QueryStatement query:
                    Query(query.Query);
                    break;
                case InsertStatement insert:
                    Write(insert.Target, statement.Span, insert.Overwrite ? WriteKind.InsertOverwrite : WriteKind.Insert);
                    foreach (var partition in insert.Partition)
                    {
                        Expression(partition.Value);
                    }

                    Query(insert.Source);
                    break;
                case CreateTableStatement create:
                    Write(create.Name, statement.Span, create.AsQuery is null ? WriteKind.CreateTable : WriteKind.CreateTableAsSelect);
                    if (create.AsQuery is not null)
                    {
                        Query(create.AsQuery);
                    }

                    break;
                case CreateViewStatement view:
                    Query(view.Query);
                    if (view.Kind == ViewKind.Persistent)
                    {
                        Write(view.Name, statement.Span, WriteKind.CreateView);
                    }
                    else
                    {
                        tempViews.Add(view.Name.Key);
                        tempViews.Add(view.Name.Name.ToLowerInvariant());
                        createdTempViews.Add(view.Name.ToString());
                    }

                    break;
                case MergeStatement merge:
                    Write(merge.Target, statement.Span, WriteKind.Merge);
                    Relation(merge.Source);
                    Expression(merge.On);
                    foreach (var clause in merge.Clauses)
                    {
                        Expression(clause.Condition);
                        switch (clause.Action)
                        {
                            case MergeUpdate update:
                                foreach (var assignment in update.Assignments)
                                {
                                    Expression(assignment.Value);
                                }

                                break;
                            case MergeInsert insertAction:
                                foreach (var value in insertAction.Values)
                                {
                                    Expression(value);
                                }

                                break;
                        }
                    }

                    break;
                case UpdateStatement update:
                    Write(update.Target, statement.Span, WriteKind.Update);
                    foreach (var assignment in update.Assignments)
                    {
                        Expression(assignment.Value);
                    }

                    Expression(update.Where);
                    break;
                case DeleteStatement delete:
                    Write(delete.Target, statement.Span, WriteKind.Delete);
                    Expression(delete.Where);
                    break;
                case DropStatement drop:
                    if (!(drop.View && tempViews.Contains(drop.Name.Key)))
                    {
                        Write(drop.Name, statement.Span, WriteKind.Drop);
                    }

                    break;
                case PassThrough passThrough:
                    if (passThrough.Keyword == "TRUNCATE" && passThrough.Target is not null)
                    {
                        Write(passThrough.Target, statement.Span, WriteKind.Truncate);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"SqlAnalysis does not know {statement.GetType().Name}.");
            }
        }

        private void Write(TableName name, SourceSpan span, WriteKind kind) =>
            writes.Add(new TableUse(name.ToString(), span, statementIndex, kind));

        private void Query(Query query)
        {
            var scope = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            cteScopes.Push(scope);
            foreach (var cte in query.With)
            {
                // A CTE sees the CTEs before it, not itself (no recursion).
                Query(cte.Query);
                scope.Add(cte.Name);
                cteNames.Add(cte.Name);
            }

            QueryExpression(query.Body);
            foreach (var order in query.OrderBy.Concat(query.SortBy))
            {
                Expression(order.Expr);
            }

            Expression(query.Limit);
            cteScopes.Pop();
        }

        private void QueryExpression(QueryExpr body)
        {
            switch (body)
            {
                case Query nested:
                    Query(nested);
                    break;
                case Select select:
                    foreach (var item in select.Items)
                    {
                        if (item is Star star)
                        {
                            stars.Add(new StarUse(star.Qualifier.IsEmpty ? null : string.Join(".", star.Qualifier.Select(p => p.Text)), star.Span, statementIndex));
                        }

                        Expression(item);
                    }

                    foreach (var relation in select.From)
                    {
                        Relation(relation);
                    }

                    foreach (var lateral in select.LateralViews)
                    {
                        Expression(lateral.Generator);
                    }

                    Expression(select.Where);
                    if (select.GroupBy is { } groupBy)
                    {
                        foreach (var key in groupBy.Expressions.Concat(groupBy.Sets.SelectMany(s => s)))
                        {
                            Expression(key);
                        }
                    }

                    Expression(select.Having);
                    Expression(select.Qualify);
                    break;
                case SetOperation setOperation:
                    QueryExpression(setOperation.Left);
                    QueryExpression(setOperation.Right);
                    break;
                case ValuesQuery values:
                    foreach (var value in values.Rows.SelectMany(r => r))
                    {
                        Expression(value);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"SqlAnalysis does not know {body.GetType().Name}.");
            }
        }

        private void Relation(Relation relation)
        {
            switch (relation)
            {
                case TableRef table:
                    NameParts(table.Name.Parts, table.Span);
                    if (!IsCteOrView(table.Name))
                    {
                        reads.Add(new TableUse(table.Name.ToString(), table.Span, statementIndex));
                    }

                    break;
                case DerivedTable derived:
                    Query(derived.Query);
                    break;
                case TableFunction function:
                    Expression(function.Call);
                    break;
                case InlineTable inline:
                    foreach (var value in inline.Rows.SelectMany(r => r))
                    {
                        Expression(value);
                    }

                    break;
                case JoinRelation join:
                    Relation(join.Left);
                    Relation(join.Right);
                    Expression(join.On);
                    break;
                default:
                    throw new InvalidOperationException($"SqlAnalysis does not know {relation.GetType().Name}.");
            }
        }

        private bool IsCteOrView(TableName name)
        {
            if (name.Parts.Count == 1 && cteScopes.Any(scope => scope.Contains(name.Parts[0].Text)))
            {
                return true;
            }

            return tempViews.Contains(name.Key);
        }

        private void NameParts(IEnumerable<NamePart> parts, SourceSpan span)
        {
            foreach (var part in parts.Where(p => p.Placeholder == PlaceholderStyle.Colon))
            {
                placeholders.Add(new PlaceholderUse(part.Text, part.Placeholder, span, false));
            }
        }

        private void Expression(Expr? expr)
        {
            if (expr is null)
            {
                return;
            }

            foreach (var node in ExprTree.Descendants(expr))
            {
                switch (node)
                {
                    case Placeholder { Style: PlaceholderStyle.Colon } placeholder:
                        placeholders.Add(new PlaceholderUse(placeholder.Name, placeholder.Style, placeholder.Span, false));
                        break;
                    case ScalarSubquery scalar:
                        Query(scalar.Query);
                        break;
                    case Exists exists:
                        Query(exists.Query);
                        break;
                    case InSubquery inSubquery:
                        Query(inSubquery.Query);
                        break;
                }
            }
        }
    }
}
