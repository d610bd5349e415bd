using System.Globalization;

namespace Modernizer.Code.Python;

/// <summary>A span in a Python file: 1-based lines, 0-based character columns (the bridge converts
/// CPython's UTF-8 byte offsets), end exclusive.</summary>
public readonly record struct PySpan(int Line, int Column, int EndLine, int EndColumn)
{
    public static PySpan None { get; } = new(0, 0, 0, 0);

    public bool IsKnown => Line > 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}-{EndLine}:{EndColumn}");
}
