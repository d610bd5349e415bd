using System.Collections.Immutable;

namespace Modernizer.Lake.Engines;

public sealed record ResultColumn(string Name, string Type);

/// <summary>A small, fully materialized result. Large results stay in the engine (written to
/// Parquet by the query itself) and never cross into C# row by row.</summary>
public sealed record QueryResult(ImmutableArray<ResultColumn> Columns, ImmutableArray<ImmutableArray<object?>> Rows)
{
    /// <summary>True when the engine returned fewer rows than the statement produced because a
    /// configured row or byte limit cut them (an engine may instead refuse such a result).</summary>
    public bool Truncated { get; init; }

    public object? Scalar => Rows.Length > 0 && Columns.Length > 0 ? Rows[0][0] : null;

    public int Ordinal(string column)
    {
        for (var i = 0; i < Columns.Length; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"The result has no column '{column}'.");
    }
}
