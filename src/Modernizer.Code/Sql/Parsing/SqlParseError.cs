using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>A parse error with its position and a rendering that shows the SQL line with a caret
/// under the spot: "Line 3, Col 14: expected ')' but found 'FROM'".</summary>
public sealed record SqlParseError(string Message, SourceSpan Span, string SourceLine)
{
    /// <summary>Builds an error at <paramref name="span"/>, copying the offending line out of <paramref name="sql"/>.</summary>
    public static SqlParseError At(string sql, SourceSpan span, string message)
    {
        var lineStart = span.Offset <= sql.Length ? sql.LastIndexOf('\n', Math.Max(0, Math.Min(span.Offset, sql.Length) - 1)) + 1 : 0;
        if (span.Offset == 0)
        {
            lineStart = 0;
        }

        var lineEnd = sql.IndexOf('\n', Math.Min(lineStart, sql.Length));
        var line = (lineEnd < 0 ? sql[lineStart..] : sql[lineStart..lineEnd]).TrimEnd('\r');
        return new SqlParseError(message, span, line);
    }

    /// <summary>The message with its position, the SQL line and a caret.</summary>
    public string Render()
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Line {Span.Line}, Col {Span.Column}: {Message}");
        builder.Append('\n').Append("  ").Append(SourceLine);
        var caretColumn = Math.Max(1, Math.Min(Span.Column, SourceLine.Length + 1));
        builder.Append('\n').Append("  ").Append(' ', caretColumn - 1).Append('^');
        return builder.ToString();
    }

    public override string ToString() => Render();
}

/// <summary>Thrown by the parser in throwing mode (the default) with every error found.</summary>
public sealed class SqlSyntaxException : Exception
{
    public SqlSyntaxException(ImmutableArray<SqlParseError> errors)
        : base(string.Join("\n", errors.Select(e => e.Render())))
    {
        Errors = errors;
    }

    public SqlSyntaxException()
        : this(ImmutableArray<SqlParseError>.Empty)
    {
    }

    public SqlSyntaxException(string message)
        : base(message)
    {
        Errors = ImmutableArray<SqlParseError>.Empty;
    }

    public SqlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = ImmutableArray<SqlParseError>.Empty;
    }

    public ImmutableArray<SqlParseError> Errors { get; }
}

public enum ErrorMode
{
    /// <summary>Throw <see cref="SqlSyntaxException"/> at the first error.</summary>
    Throw,
    /// <summary>Record the error, skip to the next ';' and go on.</summary>
    Collect,
}

/// <summary>Parser settings.</summary>
public sealed record ParseOptions
{
    public static ParseOptions Default { get; } = new();

    public static ParseOptions Collecting { get; } = new() { ErrorMode = ErrorMode.Collect };

    public ErrorMode ErrorMode { get; init; } = ErrorMode.Throw;

    /// <summary>Nesting deeper than this (expressions, subqueries) is an error, not a stack overflow.</summary>
    public int MaxDepth { get; init; } = 256;
}

/// <summary>The statements parsed and, in collecting mode, the errors met.</summary>
public sealed record ParseResult(ImmutableArray<Syntax.Statement> Statements, ImmutableArray<SqlParseError> Errors)
{
    public bool Succeeded => Errors.IsEmpty;
}
