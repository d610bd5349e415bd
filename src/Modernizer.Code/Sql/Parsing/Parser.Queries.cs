using System.Collections.Immutable;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>Queries: WITH, set operations, SELECT blocks, FROM items and joins.</summary>
internal sealed partial class Parser
{
    /// <summary>Words that end an expression or a relation rather than alias it.</summary>
    private static readonly FrozenWords ClauseWords = new(
        "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "MINUS",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "SEMI", "ANTI", "ON", "USING", "LATERAL",
        "WINDOW", "QUALIFY", "SORT", "CLUSTER", "DISTRIBUTE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "NOT",
        "AS", "SET", "SELECT", "WITH", "INTO", "OVERWRITE", "PARTITION", "INSERT", "IS", "IN", "BETWEEN", "LIKE",
        "ILIKE", "RLIKE", "REGEXP", "TABLESAMPLE", "PIVOT", "UNPIVOT", "VALUES", "MATCHED", "TIMESTAMP", "VERSION",
        "FOR", "BY", "OUTER", "UPDATE", "DELETE", "MERGE", "CREATE");

    private bool IsQueryStart(int ahead)
    {
        var token = PeekToken(ahead);
        if (token.IsWord("SELECT") || token.IsWord("WITH") || token.IsWord("VALUES"))
        {
            return true;
        }

        return token.IsSymbol("(") && IsQueryStart(ahead + 1);
    }

    private Query ParseQuery()
    {
        using var scope = Enter();
        var start = Current;
        var with = EquatableArray<CommonTableExpression>.Empty;
        if (Match("WITH"))
        {
            Match("RECURSIVE");
            with = CommaList(ParseCte);
        }

        var body = ParseSetExpression(0);
        var orderBy = MatchSequence("ORDER", "BY") ? CommaList(ParseSortItem) : EquatableArray<SortItem>.Empty;
        var clusterBy = MatchSequence("CLUSTER", "BY") ? CommaList(() => ParseExpr()) : EquatableArray<Expr>.Empty;
        var distributeBy = MatchSequence("DISTRIBUTE", "BY") ? CommaList(() => ParseExpr()) : EquatableArray<Expr>.Empty;
        var sortBy = MatchSequence("SORT", "BY") ? CommaList(ParseSortItem) : EquatableArray<SortItem>.Empty;
        Expr? limit = null;
        Expr? offset = null;
        if (Match("LIMIT"))
        {
            limit = Match("ALL") ? null : ParseExpr();
        }

        if (Match("OFFSET"))
        {
            offset = ParseExpr();
        }

        return Node(new Query(with, body, orderBy, limit, offset) { ClusterBy = clusterBy, DistributeBy = distributeBy, SortBy = sortBy }, start);
    }

    private CommonTableExpression ParseCte()
    {
        var name = ExpectName("a CTE name");
        var columns = IsSymbol("(") ? ParenList(() => ExpectName("a column name")) : EquatableArray<string>.Empty;
        Match("AS");
        ExpectSymbol("(");
        var query = ParseQuery();
        ExpectSymbol(")");
        return new CommonTableExpression(name, columns, query);
    }

    /// <summary>Set operations: INTERSECT binds tighter than UNION and EXCEPT (level 1 vs 0).</summary>
    private QueryExpr ParseSetExpression(int minLevel)
    {
        var start = Current;
        var left = ParseQueryPrimary();
        while (true)
        {
            SetOperator op;
            int level;
            if (IsWord("UNION"))
            {
                (op, level) = (SetOperator.Union, 0);
            }
            else if (IsWord("EXCEPT") || IsWord("MINUS"))
            {
                (op, level) = (SetOperator.Except, 0);
            }
            else if (IsWord("INTERSECT"))
            {
                (op, level) = (SetOperator.Intersect, 1);
            }
            else
            {
                return left;
            }

            if (level < minLevel)
            {
                return left;
            }

            var minus = Advance().IsWord("MINUS");
            var all = Match("ALL");
            var explicitDistinct = !all && Match("DISTINCT");
            var byName = MatchSequence("BY", "NAME");
            var right = ParseSetExpression(level + 1);
            left = Node(new SetOperation(op, all, left, right) { ExplicitDistinct = explicitDistinct, ByName = byName, Minus = minus }, start);
        }
    }

    private QueryExpr ParseQueryPrimary()
    {
        var start = Current;
        if (IsWord("SELECT"))
        {
            return ParseSelect();
        }

        if (IsWord("VALUES"))
        {
            Advance();
            return Node(new ValuesQuery(ParseValuesRows()), start);
        }

        if (IsSymbol("(") && IsQueryStart(1))
        {
            Advance();
            var query = ParseQuery();
            ExpectSymbol(")");
            return query;
        }

        throw Expected("SELECT, VALUES or '('");
    }

    /// <summary>Rows after VALUES: <c>(1, 'a'), (2, 'b')</c> or single values <c>1, 2</c>.</summary>
    private EquatableArray<EquatableArray<Expr>> ParseValuesRows() =>
        CommaList(() => IsSymbol("(") ? ParenList(() => ParseExpr()) : [ParseExpr()]);

    private Select ParseSelect()
    {
        var start = Expect("SELECT");
        var hints = ParseHints();
        var distinct = false;
        if (Match("DISTINCT"))
        {
            distinct = true;
        }
        else
        {
            Match("ALL");
        }

        var items = CommaList(ParseSelectItem);
        var select = new Select(items) { Hints = hints, Distinct = distinct };
        if (Match("FROM"))
        {
            select = select with { From = CommaList(ParseRelation) };
        }

        var lateralViews = ImmutableArray.CreateBuilder<LateralView>();
        while (IsWord("LATERAL") && IsWordAt(1, "VIEW"))
        {
            lateralViews.Add(ParseLateralView());
        }

        select = select with { LateralViews = lateralViews.ToImmutable() };
        if (Match("WHERE"))
        {
            select = select with { Where = ParseExpr() };
        }

        if (MatchSequence("GROUP", "BY"))
        {
            select = select with { GroupBy = ParseGroupBy() };
        }

        if (Match("HAVING"))
        {
            select = select with { Having = ParseExpr() };
        }

        for (var pass = 0; pass < 2; pass++)
        {
            if (Match("WINDOW"))
            {
                select = select with
                {
                    Windows = CommaList(() =>
                    {
                        var name = ExpectName("a window name");
                        Expect("AS");
                        return new NamedWindow(name, ParseWindowSpec());
                    }),
                };
            }

            if (Match("QUALIFY"))
            {
                select = select with { Qualify = ParseExpr() };
            }
        }

        return Node(select, start);
    }

    private EquatableArray<Hint> ParseHints()
    {
        if (Current.Kind != TokenKind.HintStart)
        {
            return EquatableArray<Hint>.Empty;
        }

        Advance();
        var hints = ImmutableArray.CreateBuilder<Hint>();
        while (Current.Kind != TokenKind.HintEnd)
        {
            var name = ExpectName("a hint name");
            var args = IsSymbol("(") ? ParenList(() => ParseExpr()) : EquatableArray<Expr>.Empty;
            hints.Add(new Hint(name, args));
            MatchSymbol(",");
            if (AtEnd)
            {
                throw Expected("'*/'");
            }
        }

        Advance();
        return hints.ToImmutable();
    }

    private Expr ParseSelectItem()
    {
        var start = Current;
        var expr = ParseExpr();
        if (Match("AS"))
        {
            if (IsSymbol("("))
            {
                return Node(new MultiAlias(expr, ParenList(() => ExpectName("a column alias"))), start);
            }

            return Node(new Alias(expr, ExpectName("an alias")), start);
        }

        if (Current.IsName && !ClauseWords.Contains(Current.Text))
        {
            return Node(new Alias(expr, Advance().Text), start);
        }

        if (Current.Kind == TokenKind.QuotedIdentifier)
        {
            return Node(new Alias(expr, Advance().Text), start);
        }

        return expr;
    }

    private LateralView ParseLateralView()
    {
        var start = Expect("LATERAL");
        Expect("VIEW");
        var outer = Match("OUTER");
        var callStart = Current;
        var name = ExpectName("a generator function");
        var call = Node(new FunctionCall(name, ParenList(() => ParseExpr())), callStart);
        var tableAlias = ExpectName("a table alias");
        var columns = EquatableArray<string>.Empty;
        if (Match("AS"))
        {
            columns = CommaList(() => ExpectName("a column alias"));
        }
        else if (Current.IsName && !ClauseWords.Contains(Current.Text))
        {
            columns = CommaList(() => ExpectName("a column alias"));
        }

        return Node(new LateralView(call, outer, tableAlias, columns), start);
    }

    private GroupBy ParseGroupBy()
    {
        if (Match("ALL"))
        {
            return new GroupBy(GroupingKind.Plain, [], []) { All = true };
        }

        if ((IsWord("ROLLUP") || IsWord("CUBE")) && PeekToken().IsSymbol("("))
        {
            var kind = Advance().IsWord("ROLLUP") ? GroupingKind.Rollup : GroupingKind.Cube;
            return new GroupBy(kind, ParenList(() => ParseExpr()), []);
        }

        if (MatchSequence("GROUPING", "SETS"))
        {
            return new GroupBy(GroupingKind.GroupingSets, [], ParenList(ParseGroupingSet));
        }

        var keys = CommaList(() => ParseExpr());
        if (MatchSequence("WITH", "ROLLUP"))
        {
            return new GroupBy(GroupingKind.Rollup, keys, []) { WithSuffix = true };
        }

        if (MatchSequence("WITH", "CUBE"))
        {
            return new GroupBy(GroupingKind.Cube, keys, []) { WithSuffix = true };
        }

        if (MatchSequence("GROUPING", "SETS"))
        {
            return new GroupBy(GroupingKind.GroupingSets, keys, ParenList(ParseGroupingSet));
        }

        return new GroupBy(GroupingKind.Plain, keys, []);
    }

    private EquatableArray<Expr> ParseGroupingSet()
    {
        if (IsSymbol("("))
        {
            return ParenList(() => ParseExpr());
        }

        return [ParseExpr()];
    }

    private SortItem ParseSortItem()
    {
        var expr = ParseExpr();
        var direction = Match("ASC") ? SortDirection.Ascending : Match("DESC") ? SortDirection.Descending : SortDirection.Unspecified;
        var nulls = NullOrdering.Unspecified;
        if (Match("NULLS"))
        {
            nulls = Match("FIRST") ? NullOrdering.First : Match("LAST") ? NullOrdering.Last : throw Expected("FIRST or LAST");
        }

        return new SortItem(expr, direction, nulls);
    }

    private Relation ParseRelation()
    {
        using var scope = Enter();
        var start = Current;
        var left = ParseRelationPrimary();
        while (true)
        {
            var natural = Match("NATURAL");
            JoinKind? kind = null;
            if (Match("JOIN"))
            {
                kind = JoinKind.Inner;
            }
            else if (IsWord("INNER") && IsWordAt(1, "JOIN"))
            {
                index += 2;
                kind = JoinKind.Inner;
            }
            else if (MatchSequence("CROSS", "JOIN"))
            {
                kind = JoinKind.Cross;
            }
            else if (IsWord("LEFT") || IsWord("RIGHT") || IsWord("FULL"))
            {
                var side = Advance().Text.ToUpperInvariant();
                if (side == "LEFT" && Match("SEMI"))
                {
                    kind = JoinKind.LeftSemi;
                }
                else if (side == "LEFT" && Match("ANTI"))
                {
                    kind = JoinKind.LeftAnti;
                }
                else
                {
                    Match("OUTER");
                    kind = side switch { "LEFT" => JoinKind.LeftOuter, "RIGHT" => JoinKind.RightOuter, _ => JoinKind.FullOuter };
                }

                Expect("JOIN");
            }
            else if (IsWord("SEMI") && IsWordAt(1, "JOIN"))
            {
                index += 2;
                kind = JoinKind.LeftSemi;
            }
            else if (IsWord("ANTI") && IsWordAt(1, "JOIN"))
            {
                index += 2;
                kind = JoinKind.LeftAnti;
            }
            else if (natural)
            {
                throw Expected("JOIN");
            }

            if (kind is null)
            {
                return left;
            }

            var right = ParseRelationPrimary();
            var join = new JoinRelation(kind.Value, left, right) { Natural = natural };
            if (Match("ON"))
            {
                join = join with { On = ParseExpr() };
            }
            else if (Match("USING"))
            {
                join = join with { Using = ParenList(() => ExpectName("a column name")) };
            }

            left = Node(join, start);
        }
    }

    private Relation ParseRelationPrimary()
    {
        using var scope = Enter();
        var start = Current;
        Relation relation;
        if (IsWord("LATERAL") && PeekToken().IsSymbol("("))
        {
            Advance();
            ExpectSymbol("(");
            var lateral = ParseQuery();
            ExpectSymbol(")");
            relation = new DerivedTable(lateral) { Lateral = true };
        }
        else if (IsSymbol("(") && IsQueryStart(1))
        {
            Advance();
            var query = ParseQuery();
            ExpectSymbol(")");
            relation = new DerivedTable(query);
        }
        else if (IsWord("VALUES"))
        {
            Advance();
            relation = new InlineTable(ParseValuesRows());
        }
        else if (IsWord("STREAM") && PeekToken().IsName)
        {
            // Delta Live Tables: FROM STREAM live.source, FROM STREAM read_files(...) (the
            // parenthesized STREAM(live.source) is a table function).
            Advance();
            return ParseRelationPrimary();
        }
        else if (Current.IsName && PeekToken().IsSymbol("(") && !IsWord("IDENTIFIER"))
        {
            var name = Advance().Text;
            relation = new TableFunction(Node(new FunctionCall(name, ParenList(() => ParseExpr())), start));
        }
        else
        {
            var name = ParseTableName();
            TimeTravel? timeTravel = null;
            if (MatchSequence("VERSION", "AS", "OF"))
            {
                timeTravel = new TimeTravel(true, ParseExpr());
            }
            else if (IsWord("TIMESTAMP") && IsWordAt(1, "AS") && IsWordAt(2, "OF"))
            {
                index += 3;
                timeTravel = new TimeTravel(false, ParseExpr());
            }

            relation = new TableRef(name) { TimeTravel = timeTravel };
        }

        var alias = ParseOptionalAlias();
        if (alias is not null)
        {
            relation = relation with { Alias = alias };
            if (IsSymbol("(") && PeekToken().IsName)
            {
                relation = relation with { ColumnAliases = ParenList(() => ExpectName("a column alias")) };
            }
        }

        return Node(relation, start);
    }

    /// <summary>[AS] alias, where a bare word counts only when it is not a clause keyword.</summary>
    private string? ParseOptionalAlias()
    {
        if (Match("AS"))
        {
            return ExpectName("an alias");
        }

        if (Current.Kind == TokenKind.QuotedIdentifier || (Current.Kind == TokenKind.Word && !ClauseWords.Contains(Current.Text)))
        {
            return Advance().Text;
        }

        return null;
    }

    /// <summary>A dotted table name; parts may be placeholders; IDENTIFIER('a.b') is read as a.b.</summary>
    private TableName ParseTableName()
    {
        if (IsWord("IDENTIFIER") && PeekToken().IsSymbol("("))
        {
            Advance();
            ExpectSymbol("(");
            TableName name;
            if (Current.Kind == TokenKind.String)
            {
                var text = Advance().Text;
                name = new TableName(text.Split('.').Select(p => new NamePart(p.Trim('`'))).ToEquatableArray());
            }
            else
            {
                name = new TableName([ParseNamePart()]);
            }

            ExpectSymbol(")");
            return name;
        }

        var parts = ImmutableArray.CreateBuilder<NamePart>();
        parts.Add(ParseNamePart());
        while (IsSymbol(".") && (PeekToken().IsName || IsPlaceholderToken(PeekToken())))
        {
            Advance();
            parts.Add(ParseNamePart());
        }

        return new TableName(parts.ToImmutable());
    }

    private static bool IsPlaceholderToken(Token token) =>
        token.Kind is TokenKind.DollarPlaceholder or TokenKind.BracePlaceholder;

    private NamePart ParseNamePart()
    {
        switch (Current.Kind)
        {
            case TokenKind.DollarPlaceholder:
                return new NamePart(Advance().Text, PlaceholderStyle.Dollar);
            case TokenKind.BracePlaceholder:
                return new NamePart(Advance().Text, PlaceholderStyle.Brace);
            case TokenKind.Symbol when IsSymbol(":") && PeekToken().Kind == TokenKind.Word:
                Advance();
                return new NamePart(Advance().Text, PlaceholderStyle.Colon);
            default:
                return new NamePart(ExpectName("a name"));
        }
    }

    private WindowSpec ParseWindowSpec()
    {
        if (!IsSymbol("("))
        {
            return WindowSpec.Named(ExpectName("a window name"));
        }

        Advance();
        string? baseName = null;
        if (Current.IsName && !IsWord("PARTITION") && !IsWord("ORDER") && !IsWord("ROWS") && !IsWord("RANGE")
            && !IsWord("DISTRIBUTE") && !IsWord("SORT") && !IsWord("CLUSTER"))
        {
            baseName = Advance().Text;
        }

        var partitionBy = EquatableArray<Expr>.Empty;
        if (MatchSequence("PARTITION", "BY") || MatchSequence("DISTRIBUTE", "BY") || MatchSequence("CLUSTER", "BY"))
        {
            partitionBy = CommaList(() => ParseExpr());
        }

        var orderBy = EquatableArray<SortItem>.Empty;
        if (MatchSequence("ORDER", "BY") || MatchSequence("SORT", "BY"))
        {
            orderBy = CommaList(ParseSortItem);
        }

        WindowFrame? frame = null;
        if (IsWord("ROWS") || IsWord("RANGE"))
        {
            var unit = Advance().IsWord("ROWS") ? FrameUnit.Rows : FrameUnit.Range;
            if (Match("BETWEEN"))
            {
                var low = ParseFrameBound();
                Expect("AND");
                frame = new WindowFrame(unit, low, ParseFrameBound());
            }
            else
            {
                frame = new WindowFrame(unit, ParseFrameBound(), null);
            }
        }

        ExpectSymbol(")");
        return new WindowSpec(baseName, partitionBy, orderBy, frame);
    }

    private FrameBound ParseFrameBound()
    {
        if (MatchSequence("UNBOUNDED", "PRECEDING"))
        {
            return FrameBound.UnboundedPreceding;
        }

        if (MatchSequence("UNBOUNDED", "FOLLOWING"))
        {
            return FrameBound.UnboundedFollowing;
        }

        if (MatchSequence("CURRENT", "ROW"))
        {
            return FrameBound.CurrentRow;
        }

        var offset = ParseExpr(PrecedenceAdditive);
        if (Match("PRECEDING"))
        {
            return new FrameBound(FrameBoundKind.Preceding, offset);
        }

        Expect("FOLLOWING");
        return new FrameBound(FrameBoundKind.Following, offset);
    }
}
