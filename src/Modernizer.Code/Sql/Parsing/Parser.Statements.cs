using System.Collections.Immutable;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>Statements, picked by their first word.</summary>
internal sealed partial class Parser
{
    /// <summary>Statements kept verbatim; the first word decides.</summary>
    private static readonly FrozenWords PassThroughWords = new(
        "OPTIMIZE", "VACUUM", "ANALYZE", "REFRESH", "CACHE", "UNCACHE", "SET", "RESET", "USE", "MSCK",
        "DESCRIBE", "DESC", "SHOW", "ALTER", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "CLEAR", "ADD", "LIST",
        "RESTORE", "CONVERT", "FSCK", "COPY", "EXPLAIN", "REPAIR", "LOAD", "DECLARE", "EXECUTE", "APPLY");

    public ParseResult ParseScript()
    {
        var statements = ImmutableArray.CreateBuilder<Statement>();
        var errors = ImmutableArray.CreateBuilder<SqlParseError>();
        while (true)
        {
            while (MatchSymbol(";"))
            {
            }

            if (AtEnd)
            {
                break;
            }

            var start = index;
            try
            {
                var statement = ParseStatement();
                if (!AtEnd && !IsSymbol(";"))
                {
                    throw Expected("';' or end of input");
                }

                statements.Add(statement);
            }
            catch (SqlSyntaxException error) when (options.ErrorMode == ErrorMode.Collect)
            {
                errors.AddRange(error.Errors);
                depth = 0;
                index = start;
                SkipStatement();
            }
        }

        return new ParseResult(statements.ToImmutable(), errors.ToImmutable());
    }

    public Expr ParseStandaloneExpression()
    {
        var expr = ParseExpr();
        if (!AtEnd)
        {
            throw Expected("end of expression");
        }

        return expr;
    }

    /// <summary>Skips to the ';' that ends the current statement (outside parentheses).</summary>
    private void SkipStatement()
    {
        var nesting = 0;
        while (!AtEnd)
        {
            if (IsSymbol("("))
            {
                nesting++;
            }
            else if (IsSymbol(")"))
            {
                nesting = Math.Max(0, nesting - 1);
            }
            else if (IsSymbol(";") && nesting == 0)
            {
                return;
            }

            Advance();
        }
    }

    private Statement ParseStatement()
    {
        var start = Current;
        if (IsWord("WITH") && ParseWithInsert() is { } withInsert)
        {
            return withInsert;
        }

        if (IsWord("SELECT") || IsWord("WITH") || IsWord("VALUES") || IsSymbol("("))
        {
            return Node(new QueryStatement(ParseQuery()), start);
        }

        if (IsWord("INSERT"))
        {
            return ParseInsert();
        }

        if (IsWord("CREATE") || (IsWord("REPLACE") && IsWordAt(1, "TABLE")))
        {
            return ParseCreate();
        }

        if (IsWord("MERGE"))
        {
            return ParseMerge();
        }

        if (IsWord("UPDATE"))
        {
            return ParseUpdate();
        }

        if (IsWord("DELETE"))
        {
            return ParseDelete();
        }

        if (IsWord("DROP") && (IsWordAt(1, "TABLE") || IsWordAt(1, "VIEW")))
        {
            return ParseDrop();
        }

        if (Current.Kind == TokenKind.Word && (PassThroughWords.Contains(Current.Text) || IsWord("DROP")))
        {
            return ParsePassThrough();
        }

        throw Expected("a statement");
    }

    /// <summary><c>WITH a AS (...) INSERT INTO t SELECT ...</c>: the CTEs belong to the inserted query.
    /// Returns null (and consumes nothing) when the WITH starts a plain query.</summary>
    private InsertStatement? ParseWithInsert()
    {
        var save = index;
        var start = Advance();
        Match("RECURSIVE");
        var ctes = CommaList(ParseCte);
        if (!IsWord("INSERT"))
        {
            index = save;
            return null;
        }

        var insert = ParseInsert();
        var source = insert.Source with { With = ctes.Items.AddRange(insert.Source.With.Items) };
        return Node(insert with { Source = source }, start);
    }

    private PassThrough ParsePassThrough()
    {
        var start = Current;
        var keyword = Advance().Text.ToUpperInvariant();
        TableName? target = null;
        if (keyword is not ("SET" or "RESET" or "USE" or "SHOW" or "ADD" or "LIST" or "CLEAR" or "EXPLAIN" or "DECLARE" or "EXECUTE"))
        {
            while (IsWord("TABLE") || IsWord("LAZY") || IsWord("IF") || IsWord("EXISTS") || IsWord("EXTENDED") || IsWord("FORMATTED")
                || (keyword == "APPLY" && (IsWord("CHANGES") || IsWord("INTO"))))
            {
                Advance();
            }

            if (Current.IsName || IsPlaceholderToken(Current))
            {
                target = ParseTableName();
            }
        }

        var nesting = 0;
        while (!AtEnd && !(IsSymbol(";") && nesting == 0))
        {
            nesting += IsSymbol("(") ? 1 : IsSymbol(")") ? -1 : 0;
            Advance();
        }

        var span = SpanFrom(start);
        return new PassThrough(keyword, sql.Substring(span.Offset, span.Length)) { Target = target, Span = span };
    }

    private InsertStatement ParseInsert()
    {
        var start = Expect("INSERT");
        bool overwrite;
        if (Match("OVERWRITE"))
        {
            overwrite = true;
        }
        else
        {
            Expect("INTO");
            overwrite = false;
        }

        var tableKeyword = Match("TABLE");
        var target = ParseTableName();
        var partition = IsWord("PARTITION") ? ParsePartitionSpec() : EquatableArray<PartitionValue>.Empty;
        var ifNotExists = MatchSequence("IF", "NOT", "EXISTS");
        var columns = EquatableArray<string>.Empty;
        var byName = false;
        if (IsSymbol("(") && !IsQueryStart(1))
        {
            columns = ParenList(() => ExpectName("a column name"));
        }
        else if (MatchSequence("BY", "NAME"))
        {
            byName = true;
        }

        var source = ParseQuery();
        return Node(
            new InsertStatement(target, overwrite, source)
            {
                TableKeyword = tableKeyword,
                Partition = partition,
                Columns = columns,
                IfNotExists = ifNotExists,
                ByName = byName,
            },
            start);
    }

    private EquatableArray<PartitionValue> ParsePartitionSpec()
    {
        Expect("PARTITION");
        return ParenList(() =>
        {
            var column = ExpectName("a partition column");
            return new PartitionValue(column, MatchSymbol("=") ? ParseExpr() : null);
        });
    }

    private Statement ParseCreate()
    {
        var start = Current;
        var orReplace = false;
        if (Match("REPLACE"))
        {
            orReplace = true;
        }
        else
        {
            Expect("CREATE");

            // Delta Live Tables: CREATE OR REFRESH [STREAMING | LIVE | MATERIALIZED] TABLE / VIEW.
            orReplace = MatchSequence("OR", "REPLACE") || MatchSequence("OR", "REFRESH");
        }

        var global = Match("GLOBAL");
        var shortTemp = IsWord("TEMP");
        var temporary = Match("TEMPORARY") || Match("TEMP");
        var external = Match("EXTERNAL");
        var pipeline = false;
        var materialized = false;
        while (IsWord("STREAMING") || IsWord("LIVE") || IsWord("MATERIALIZED") || IsWord("PRIVATE"))
        {
            materialized |= IsWord("MATERIALIZED");
            pipeline = true;
            Advance();
        }

        if (IsWord("VIEW") && !materialized && IsViewOverFiles())
        {
            // CREATE TEMPORARY VIEW v USING json OPTIONS (path ...): a view over files, no query.
            Advance();
            temporary = true;
        }
        else if (IsWord("VIEW") && !materialized)
        {
            Advance();
            var kind = global ? ViewKind.GlobalTemporary : temporary || pipeline ? ViewKind.Temporary : ViewKind.Persistent;
            return ParseCreateView(start, orReplace, kind, shortTemp);
        }
        else if (IsWord("VIEW") && materialized)
        {
            Advance();
        }
        else if (!IsWord("TABLE"))
        {
            index = tokens.IndexOf(start);
            return ParsePassThrough();
        }
        else
        {
            Advance();
        }

        var ifNotExists = MatchSequence("IF", "NOT", "EXISTS");
        var name = ParseTableName();
        var statement = new CreateTableStatement(name)
        {
            OrReplace = orReplace,
            Temporary = temporary,
            External = external,
            IfNotExists = ifNotExists,
        };
        if (IsSymbol("(") && !IsQueryStart(1))
        {
            statement = statement with { Columns = [.. ParenList(ParseColumnEntry).Items.OfType<ColumnDefinition>()] };
        }

        while (true)
        {
            if (Match("USING"))
            {
                statement = statement with { Using = ExpectName("a table format") };
            }
            else if (MatchSequence("STORED", "AS"))
            {
                statement = statement with { Using = ExpectName("a file format") };
            }
            else if (MatchSequence("PARTITIONED", "BY"))
            {
                statement = statement with { PartitionedBy = ParenList(ParsePartitionColumn) };
            }
            else if (MatchSequence("CLUSTER", "BY"))
            {
                statement = statement with { ClusterBy = ParenList(() => ExpectName()) };
            }
            else if (Match("LOCATION"))
            {
                statement = statement with { Location = ExpectString() };
            }
            else if (Match("COMMENT"))
            {
                statement = statement with { Comment = ExpectString() };
            }
            else if (Match("TBLPROPERTIES"))
            {
                statement = statement with { Properties = ParenList(ParseProperty) };
            }
            else if (Match("OPTIONS"))
            {
                statement = statement with { Options = ParenList(ParseProperty) };
            }
            else
            {
                break;
            }
        }

        if (Match("AS") || IsQueryStart(0))
        {
            statement = statement with { AsQuery = ParseQuery() };
        }

        return Node(statement, start);
    }

    /// <summary>PARTITIONED BY (col) or Hive's PARTITIONED BY (col type).</summary>
    private string ParsePartitionColumn()
    {
        var name = ExpectName("a partition column");
        if (Current.IsName && !IsSymbol(","))
        {
            ParseType();
        }

        return name;
    }

    /// <summary>A column, or a table constraint (<c>CONSTRAINT c PRIMARY KEY (...)</c>, a DLT
    /// expectation <c>CONSTRAINT c EXPECT (...) ON VIOLATION DROP ROW</c>), which is skipped.</summary>
    private ColumnDefinition? ParseColumnEntry()
    {
        if (IsWord("CONSTRAINT") || (IsWord("PRIMARY") && IsWordAt(1, "KEY")) || (IsWord("FOREIGN") && IsWordAt(1, "KEY")) || (IsWord("CHECK") && PeekToken().IsSymbol("(")))
        {
            SkipToListEnd();
            return null;
        }

        return ParseColumnDefinition();
    }

    /// <summary>A column with Delta's options in any order: NOT NULL, COMMENT, DEFAULT,
    /// GENERATED ALWAYS AS (expr), GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(...)],
    /// inline constraints and masks.</summary>
    private ColumnDefinition ParseColumnDefinition()
    {
        var name = ExpectName("a column name");
        var type = ParseType();
        var column = new ColumnDefinition(name, type);
        while (true)
        {
            if (MatchSequence("NOT", "NULL"))
            {
                column = column with { Nullable = false };
            }
            else if (Match("NULL"))
            {
                continue;
            }
            else if (Match("COMMENT"))
            {
                column = column with { Comment = ExpectString() };
            }
            else if (Match("DEFAULT"))
            {
                column = column with { Default = ParseExpr() };
            }
            else if (Match("GENERATED"))
            {
                var mode = Match("ALWAYS") ? "ALWAYS" : MatchSequence("BY", "DEFAULT") ? "BY DEFAULT" : throw Expected("ALWAYS or BY DEFAULT");
                Expect("AS");
                if (Match("IDENTITY"))
                {
                    column = column with { Identity = mode };
                    if (IsSymbol("("))
                    {
                        SkipParenthesized();
                    }
                }
                else
                {
                    ExpectSymbol("(");
                    column = column with { GeneratedAs = ParseExpr() };
                    ExpectSymbol(")");
                }
            }
            else if (IsWord("CONSTRAINT") || (IsWord("PRIMARY") && IsWordAt(1, "KEY")) || (IsWord("FOREIGN") && IsWordAt(1, "KEY")) || IsWord("REFERENCES") || IsWord("MASK"))
            {
                SkipToListEnd();
            }
            else
            {
                return column;
            }
        }
    }

    /// <summary>CREATE [TEMPORARY] VIEW v USING fmt ...: the word after the name is USING.</summary>
    private bool IsViewOverFiles()
    {
        var saved = index;
        try
        {
            Advance();
            MatchSequence("IF", "NOT", "EXISTS");
            ParseTableName();
            return IsWord("USING");
        }
        catch (SqlSyntaxException)
        {
            return false;
        }
        finally
        {
            index = saved;
        }
    }

    private void SkipParenthesized()
    {
        ExpectSymbol("(");
        var depth = 1;
        while (!AtEnd && depth > 0)
        {
            depth += IsSymbol("(") ? 1 : IsSymbol(")") ? -1 : 0;
            Advance();
        }
    }

    /// <summary>Skips to the next ',' or the closing ')' of the list (not consumed).</summary>
    private void SkipToListEnd()
    {
        var depth = 0;
        while (!AtEnd && !(depth == 0 && (IsSymbol(",") || IsSymbol(")"))))
        {
            depth += IsSymbol("(") ? 1 : IsSymbol(")") ? -1 : 0;
            Advance();
        }
    }

    private TableProperty ParseProperty()
    {
        var key = Current.Kind == TokenKind.String ? Advance().Text : ParseDottedText();
        MatchSymbol("=");
        var value = Current.Kind is TokenKind.String or TokenKind.Number || Current.IsName
            ? Advance().Text
            : throw Expected("a property value");
        return new TableProperty(key, value);
    }

    private string ParseDottedText()
    {
        var text = ExpectName("a property key");
        while (MatchSymbol("."))
        {
            text += "." + ExpectName("a property key");
        }

        return text;
    }

    private string ExpectString() =>
        Current.Kind == TokenKind.String ? Advance().Text : throw Expected("a string literal");

    private CreateViewStatement ParseCreateView(Token start, bool orReplace, ViewKind kind, bool shortTemp)
    {
        var ifNotExists = MatchSequence("IF", "NOT", "EXISTS");
        var name = ParseTableName();
        var columns = EquatableArray<string>.Empty;
        if (IsSymbol("("))
        {
            columns = ParenList(() => ExpectName("a column name"));
        }

        string? comment = null;
        if (Match("COMMENT"))
        {
            comment = ExpectString();
        }

        if (Match("TBLPROPERTIES"))
        {
            ParenList(ParseProperty);
        }

        Expect("AS");
        var query = ParseQuery();
        return Node(
            new CreateViewStatement(name, kind, query)
            {
                OrReplace = orReplace,
                IfNotExists = ifNotExists,
                ShortTemp = shortTemp,
                Columns = columns,
                Comment = comment,
            },
            start);
    }

    private MergeStatement ParseMerge()
    {
        var start = Expect("MERGE");
        Match("INTO");
        var target = ParseTableName();
        var alias = ParseOptionalAlias();
        Expect("USING");
        var source = ParseRelationPrimary();
        Expect("ON");
        var on = ParseExpr();
        var clauses = ImmutableArray.CreateBuilder<MergeClause>();
        while (IsWord("WHEN"))
        {
            clauses.Add(ParseMergeClause());
        }

        if (clauses.Count == 0)
        {
            throw Expected("WHEN");
        }

        return Node(new MergeStatement(target, source, on, clauses.ToImmutable()) { TargetAlias = alias }, start);
    }

    private MergeClause ParseMergeClause()
    {
        Expect("WHEN");
        var match = MergeMatch.Matched;
        var byTarget = false;
        if (Match("NOT"))
        {
            Expect("MATCHED");
            match = MergeMatch.NotMatchedByTarget;
            if (MatchSequence("BY", "SOURCE"))
            {
                match = MergeMatch.NotMatchedBySource;
            }
            else if (MatchSequence("BY", "TARGET"))
            {
                byTarget = true;
            }
        }
        else
        {
            Expect("MATCHED");
        }

        var condition = Match("AND") ? ParseExpr() : null;
        Expect("THEN");
        MergeAction action;
        if (Match("DELETE"))
        {
            action = new MergeDelete();
        }
        else if (Match("UPDATE"))
        {
            Expect("SET");
            action = MatchSymbol("*") ? new MergeUpdate([]) : new MergeUpdate(CommaList(ParseAssignment));
        }
        else if (Match("INSERT"))
        {
            if (MatchSymbol("*"))
            {
                action = new MergeInsert([], []);
            }
            else
            {
                var columns = ParenList(() => ExpectName("a column name"));
                Expect("VALUES");
                action = new MergeInsert(columns, ParenList(() => ParseExpr()));
            }
        }
        else
        {
            throw Expected("UPDATE, DELETE or INSERT");
        }

        return new MergeClause(match, condition, action) { ExplicitByTarget = byTarget };
    }

    private Assignment ParseAssignment()
    {
        var column = ImmutableArray.CreateBuilder<NamePart>();
        column.Add(ParseNamePart());
        while (MatchSymbol("."))
        {
            column.Add(ParseNamePart());
        }

        ExpectSymbol("=");
        return new Assignment(column.ToImmutable(), ParseExpr());
    }

    private UpdateStatement ParseUpdate()
    {
        var start = Expect("UPDATE");
        var target = ParseTableName();
        var alias = IsWord("SET") ? null : ParseOptionalAlias();
        Expect("SET");
        var assignments = CommaList(ParseAssignment);
        var where = Match("WHERE") ? ParseExpr() : null;
        return Node(new UpdateStatement(target, assignments, where) { Alias = alias }, start);
    }

    private DeleteStatement ParseDelete()
    {
        var start = Expect("DELETE");
        Expect("FROM");
        var target = ParseTableName();
        var alias = IsWord("WHERE") ? null : ParseOptionalAlias();
        var where = Match("WHERE") ? ParseExpr() : null;
        return Node(new DeleteStatement(target, where) { Alias = alias }, start);
    }

    private DropStatement ParseDrop()
    {
        var start = Expect("DROP");
        var view = Match("VIEW");
        if (!view)
        {
            Expect("TABLE");
        }

        var ifExists = MatchSequence("IF", "EXISTS");
        var name = ParseTableName();
        Match("PURGE");
        return Node(new DropStatement(view, name, ifExists), start);
    }
}

/// <summary>A case-insensitive word set.</summary>
internal sealed class FrozenWords(params string[] words)
{
    private readonly System.Collections.Frozen.FrozenSet<string> set =
        System.Collections.Frozen.FrozenSet.ToFrozenSet(words, StringComparer.OrdinalIgnoreCase);

    public bool Contains(string word) => set.Contains(word);
}
