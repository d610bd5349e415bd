using System.Collections.Immutable;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>Token navigation, expectations and errors.</summary>
internal sealed partial class Parser
{
    private readonly string sql;
    private readonly ImmutableArray<Token> tokens;
    private readonly ParseOptions options;
    private int index;
    private int depth;

    public Parser(string sql, ImmutableArray<Token> tokens, ParseOptions options)
    {
        this.sql = sql;
        this.tokens = tokens;
        this.options = options;
    }

    private Token Current => tokens[index];

    private Token PeekToken(int ahead = 1) => tokens[Math.Min(index + ahead, tokens.Length - 1)];

    private bool AtEnd => Current.Kind == TokenKind.EndOfInput;

    private Token Advance()
    {
        var token = tokens[index];
        if (index < tokens.Length - 1)
        {
            index++;
        }

        return token;
    }

    private Token Previous => tokens[Math.Max(0, index - 1)];

    private bool IsWord(string word) => Current.IsWord(word);

    private bool IsWordAt(int ahead, string word) => PeekToken(ahead).IsWord(word);

    private bool IsSymbol(string symbol) => Current.IsSymbol(symbol);

    private bool Match(string word)
    {
        if (IsWord(word))
        {
            Advance();
            return true;
        }

        return false;
    }

    /// <summary>Consumes the words in order when all of them are next.</summary>
    private bool MatchSequence(params string[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (!IsWordAt(i, words[i]))
            {
                return false;
            }
        }

        index += words.Length;
        return true;
    }

    private bool MatchSymbol(string symbol)
    {
        if (IsSymbol(symbol))
        {
            Advance();
            return true;
        }

        return false;
    }

    private Token Expect(string word)
    {
        if (!IsWord(word))
        {
            throw Expected(word.ToUpperInvariant());
        }

        return Advance();
    }

    private Token ExpectSymbol(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            throw Expected($"'{symbol}'");
        }

        return Advance();
    }

    /// <summary>An identifier (word or backtick-quoted).</summary>
    private string ExpectName(string what = "an identifier")
    {
        if (!Current.IsName)
        {
            throw Expected(what);
        }

        return Advance().Text;
    }

    private SqlSyntaxException Expected(string what) => Error(Current.Span, $"expected {what} but found {Current.Describe()}");

    private SqlSyntaxException Error(SourceSpan span, string message) => new([SqlParseError.At(sql, span, message)]);

    /// <summary>Span from <paramref name="start"/> through the last consumed token.</summary>
    private SourceSpan SpanFrom(Token start) => start.Span.Through(Previous.Span);

    private T Node<T>(T node, Token start)
        where T : SqlNode => node with { Span = SpanFrom(start) };

    /// <summary>Guards nesting; dispose the result when leaving the nested construct.</summary>
    private DepthScope Enter()
    {
        depth++;
        if (depth > options.MaxDepth)
        {
            throw Error(Current.Span, $"nesting deeper than {options.MaxDepth} levels");
        }

        return new DepthScope(this);
    }

    private readonly struct DepthScope(Parser parser) : IDisposable
    {
        public void Dispose() => parser.depth--;
    }

    private EquatableArray<T> CommaList<T>(Func<T> item)
    {
        var builder = ImmutableArray.CreateBuilder<T>();
        do
        {
            builder.Add(item());
        }
        while (MatchSymbol(","));

        return builder.ToImmutable();
    }

    private EquatableArray<T> ParenList<T>(Func<T> item)
    {
        ExpectSymbol("(");
        if (MatchSymbol(")"))
        {
            return EquatableArray<T>.Empty;
        }

        var list = CommaList(item);
        ExpectSymbol(")");
        return list;
    }
}
