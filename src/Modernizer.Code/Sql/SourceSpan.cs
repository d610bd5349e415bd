namespace Modernizer.Code.Sql;

/// <summary>Where a node came from in its source text: 1-based line and column of the first
/// character, 0-based offset and length in characters. Spans are metadata: two nodes that differ
/// only in where they were written are equal (see <see cref="Syntax.SqlNode"/>).</summary>
public readonly record struct SourceSpan(int Line, int Column, int Offset, int Length)
{
    public static SourceSpan None { get; } = new(0, 0, 0, 0);

    public int End => Offset + Length;

    public bool IsKnown => Line > 0;

    /// <summary>The span covering both this one and <paramref name="other"/>.</summary>
    public SourceSpan Through(SourceSpan other)
    {
        if (!IsKnown)
        {
            return other;
        }

        if (!other.IsKnown)
        {
            return this;
        }

        var first = Offset <= other.Offset ? this : other;
        var end = Math.Max(End, other.End);
        return first with { Length = end - first.Offset };
    }

    public override string ToString() => FormattableString.Invariant($"{Line}:{Column}");
}
