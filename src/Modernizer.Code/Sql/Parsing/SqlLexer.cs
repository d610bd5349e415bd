using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>Turns Spark SQL text into tokens. Comments are dropped (hints are kept as tokens);
/// every token carries its line, column, offset and length.</summary>
internal sealed class SqlLexer
{
    private readonly string text;
    private readonly List<int> lineStarts = [0];
    private readonly ImmutableArray<Token>.Builder tokens = ImmutableArray.CreateBuilder<Token>();
    private int position;
    private bool inHint;

    private SqlLexer(string text) => this.text = text;

    /// <summary>Tokenizes <paramref name="sql"/>; a malformed token (unterminated string or
    /// comment, stray character) raises <see cref="SqlSyntaxException"/>.</summary>
    public static ImmutableArray<Token> Tokenize(string sql) => new SqlLexer(sql).Run();

    private ImmutableArray<Token> Run()
    {
        while (true)
        {
            SkipTrivia();
            if (position >= text.Length)
            {
                tokens.Add(new Token(TokenKind.EndOfInput, string.Empty, SpanOf(position, 0)));
                return tokens.ToImmutable();
            }

            tokens.Add(Next());
        }
    }

    private Token Next()
    {
        var start = position;
        var c = text[position];

        if (inHint && c == '*' && Peek(1) == '/')
        {
            position += 2;
            inHint = false;
            return new Token(TokenKind.HintEnd, "*/", SpanOf(start, 2));
        }

        if (c == '\'' || c == '"')
        {
            return LexString(start, raw: false);
        }

        if ((c is 'r' or 'R') && Peek(1) is '\'' or '"')
        {
            position++;
            return LexString(start, raw: true);
        }

        if ((c is 'x' or 'X') && Peek(1) == '\'')
        {
            position++;
            var hex = LexString(start, raw: true);
            return new Token(TokenKind.HexString, hex.Text, hex.Span);
        }

        if (c == '`')
        {
            return LexQuotedIdentifier(start);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            return LexNumber(start);
        }

        if (c == '$' && Peek(1) == '{')
        {
            var name = ReadBraced(start + 1);
            if (IsWordChar(Peek(0)))
            {
                return LexWord(start);
            }

            return new Token(TokenKind.DollarPlaceholder, name, SpanOf(start, position - start));
        }

        if (c == '{' && (IsIdentifierStart(Peek(1)) || Peek(1) == '}'))
        {
            var name = ReadBraced(start);
            return new Token(TokenKind.BracePlaceholder, name, SpanOf(start, position - start));
        }

        if (IsIdentifierStart(c))
        {
            return LexWord(start);
        }

        var found = Symbol(c, Peek(1), Peek(2)) ?? throw Error(start, $"unexpected character '{c}'");
        position += found.Length;
        return new Token(TokenKind.Symbol, found, SpanOf(start, found.Length));
    }

    /// <summary>The operator or punctuation starting with <paramref name="c"/>, longest first.</summary>
    private static string? Symbol(char c, char next, char afterNext) => c switch
    {
        '<' when next == '=' && afterNext == '>' => "<=>",
        '<' when next == '=' => "<=",
        '<' when next == '>' => "<>",
        '<' => "<",
        '>' when next == '=' => ">=",
        '>' => ">",
        ':' when next == ':' => "::",
        ':' => ":",
        '-' when next == '>' => "->",
        '-' => "-",
        '=' when next == '>' => "=>",
        '=' when next == '=' => "==",
        '=' => "=",
        '!' when next == '=' => "!=",
        '!' => "!",
        '|' when next == '|' => "||",
        '|' => "|",
        '&' when next == '&' => "&&",
        '&' => "&",
        '+' => "+",
        '*' => "*",
        '/' => "/",
        '%' => "%",
        '(' => "(",
        ')' => ")",
        '[' => "[",
        ']' => "]",
        ',' => ",",
        '.' => ".",
        ';' => ";",
        '^' => "^",
        '~' => "~",
        '?' => "?",
        _ => null,
    };

    private void SkipTrivia()
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\n')
            {
                position++;
                lineStarts.Add(position);
            }
            else if (char.IsWhiteSpace(c))
            {
                position++;
            }
            else if (c == '-' && Peek(1) == '-')
            {
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                if (Peek(2) == '+' && !inHint)
                {
                    tokens.Add(new Token(TokenKind.HintStart, "/*+", SpanOf(position, 3)));
                    position += 3;
                    inHint = true;
                    continue;
                }

                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Block comments nest in Spark.</summary>
    private void SkipBlockComment()
    {
        var start = position;
        var depth = 0;
        while (position < text.Length)
        {
            if (text[position] == '/' && Peek(1) == '*')
            {
                depth++;
                position += 2;
            }
            else if (text[position] == '*' && Peek(1) == '/')
            {
                depth--;
                position += 2;
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                if (text[position] == '\n')
                {
                    lineStarts.Add(position + 1);
                }

                position++;
            }
        }

        throw Error(start, "unterminated comment");
    }

    private Token LexString(int start, bool raw)
    {
        var quote = text[position];
        position++;
        var value = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw Error(start, "unterminated string literal");
            }

            var c = text[position];
            if (c == quote)
            {
                if (Peek(1) == quote)
                {
                    value.Append(quote);
                    position += 2;
                    continue;
                }

                position++;
                break;
            }

            if (c == '\n')
            {
                lineStarts.Add(position + 1);
            }

            if (c == '\\' && !raw && position + 1 < text.Length)
            {
                position++;
                AppendEscape(value);
                continue;
            }

            value.Append(c);
            position++;
        }

        return new Token(TokenKind.String, value.ToString(), SpanOf(start, position - start));
    }

    /// <summary>Spark's string escapes (<c>unescapeSQLString</c>): \n \t \r \b \0 \Z \% \_ \uXXXX,
    /// any other escaped character stands for itself.</summary>
    private void AppendEscape(StringBuilder value)
    {
        var c = text[position];
        switch (c)
        {
            case 'n': value.Append('\n'); break;
            case 't': value.Append('\t'); break;
            case 'r': value.Append('\r'); break;
            case 'b': value.Append('\b'); break;
            case '0': value.Append('\0'); break;
            case 'Z': value.Append('\u001A'); break;
            case '%': value.Append("\\%"); break;
            case '_': value.Append("\\_"); break;
            case 'u' when position + 4 < text.Length
                && int.TryParse(text.AsSpan(position + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                value.Append((char)code);
                position += 4;
                break;
            default:
                if (c == '\n')
                {
                    lineStarts.Add(position + 1);
                }

                value.Append(c);
                break;
        }

        position++;
    }

    private Token LexQuotedIdentifier(int start)
    {
        position++;
        var value = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw Error(start, "unterminated quoted identifier");
            }

            var c = text[position];
            if (c == '`')
            {
                if (Peek(1) == '`')
                {
                    value.Append('`');
                    position += 2;
                    continue;
                }

                position++;
                break;
            }

            value.Append(c);
            position++;
        }

        return new Token(TokenKind.QuotedIdentifier, value.ToString(), SpanOf(start, position - start));
    }

    private Token LexNumber(int start)
    {
        ReadDigits();
        if (Peek(0) == '.' && (char.IsAsciiDigit(Peek(1)) || !IsIdentifierStart(Peek(1))))
        {
            position++;
            ReadDigits();
        }

        if (Peek(0) is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            position += 2;
            ReadDigits();
        }

        var afterDigits = position;
        if (Peek(0) is 'b' or 'B' && Peek(1) is 'd' or 'D')
        {
            position += 2;
        }
        else if (Peek(0) is 'l' or 'L' or 's' or 'S' or 'y' or 'Y' or 'd' or 'D' or 'f' or 'F')
        {
            position++;
        }

        if (IsWordChar(Peek(0)))
        {
            // 1day, 2x: a word that starts with digits (Spark allows such identifiers).
            position = afterDigits;
            while (IsWordChar(Peek(0)))
            {
                position++;
            }

            return new Token(TokenKind.Word, text[start..position], SpanOf(start, position - start));
        }

        return new Token(TokenKind.Number, text[start..position], SpanOf(start, position - start));
    }

    private void ReadDigits()
    {
        while (char.IsAsciiDigit(Peek(0)))
        {
            position++;
        }
    }

    /// <summary>A word, possibly glued to <c>${var}</c> pieces (<c>${env}_sales</c>).</summary>
    private Token LexWord(int start)
    {
        while (position < text.Length)
        {
            if (IsWordChar(text[position]))
            {
                position++;
            }
            else if (text[position] == '$' && Peek(1) == '{')
            {
                ReadBraced(position + 1);
            }
            else
            {
                break;
            }
        }

        return new Token(TokenKind.Word, text[start..position], SpanOf(start, position - start));
    }

    /// <summary>Reads <c>{name}</c> starting at the brace; returns the name.</summary>
    private string ReadBraced(int braceAt)
    {
        var close = text.IndexOf('}', braceAt);
        var newline = text.IndexOf('\n', braceAt);
        if (close < 0 || (newline >= 0 && newline < close))
        {
            throw Error(braceAt, "unterminated placeholder");
        }

        position = close + 1;
        return text[(braceAt + 1)..close].Trim();
    }

    private char Peek(int ahead) => position + ahead < text.Length ? text[position + ahead] : '\0';

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private SourceSpan SpanOf(int offset, int length)
    {
        var line = lineStarts.Count;
        while (line > 1 && lineStarts[line - 1] > offset)
        {
            line--;
        }

        return new SourceSpan(line, offset - lineStarts[line - 1] + 1, offset, length);
    }

    private SqlSyntaxException Error(int offset, string message) =>
        new([SqlParseError.At(text, SpanOf(offset, 1), message)]);
}
