using System.Globalization;

namespace Modernizer.Code.Python;

/// <summary>A file CPython could not parse: the file, the line and column (1-based column for
/// people) and CPython's message. The rest of the batch goes on.</summary>
public sealed record PythonSyntaxError(string File, int Line, int Column, string Message)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: syntax error: {Message}");
}

/// <summary>The outcome of parsing one file: a module tree or a syntax error.</summary>
public sealed record PythonParseResult(string File, PyNode? Module, PythonSyntaxError? Error)
{
    public bool Succeeded => Module is not null;
}

/// <summary>One unit of Python text to parse, named for error messages.</summary>
public sealed record PythonSource(string File, string Text);
