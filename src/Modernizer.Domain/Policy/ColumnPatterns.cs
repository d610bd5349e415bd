using System.Collections.Immutable;

namespace Modernizer.Domain.Policy;

/// <summary>Case-insensitive glob patterns (<c>*</c> any run, <c>?</c> one character) over column
/// names, as <c>tags.financial_columns</c> and friends declare them.</summary>
public sealed class ColumnPatterns
{
    private readonly ImmutableArray<string> _patterns;

    public ColumnPatterns(ImmutableArray<string> patterns)
    {
        _patterns = patterns.IsDefault ? [] : patterns;
    }

    public bool Matches(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        foreach (var pattern in _patterns)
        {
            if (Glob(pattern.AsSpan(), column.AsSpan()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative wildcard match with one backtrack point: linear for the short names we see.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
