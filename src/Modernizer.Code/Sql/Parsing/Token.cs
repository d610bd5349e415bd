namespace Modernizer.Code.Sql.Parsing;

public enum TokenKind
{
    /// <summary>An unquoted word: keyword or identifier (Spark keywords are mostly non-reserved).
    /// May embed <c>${var}</c> placeholders, as in <c>${env}_bronze</c>.</summary>
    Word,
    /// <summary>A backtick-quoted identifier; Text is the unquoted name.</summary>
    QuotedIdentifier,
    /// <summary>A string literal; Text is the unescaped value.</summary>
    String,
    /// <summary>A numeric literal as written, suffix included (1L, 1.5BD, 1e3).</summary>
    Number,
    /// <summary>X'..'; Text is the hex digits.</summary>
    HexString,
    /// <summary>A whole <c>${name}</c> or <c>{name}</c>; Text is the name.</summary>
    DollarPlaceholder,
    BracePlaceholder,
    /// <summary>Operators and punctuation; Text is the symbol.</summary>
    Symbol,
    /// <summary><c>/*+</c> opening an optimizer hint.</summary>
    HintStart,
    /// <summary><c>*/</c> closing a hint.</summary>
    HintEnd,
    EndOfInput,
}

/// <summary>A lexical token with its source span.</summary>
public readonly record struct Token(TokenKind Kind, string Text, SourceSpan Span)
{
    public bool IsWord(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    /// <summary>A word or a quoted identifier: something that can name a column or table.</summary>
    public bool IsName => Kind is TokenKind.Word or TokenKind.QuotedIdentifier;

    public string Describe() => Kind switch
    {
        TokenKind.EndOfInput => "end of input",
        TokenKind.String => $"string '{Text}'",
        TokenKind.QuotedIdentifier => $"`{Text}`",
        TokenKind.DollarPlaceholder => "${" + Text + "}",
        TokenKind.BracePlaceholder => "{" + Text + "}",
        _ => $"'{Text}'",
    };
}
