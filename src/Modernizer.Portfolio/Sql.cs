using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio;

/// <summary>Small helpers shared by the SQL-building types: identifier quoting and typed access to
/// the small per-job results that cross into C#.</summary>
internal static class Sql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal; used only for constants chosen by the product (file labels,
    /// JSON paths), never for user data, which is bound as a parameter.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static QueryParameter P(string name, object? value) => new(name, value);
}

/// <summary>Read access to one row of a <see cref="QueryResult"/> by column name.</summary>
internal readonly struct ResultRow(QueryResult result, int index)
{
    public object? this[string column] => result.Rows[index][result.Ordinal(column)];

    public string? Str(string column) => this[column] switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    public string Req(string column) => Str(column) ?? throw new InvalidOperationException($"Column '{column}' is null.");

    public long? Long(string column) => this[column] switch
    {
        null => null,
        BigInteger b => (long)b,
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    public double? Dbl(string column) => this[column] switch
    {
        null => null,
        BigInteger b => (double)b,
        var v => Convert.ToDouble(v, CultureInfo.InvariantCulture),
    };

    public decimal? Dec(string column) => this[column] switch
    {
        null => null,
        BigInteger b => (decimal)b,
        var v => Convert.ToDecimal(v, CultureInfo.InvariantCulture),
    };

    public bool? Bool(string column) => this[column] is { } v ? Convert.ToBoolean(v, CultureInfo.InvariantCulture) : null;

    /// <summary>A list column rendered by the query as JSON text (<c>to_json(list)</c>).</summary>
    public string[] Strings(string column) =>
        Str(column) is { Length: > 0 } json ? JsonSerializer.Deserialize<string?[]>(json)!.Where(s => s is not null).Select(s => s!).ToArray() : [];
}

internal static class QueryResultExtensions
{
    public static IEnumerable<ResultRow> Each(this QueryResult result)
    {
        for (var i = 0; i < result.Rows.Length; i++)
        {
            yield return new ResultRow(result, i);
        }
    }
}
