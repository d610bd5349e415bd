using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Lake.Engines;

namespace Modernizer.Specs.Data;

/// <summary>A query the product ran and what it returned, kept as evidence (P1): the SQL text, the
/// engine, and the rows as invariant text. Only small results are kept (counts, ranges, samples).</summary>
public sealed record QueryRecord(string Sql, string Engine, ImmutableArray<string> Columns, ImmutableArray<ImmutableArray<string?>> Rows)
{
    public const int MaxRows = 20;

    public static QueryRecord Of(string sql, string engine, QueryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new QueryRecord(
            sql,
            engine,
            [.. result.Columns.Select(c => c.Name)],
            [.. result.Rows.Take(MaxRows).Select(r => r.Select(Text).ToImmutableArray())]);
    }

    /// <summary>The value of one column of the first row, or null.</summary>
    public string? Value(string column)
    {
        var index = Columns.IndexOf(column);
        return index < 0 || Rows.IsEmpty ? null : Rows[0][index];
    }

    public long Long(string column) =>
        Value(column) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>One line for a decision log or a Markdown table: <c>a=1, b=2</c> of the first row.</summary>
    public string Summary() =>
        Rows.IsEmpty
            ? "no rows"
            : string.Join(", ", Columns.Select((c, i) => c + "=" + (Rows[0][i] ?? "null"))) + (Rows.Length > 1 ? string.Create(CultureInfo.InvariantCulture, $" (+{Rows.Length - 1} rows)") : string.Empty);

    public static string? Text(object? value) => value switch
    {
        null => null,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dateTime => dateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset offset => offset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
