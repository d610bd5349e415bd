using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Data;

namespace Modernizer.Specs.Requirements;

/// <summary>The evidence queries of the Requirements Inferencer, as DuckDB SQL over the job's tables
/// (views named as the legacy code names them). Predicates and expressions come rendered from the
/// plan by the code plane's printer; table and column names are always quoted.</summary>
internal static class EvidenceQueries
{
    public static string FilterOnSource(string table, string predicate) =>
        $"SELECT count(*) AS rows, count(*) FILTER (WHERE ({predicate})) AS kept, count(*) FILTER (WHERE NOT ({predicate})) AS dropped, count(*) FILTER (WHERE ({predicate}) IS NULL) AS unknown FROM {SqlText.Table(table)}";

    public static string FilterOnOutput(string target, string predicate) =>
        $"SELECT count(*) AS rows, count(*) FILTER (WHERE NOT ({predicate})) AS violating, count(*) FILTER (WHERE ({predicate}) IS NULL) AS unknown FROM {SqlText.Table(target)}";

    public static string Range(string table, string column)
    {
        var c = SqlText.Identifier(column);
        return $"SELECT count(*) AS rows, count({c}) AS non_null, count(DISTINCT {c}) AS distinct_values, min({c}) AS min, max({c}) AS max FROM {SqlText.Table(table)}";
    }

    public static string Rows(string table) => $"SELECT count(*) AS rows FROM {SqlText.Table(table)}";

    /// <summary>Matched and unmatched rows of both sides of an equi-join, and right-side keys that repeat.</summary>
    public static string JoinMatch(string left, IReadOnlyList<string> leftKeys, string right, IReadOnlyList<string> rightKeys)
    {
        var on = string.Join(" AND ", leftKeys.Select((k, i) => $"r.{SqlText.Identifier(rightKeys[i])} = l.{SqlText.Identifier(k)}"));
        var rightGroup = string.Join(", ", rightKeys.Select(SqlText.Identifier));
        var leftGroup = string.Join(", ", leftKeys.Select(SqlText.Identifier));
        return "SELECT "
            + $"(SELECT count(*) FROM {SqlText.Table(left)}) AS left_rows, "
            + $"(SELECT count(*) FROM {SqlText.Table(left)} l WHERE NOT EXISTS (SELECT 1 FROM {SqlText.Table(right)} r WHERE {on})) AS left_unmatched, "
            + $"(SELECT count(*) FROM {SqlText.Table(right)}) AS right_rows, "
            + $"(SELECT count(*) FROM {SqlText.Table(right)} r WHERE NOT EXISTS (SELECT 1 FROM {SqlText.Table(left)} l WHERE {on})) AS right_unmatched, "
            + $"(SELECT count(*) FROM (SELECT {rightGroup} FROM {SqlText.Table(right)} GROUP BY {rightGroup} HAVING count(*) > 1)) AS right_duplicate_keys, "
            + $"(SELECT count(*) FROM (SELECT {leftGroup} FROM {SqlText.Table(left)} GROUP BY {leftGroup} HAVING count(*) > 1)) AS left_duplicate_keys";
    }

    public static string DistinctKeys(string table, IReadOnlyList<string> keys)
    {
        var group = string.Join(", ", keys.Select(SqlText.Identifier));
        return $"SELECT count(*) AS rows, (SELECT count(*) FROM (SELECT DISTINCT {group} FROM {SqlText.Table(table)})) AS distinct_keys FROM {SqlText.Table(table)}";
    }

    public static string Expression(string table, string expression) =>
        $"SELECT count(*) AS rows, count({expression}) AS non_null, min({expression}) AS min, max({expression}) AS max FROM {SqlText.Table(table)}";

    /// <summary>How many rows reach each arm of a CASE (arms are tried in order; a NULL condition falls through).</summary>
    public static string CaseArms(string table, IReadOnlyList<string?> conditions)
    {
        var items = new List<string>();
        var before = new List<string>();
        for (var i = 0; i < conditions.Count; i++)
        {
            var guard = before.Count == 0 ? "TRUE" : string.Join(" AND ", before.Select(b => $"NOT coalesce(({b}), FALSE)"));
            var condition = conditions[i];
            items.Add(condition is null
                ? $"count(*) FILTER (WHERE {guard}) AS arm_else"
                : $"count(*) FILTER (WHERE {guard} AND ({condition})) AS arm_{(i + 1).ToString(CultureInfo.InvariantCulture)}");
            if (condition is not null)
            {
                before.Add(condition);
            }
        }

        return $"SELECT {string.Join(", ", items)} FROM {SqlText.Table(table)}";
    }

    public static string Values(string table, string column, int limit = 10)
    {
        var c = SqlText.Identifier(column);
        return $"SELECT {c} AS value, count(*) AS rows FROM {SqlText.Table(table)} GROUP BY {c} ORDER BY rows DESC, value NULLS FIRST LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Keys of a lookup table with several rows, and with several different values.</summary>
    public static string LookupKeys(string table, IReadOnlyList<string> keys, string? value)
    {
        var group = string.Join(", ", keys.Select(SqlText.Identifier));
        var distinct = value is null ? "1" : $"count(DISTINCT {SqlText.Identifier(value)})";
        return $"SELECT count(*) AS keys, count(*) FILTER (WHERE n > 1) AS keys_with_several_rows, count(*) FILTER (WHERE v > 1) AS keys_with_different_values "
            + $"FROM (SELECT {group}, count(*) AS n, {distinct} AS v FROM {SqlText.Table(table)} GROUP BY {group})";
    }

    /// <summary>Non-null and distinct counts of every column a job uses from one table.</summary>
    public static string ColumnFacts(string table, IReadOnlyList<string> columns) =>
        $"SELECT count(*) AS rows{string.Concat(columns.Select(c => $", count({SqlText.Identifier(c)}) AS {SqlText.Identifier(c + "__non_null")}, count(DISTINCT {SqlText.Identifier(c)}) AS {SqlText.Identifier(c + "__distinct")}"))} FROM {SqlText.Table(table)}";

    /// <summary>Rows at a boundary and on either side of it (b-1, b, b+1; days for dates).</summary>
    public static string Boundary(string table, string column, string lower, string at, string upper)
    {
        var c = SqlText.Identifier(column);
        return $"SELECT count(*) FILTER (WHERE {c} = {lower}) AS below, count(*) FILTER (WHERE {c} = {at}) AS at, count(*) FILTER (WHERE {c} = {upper}) AS above FROM {SqlText.Table(table)}";
    }

    /// <summary>Rows of an output whose key appears more than once, and the rows in excess.</summary>
    public static string Repeats(string table, IReadOnlyList<string> keys)
    {
        var group = string.Join(", ", keys.Select(SqlText.Identifier));
        return $"SELECT count(*) AS keys, count(*) FILTER (WHERE n > 1) AS repeated_keys, coalesce(sum(n - 1), 0) AS extra_rows FROM (SELECT {group}, count(*) AS n FROM {SqlText.Table(table)} GROUP BY {group})";
    }

    public static ImmutableArray<string> Quote(IEnumerable<string> names) => [.. names.Select(SqlText.Identifier)];
}
