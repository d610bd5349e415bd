using System.Collections.Immutable;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>Expressions by precedence climbing. Levels (low to high) follow Spark's grammar:
/// OR, AND, NOT, comparisons and predicates, |, ^, &amp;, + - ||, * / % div, unary, postfix.</summary>
internal sealed partial class Parser
{
    internal const int PrecedenceOr = 1;
    internal const int PrecedenceAnd = 2;
    internal const int PrecedenceNot = 3;
    internal const int PrecedenceComparison = 4;
    internal const int PrecedenceBitOr = 5;
    internal const int PrecedenceBitXor = 6;
    internal const int PrecedenceBitAnd = 7;
    internal const int PrecedenceAdditive = 8;
    internal const int PrecedenceMultiplicative = 9;
    internal const int PrecedenceUnary = 10;

    private static readonly FrozenWords IntervalUnits = new(
        "YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES",
        "SECOND", "SECONDS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS");

    /// <summary>Words that can never start an expression (a missing select list, a dangling operator).</summary>
    private static readonly FrozenWords NotAnExpression = new(
        "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "UNION", "INTERSECT", "EXCEPT", "SELECT", "JOIN", "ON", "THEN",
        "ELSE", "END", "AND", "OR", "AS", "WHEN", "LIMIT", "QUALIFY", "WINDOW");

    private static readonly FrozenWords NiladicFunctions = new(
        "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_USER", "CURRENT_TIMEZONE", "CURRENT_CATALOG", "CURRENT_DATABASE", "CURRENT_SCHEMA");

    /// <summary>The binary operator the current token starts, with its level, if any.</summary>
    private (BinaryOp Op, int Precedence)? PeekBinary()
    {
        var token = Current;
        if (token.Kind == TokenKind.Symbol)
        {
            return token.Text switch
            {
                "=" => (BinaryOp.Eq, PrecedenceComparison),
                "==" => (BinaryOp.EqEq, PrecedenceComparison),
                "<>" => (BinaryOp.NotEq, PrecedenceComparison),
                "!=" => (BinaryOp.BangEq, PrecedenceComparison),
                "<" => (BinaryOp.Lt, PrecedenceComparison),
                "<=" => (BinaryOp.LtEq, PrecedenceComparison),
                ">" => (BinaryOp.Gt, PrecedenceComparison),
                ">=" => (BinaryOp.GtEq, PrecedenceComparison),
                "<=>" => (BinaryOp.NullSafeEq, PrecedenceComparison),
                "|" => (BinaryOp.BitOr, PrecedenceBitOr),
                "^" => (BinaryOp.BitXor, PrecedenceBitXor),
                "&" => (BinaryOp.BitAnd, PrecedenceBitAnd),
                "+" => (BinaryOp.Add, PrecedenceAdditive),
                "-" => (BinaryOp.Subtract, PrecedenceAdditive),
                "||" => (BinaryOp.Concat, PrecedenceAdditive),
                "*" => (BinaryOp.Multiply, PrecedenceMultiplicative),
                "/" => (BinaryOp.Divide, PrecedenceMultiplicative),
                "%" => (BinaryOp.Modulo, PrecedenceMultiplicative),
                "&&" => (BinaryOp.And, PrecedenceAnd),
                _ => null,
            };
        }

        if (token.Kind == TokenKind.Word)
        {
            if (token.IsWord("OR"))
            {
                return (BinaryOp.Or, PrecedenceOr);
            }

            if (token.IsWord("AND"))
            {
                return (BinaryOp.And, PrecedenceAnd);
            }

            if (token.IsWord("DIV"))
            {
                return (BinaryOp.IntDivide, PrecedenceMultiplicative);
            }
        }

        return null;
    }

    internal Expr ParseExpr(int minPrecedence = PrecedenceOr)
    {
        using var scope = Enter();
        var start = Current;
        var left = ParsePrefix();
        while (true)
        {
            if (minPrecedence <= PrecedenceComparison && TryParsePredicate(left, start) is { } predicate)
            {
                left = predicate;
                continue;
            }

            if (PeekBinary() is not { } binary || binary.Precedence < minPrecedence)
            {
                return left;
            }

            Advance();
            var right = ParseExpr(binary.Precedence + 1);
            left = Node(new Binary(binary.Op, left, right), start);
        }
    }

    private Expr ParsePrefix()
    {
        var start = Current;
        if (IsWord("NOT") || IsSymbol("!"))
        {
            Advance();
            return Node(new Unary(UnaryOp.Not, ParseExpr(PrecedenceNot)), start);
        }

        if (IsSymbol("-") || IsSymbol("+") || IsSymbol("~"))
        {
            var op = Advance().Text switch { "-" => UnaryOp.Negate, "+" => UnaryOp.Plus, _ => UnaryOp.BitNot };
            return Node(new Unary(op, ParseExpr(PrecedenceUnary)), start);
        }

        return ParsePostfix(ParsePrimary(), start);
    }

    /// <summary>IS ..., [NOT] IN / BETWEEN / LIKE / ILIKE / RLIKE / REGEXP, all at comparison level.</summary>
    private Expr? TryParsePredicate(Expr left, Token start)
    {
        if (Match("IS"))
        {
            var negated = Match("NOT");
            if (Match("NULL"))
            {
                return Node(new IsNull(left, negated), start);
            }

            if (Match("TRUE") || Match("FALSE") || Match("UNKNOWN"))
            {
                bool? value = Previous.IsWord("UNKNOWN") ? null : Previous.IsWord("TRUE");
                return Node(new IsTruth(left, value, negated), start);
            }

            Expect("DISTINCT");
            Expect("FROM");
            var other = ParseExpr(PrecedenceBitOr);
            return Node(new Binary(negated ? BinaryOp.IsNotDistinctFrom : BinaryOp.IsDistinctFrom, left, other), start);
        }

        var save = index;
        var not = Match("NOT");
        if (Match("IN"))
        {
            ExpectSymbol("(");
            if (IsQueryStart(0))
            {
                var query = ParseQuery();
                ExpectSymbol(")");
                return Node(new InSubquery(left, query, not), start);
            }

            var items = CommaList(() => ParseExpr());
            ExpectSymbol(")");
            return Node(new InList(left, items, not), start);
        }

        if (Match("BETWEEN"))
        {
            var low = ParseExpr(PrecedenceBitOr);
            Expect("AND");
            var high = ParseExpr(PrecedenceBitOr);
            return Node(new Between(left, low, high, not), start);
        }

        LikeKind? kind = IsWord("LIKE") ? LikeKind.Like : IsWord("ILIKE") ? LikeKind.ILike : IsWord("RLIKE") ? LikeKind.RLike : IsWord("REGEXP") ? LikeKind.Regexp : null;
        if (kind is not null)
        {
            Advance();
            var pattern = ParseExpr(PrecedenceBitOr);
            var escape = Match("ESCAPE") ? ParseExpr(PrecedenceBitOr) : null;
            return Node(new Like(kind.Value, left, pattern, not, escape), start);
        }

        index = save;
        return null;
    }

    private Expr ParsePostfix(Expr expr, Token start)
    {
        while (true)
        {
            if (IsSymbol(".") && IsPlaceholderToken(PeekToken()) && expr is ColumnRef { Binding: null } prefix)
            {
                Advance();
                expr = Node(new ColumnRef(prefix.Parts.Add(ParseNamePart())), start);
            }
            else if (IsSymbol(".") && (PeekToken().IsName || PeekToken().IsSymbol("*")))
            {
                Advance();
                if (MatchSymbol("*"))
                {
                    expr = expr is ColumnRef { Binding: null } qualifier
                        ? Node(new Star(qualifier.Parts), start)
                        : throw Error(Previous.Span, "'.*' must follow a table name");
                    continue;
                }

                var field = Advance().Text;
                expr = expr is ColumnRef { Binding: null } column
                    ? Node(new ColumnRef(column.Parts.Add(new NamePart(field))), start)
                    : Node(new FieldAccess(expr, field), start);
            }
            else if (IsSymbol("["))
            {
                Advance();
                var subscript = ParseExpr();
                ExpectSymbol("]");
                expr = Node(new Subscript(expr, subscript), start);
            }
            else if (IsSymbol(":") && (PeekToken().IsName || PeekToken().IsSymbol("[")))
            {
                // Databricks JSON path (raw:a.b[0]): what get_json_object(raw, '$.a.b[0]') returns.
                Advance();
                var path = new System.Text.StringBuilder("$");
                while (true)
                {
                    if (Current.IsName && (path.Length == 1 || Previous.IsSymbol(".")))
                    {
                        path.Append('.').Append(Advance().Text);
                    }
                    else if (IsSymbol(".") && PeekToken().IsName)
                    {
                        Advance();
                    }
                    else if (IsSymbol("["))
                    {
                        var open = Current.Span.Offset;
                        while (!AtEnd && !IsSymbol("]"))
                        {
                            Advance();
                        }

                        var close = Current.Span.Offset;
                        ExpectSymbol("]");
                        path.Append(sql, open, close - open + 1);
                    }
                    else
                    {
                        break;
                    }
                }

                expr = Node(new FunctionCall("get_json_object", [expr, new Literal(LiteralKind.String, path.ToString())]), start);
            }
            else if (IsSymbol("::"))
            {
                Advance();
                expr = Node(new Cast(expr, ParseType(), CastStyle.DoubleColon), start);
            }
            else if (IsSymbol("(") && expr is ColumnRef { Binding: null } qualifiedName && qualifiedName.Parts.Count > 1)
            {
                expr = ParseFunctionCall(string.Join(".", qualifiedName.Parts.Select(p => p.Text)), start);
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var start = Current;
        switch (Current.Kind)
        {
            case TokenKind.Number:
                return Node(NumberLiteral(Advance().Text), start);
            case TokenKind.String:
                var text = Advance().Text;
                while (Current.Kind == TokenKind.String)
                {
                    text += Advance().Text;
                }

                return Node(Literal.Of(text), start);
            case TokenKind.HexString:
                return Node(new Literal(LiteralKind.Binary, Advance().Text), start);
            case TokenKind.DollarPlaceholder:
                return Node(new Placeholder(Advance().Text, PlaceholderStyle.Dollar), start);
            case TokenKind.BracePlaceholder:
                return Node(new Placeholder(Advance().Text, PlaceholderStyle.Brace), start);
            case TokenKind.QuotedIdentifier:
                return Node(new ColumnRef([new NamePart(Advance().Text)]), start);
            case TokenKind.Symbol:
                return ParseSymbolPrimary(start);
            case TokenKind.Word:
                return ParseWordPrimary(start);
            default:
                throw Expected("an expression");
        }
    }

    private Expr ParseSymbolPrimary(Token start)
    {
        if (IsSymbol(":") && PeekToken().Kind == TokenKind.Word)
        {
            Advance();
            return Node(new Placeholder(Advance().Text, PlaceholderStyle.Colon), start);
        }

        if (MatchSymbol("*"))
        {
            return Node(Star.All, start);
        }

        if (!IsSymbol("("))
        {
            throw Expected("an expression");
        }

        if (IsQueryStart(1))
        {
            Advance();
            var query = ParseQuery();
            ExpectSymbol(")");
            return Node(new ScalarSubquery(query), start);
        }

        if (IsLambdaParameterList())
        {
            Advance();
            var parameters = ImmutableArray.CreateBuilder<string>();
            if (!IsSymbol(")"))
            {
                parameters.AddRange(CommaList(() => ExpectName("a lambda parameter")));
            }

            ExpectSymbol(")");
            ExpectSymbol("->");
            return Node(new Lambda(parameters.ToImmutable(), ParseExpr()), start);
        }

        Advance();
        var first = ParseExpr();
        if (MatchSymbol(","))
        {
            var items = ImmutableArray.CreateBuilder<Expr>();
            items.Add(first);
            items.AddRange(CommaList(() => ParseExpr()));
            ExpectSymbol(")");
            return Node(new RowExpr(items.ToImmutable()), start);
        }

        ExpectSymbol(")");
        return first;
    }

    /// <summary>Looks ahead for <c>(a, b) -></c>.</summary>
    private bool IsLambdaParameterList()
    {
        var ahead = 1;
        while (PeekToken(ahead).IsName)
        {
            ahead++;
            if (PeekToken(ahead).IsSymbol(","))
            {
                ahead++;
            }
            else
            {
                break;
            }
        }

        return PeekToken(ahead).IsSymbol(")") && PeekToken(ahead + 1).IsSymbol("->");
    }

    private Expr ParseWordPrimary(Token start)
    {
        var next = PeekToken();
        if (NotAnExpression.Contains(Current.Text) && !next.IsSymbol("(") && !next.IsSymbol("."))
        {
            throw Expected("an expression");
        }

        if (next.IsSymbol("->"))
        {
            var parameter = Advance().Text;
            Advance();
            return Node(new Lambda([parameter], ParseExpr()), start);
        }

        if (!next.IsSymbol(".") && !next.IsSymbol("("))
        {
            if (Match("NULL"))
            {
                return Node(Literal.Null, start);
            }

            if (Match("TRUE") || Match("FALSE"))
            {
                return Node(Literal.Of(Previous.IsWord("TRUE")), start);
            }
        }

        if (next.Kind == TokenKind.String)
        {
            LiteralKind? typed = Current.Text.ToUpperInvariant() switch
            {
                "DATE" => LiteralKind.Date,
                "TIMESTAMP" or "TIMESTAMP_LTZ" => LiteralKind.Timestamp,
                "TIMESTAMP_NTZ" => LiteralKind.TimestampNtz,
                _ => null,
            };
            if (typed is not null)
            {
                Advance();
                return Node(new Literal(typed.Value, Advance().Text), start);
            }
        }

        if (IsWord("INTERVAL") && (next.Kind is TokenKind.String or TokenKind.Number || next.IsSymbol("-")))
        {
            return ParseInterval(start);
        }

        if (IsWord("CASE"))
        {
            return ParseCase(start);
        }

        if ((IsWord("CAST") || IsWord("TRY_CAST")) && next.IsSymbol("("))
        {
            var style = Advance().IsWord("CAST") ? CastStyle.Cast : CastStyle.TryCast;
            ExpectSymbol("(");
            var operand = ParseExpr();
            Expect("AS");
            var type = ParseType();
            ExpectSymbol(")");
            return Node(new Cast(operand, type, style), start);
        }

        if (IsWord("EXISTS") && next.IsSymbol("(") && IsQueryStart(2))
        {
            Advance();
            ExpectSymbol("(");
            var query = ParseQuery();
            ExpectSymbol(")");
            return Node(new Exists(query), start);
        }

        if (IsWord("EXTRACT") && next.IsSymbol("("))
        {
            Advance();
            ExpectSymbol("(");
            var field = ExpectName("a date field").ToUpperInvariant();
            Expect("FROM");
            var source = ParseExpr();
            ExpectSymbol(")");
            return Node(new Extract(field, source), start);
        }

        if (IsWord("IDENTIFIER") && next.IsSymbol("(") && PeekToken(2).Kind == TokenKind.String)
        {
            Advance();
            Advance();
            var name = Advance().Text;
            ExpectSymbol(")");
            return Node(new ColumnRef(name.Split('.').Select(p => new NamePart(p.Trim('`'))).ToEquatableArray()), start);
        }

        if (next.IsSymbol("("))
        {
            return ParseFunctionCall(Advance().Text, start);
        }

        if (NiladicFunctions.Contains(Current.Text) && !next.IsSymbol("."))
        {
            return Node(new FunctionCall(Advance().Text, []), start);
        }

        return Node(new ColumnRef([new NamePart(Advance().Text)]), start);
    }

    private FunctionCall ParseFunctionCall(string name, Token start)
    {
        ExpectSymbol("(");
        var call = new FunctionCall(name, []);
        var lowered = name.ToLowerInvariant();
        if (MatchSymbol(")"))
        {
            return FinishFunctionCall(call, start);
        }

        if (lowered is "trim" && (IsWord("BOTH") || IsWord("LEADING") || IsWord("TRAILING") || (IsWordAt(1, "FROM") && !IsWord("FROM"))))
        {
            var side = IsWord("LEADING") ? "ltrim" : IsWord("TRAILING") ? "rtrim" : "trim";
            if (IsWord("BOTH") || IsWord("LEADING") || IsWord("TRAILING"))
            {
                Advance();
            }

            Expr? characters = IsWord("FROM") ? null : ParseExpr();
            Expect("FROM");
            var source = ParseExpr();
            ExpectSymbol(")");
            var args = characters is null ? [source] : ImmutableArray.Create(source, characters);
            return FinishFunctionCall(new FunctionCall(side, args), start);
        }

        if (Match("DISTINCT"))
        {
            call = call with { Distinct = true };
        }
        else
        {
            Match("ALL");
        }

        var first = ParseArgument();
        var arguments = ImmutableArray.CreateBuilder<Expr>();
        arguments.Add(first);
        if (lowered is "substring" or "substr" && Match("FROM"))
        {
            arguments.Add(ParseExpr());
            if (Match("FOR"))
            {
                arguments.Add(ParseExpr());
            }
        }
        else if (lowered is "position" && first is InList)
        {
            throw Error(first.Span, "POSITION(a IN b) expects a single string, not a list");
        }
        else
        {
            while (MatchSymbol(","))
            {
                arguments.Add(ParseArgument());
            }
        }

        if (MatchSequence("IGNORE", "NULLS"))
        {
            call = call with { IgnoreNulls = true };
        }
        else if (MatchSequence("RESPECT", "NULLS"))
        {
            call = call with { IgnoreNulls = false };
        }

        ExpectSymbol(")");
        return FinishFunctionCall(call with { Args = arguments.ToImmutable() }, start);
    }

    /// <summary>A function argument; <c>struct(a AS x)</c> names its fields with AS.</summary>
    private Expr ParseArgument()
    {
        var start = Current;

        // Named argument (read_files(path, format => 'csv')): the value is what the analysis reads.
        if (Current.IsName && PeekToken().IsSymbol("=>"))
        {
            Advance();
            Advance();
        }

        var expr = ParseExpr();
        return Match("AS") ? Node(new Alias(expr, ExpectName("a field name")), start) : expr;
    }

    private FunctionCall FinishFunctionCall(FunctionCall call, Token start)
    {
        if (MatchSequence("IGNORE", "NULLS"))
        {
            call = call with { IgnoreNulls = true };
        }
        else if (MatchSequence("RESPECT", "NULLS"))
        {
            call = call with { IgnoreNulls = false };
        }

        if (IsWord("FILTER") && PeekToken().IsSymbol("("))
        {
            Advance();
            ExpectSymbol("(");
            Expect("WHERE");
            call = call with { Filter = ParseExpr() };
            ExpectSymbol(")");
        }

        if (Match("OVER"))
        {
            call = call with { Over = ParseWindowSpec() };
        }

        return Node(call, start);
    }

    private Case ParseCase(Token start)
    {
        Expect("CASE");
        var operand = IsWord("WHEN") ? null : ParseExpr();
        var whens = ImmutableArray.CreateBuilder<WhenClause>();
        while (Match("WHEN"))
        {
            var condition = ParseExpr();
            Expect("THEN");
            whens.Add(new WhenClause(condition, ParseExpr()));
        }

        if (whens.Count == 0)
        {
            throw Expected("WHEN");
        }

        var otherwise = Match("ELSE") ? ParseExpr() : null;
        Expect("END");
        return Node(new Case(operand, whens.ToImmutable(), otherwise), start);
    }

    /// <summary>INTERVAL '1' DAY, INTERVAL 1 DAY 2 HOURS, INTERVAL '1 day', INTERVAL '1-2' YEAR TO MONTH.</summary>
    private IntervalLiteral ParseInterval(Token start)
    {
        Expect("INTERVAL");
        var fields = ImmutableArray.CreateBuilder<IntervalField>();
        do
        {
            var valueStart = Current;
            Expr value;
            if (MatchSymbol("-"))
            {
                value = Node(new Unary(UnaryOp.Negate, ParseIntervalValue()), valueStart);
            }
            else
            {
                value = ParseIntervalValue();
            }

            if (Current.Kind == TokenKind.Word && IntervalUnits.Contains(Current.Text))
            {
                var unit = Advance().Text.ToUpperInvariant();
                string? toUnit = null;
                if (Match("TO"))
                {
                    toUnit = Advance().Text.ToUpperInvariant();
                }

                fields.Add(new IntervalField(value, unit, toUnit));
            }
            else if (value is Literal { Kind: LiteralKind.String } && fields.Count == 0)
            {
                fields.Add(new IntervalField(value, null));
                break;
            }
            else
            {
                throw Expected("an interval unit");
            }
        }
        while (Current.Kind is TokenKind.String or TokenKind.Number && PeekToken().Kind == TokenKind.Word && IntervalUnits.Contains(PeekToken().Text));

        return Node(new IntervalLiteral(fields.ToImmutable()), start);
    }

    private Expr ParseIntervalValue()
    {
        var start = Current;
        return Current.Kind switch
        {
            TokenKind.Number => Node(NumberLiteral(Advance().Text), start),
            TokenKind.String => Node(Literal.Of(Advance().Text), start),
            _ => throw Expected("an interval value"),
        };
    }

    /// <summary>Classifies a numeric literal by its suffix (Spark: L, S, Y, D, F, BD) and form.</summary>
    internal static Literal NumberLiteral(string text)
    {
        var upper = text.ToUpperInvariant();
        if (upper.EndsWith("BD", StringComparison.Ordinal))
        {
            return new Literal(LiteralKind.Decimal, text[..^2]) { ExplicitDecimalSuffix = true };
        }

        var kind = upper[^1] switch
        {
            'L' => LiteralKind.BigInt,
            'S' => LiteralKind.SmallInt,
            'Y' => LiteralKind.TinyInt,
            'D' => LiteralKind.Double,
            'F' => LiteralKind.Float,
            _ => (LiteralKind?)null,
        };
        if (kind is not null)
        {
            return new Literal(kind.Value, text[..^1]);
        }

        if (upper.Contains('E', StringComparison.Ordinal))
        {
            return new Literal(LiteralKind.Double, text);
        }

        return new Literal(upper.Contains('.', StringComparison.Ordinal) ? LiteralKind.Decimal : LiteralKind.Integer, text);
    }
}
