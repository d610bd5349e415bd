using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Data;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Testing.Data;

/// <summary>Bounds of the lake sample (R3.2): rows per stratum and per table.</summary>
public sealed record SampleOptions
{
    public static SampleOptions Default { get; } = new();

    /// <summary>Rows per stratum of the driving table (each combination of filter outcomes and date anchors).</summary>
    public int RowsPerStratum { get; init; } = 4;

    /// <summary>Rows of the driving table at most.</summary>
    public int DrivingRows { get; init; } = 24;

    /// <summary>Rows of every other table at most (those linked to the sample first).</summary>
    public int LinkedRows { get; init; } = 48;

    /// <summary>Rows of a linked table kept although they link to nothing sampled (so unmatched rows exist too).</summary>
    public int UnlinkedRows { get; init; } = 2;
}

/// <summary>Draws the base fixture from the real lake, set-based in DuckDB: the job's first input is sampled
/// by strata (each combination of its filters' outcomes, and rows near the job's parameter dates), then
/// every other input is drawn by its links to what is already sampled — join keys, lookup keys, same-named
/// id columns and dates — so the sample keeps the referential relations between inputs. Deterministic:
/// rows are ordered by a hash of their values.</summary>
internal sealed class FixtureSampler(SampleOptions options)
{
    public const string BaseSchema = "base";
    public const string RowColumn = "__row";

    public static string BaseTable(string table) => $"{SqlText.Identifier(BaseSchema)}.{SqlText.Identifier(table)}";

    public async Task<ImmutableArray<string>> SampleAsync(LakeSession lake, JobInputs inputs, CancellationToken cancellationToken)
    {
        var engine = lake.Engine;
        await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Identifier(BaseSchema)}", null, cancellationToken);
        var tables = inputs.Sources.Where(lake.Has).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var notes = ImmutableArray.CreateBuilder<string>();
        if (tables.Count == 0)
        {
            return [];
        }

        var sampled = new List<string>();
        var driving = tables[0];
        await CreateAsync(engine, driving, DrivingSql(lake, inputs, driving), cancellationToken);
        sampled.Add(driving);
        var remaining = tables.Skip(1).ToList();
        while (remaining.Count > 0)
        {
            // Greedy: the table with most links to what is sampled goes next (ties keep the source order).
            var next = remaining.OrderByDescending(t => Links(lake, inputs, t, sampled).Count).First();
            var links = Links(lake, inputs, next, sampled);
            await CreateAsync(engine, next, LinkedSql(next, links), cancellationToken);
            if (links.Count == 0)
            {
                notes.Add($"{next} has no link to the other inputs: a plain stratified sample is used");
            }

            sampled.Add(next);
            remaining.Remove(next);
        }

        return notes.ToImmutable();
    }

    private static async Task CreateAsync(Lake.Engines.IQueryEngine engine, string table, string select, CancellationToken cancellationToken) =>
        await engine.ExecuteAsync($"CREATE OR REPLACE TABLE {BaseTable(table)} AS SELECT * EXCLUDE (__order), row_number() OVER (ORDER BY __order) AS {SqlText.Identifier(RowColumn)} FROM ({select}) ORDER BY __order", null, cancellationToken);

    /// <summary>The driving table: strata = outcomes of its solvable filters and nearness to the job's parameter dates.</summary>
    private string DrivingSql(LakeSession lake, JobInputs inputs, string table)
    {
        var strata = new List<string>();
        foreach (var filter in inputs.Sites.OfType<FilterSite>().Where(f => f.Table == table && f.Atom is { Solvable: true }))
        {
            if (Predicates.ToDuckDb(filter.Predicate) is { } predicate)
            {
                strata.Add($"CASE WHEN ({predicate}) THEN 't' WHEN NOT ({predicate}) THEN 'f' ELSE 'n' END");
            }
        }

        strata.AddRange(AnchorStrata(lake, inputs, table));
        var stratum = strata.Count == 0 ? "''" : "concat_ws('|', " + string.Join(", ", strata) + ")";
        var perStratum = options.RowsPerStratum.ToString(CultureInfo.InvariantCulture);
        var cap = options.DrivingRows.ToString(CultureInfo.InvariantCulture);
        return $"SELECT * EXCLUDE (__stratum, __rank, __h), __stratum || ':' || lpad(CAST(__rank AS VARCHAR), 6, '0') AS __order FROM ("
            + $"SELECT t.*, {stratum} AS __stratum, md5(CAST(t AS VARCHAR)) AS __h, row_number() OVER (PARTITION BY {stratum} ORDER BY md5(CAST(t AS VARCHAR))) AS __rank FROM {SqlText.Table(table)} t)"
            + $" WHERE __rank <= {perStratum} ORDER BY __rank, __stratum LIMIT {cap}";
    }

    /// <summary>Rows near a date the job runs for (a job.yaml parameter) or near the newest date of the column.</summary>
    private static IEnumerable<string> AnchorStrata(LakeSession lake, JobInputs inputs, string table)
    {
        var dates = inputs.Manifest.Parameters.Values.OfType<string>().Where(v => v.Length >= 10 && DateOnly.TryParseExact(v[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)).Select(v => v[..10]).Distinct(StringComparer.Ordinal).ToList();
        var used = inputs.Sites.SelectMany(Requirements.ContractRequirements.SiteColumns).Where(c => c.IsInput && c.Table == table).Select(c => c.Column).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var field in lake.Tables[table].Schema.Where(f => f.Type.SparkSql == "date" && used.Contains(f.Name)))
        {
            var c = SqlText.Identifier(field.Name);
            var near = dates.Select(d => $"abs(datediff('day', {c}, DATE {SqlText.Literal(d)})) <= 2")
                .Append($"{c} >= (SELECT max({c}) FROM {SqlText.Table(table)}) - 2");
            yield return $"CASE WHEN {string.Join(" OR ", near)} THEN 'near' ELSE 'far' END";
        }
    }

    private sealed record Link(string Column, string Partner);

    /// <summary>How rows of <paramref name="table"/> link to the sampled tables: a column and the set of partner values (SQL).</summary>
    private static List<Link> Links(LakeSession lake, JobInputs inputs, string table, List<string> sampled)
    {
        var links = new List<Link>();
        var columns = lake.Tables[table].Schema.ToDictionary(f => f.Name, f => f.Type.SparkSql, StringComparer.OrdinalIgnoreCase);
        void Add(string column, string partnerTable, string partnerColumn)
        {
            if (columns.ContainsKey(column) && sampled.Contains(partnerTable, StringComparer.OrdinalIgnoreCase) && lake.Tables[partnerTable].Schema.Any(f => string.Equals(f.Name, partnerColumn, StringComparison.OrdinalIgnoreCase)))
            {
                links.Add(new Link(column, $"SELECT {SqlText.Identifier(partnerColumn)} FROM {BaseTable(partnerTable)}"));
            }
        }

        foreach (var join in inputs.Sites.OfType<JoinSite>())
        {
            foreach (var key in join.Keys.Where(k => k.Left.IsInput && k.Right.IsInput))
            {
                if (key.Right.Table == table)
                {
                    Add(key.Right.Column, key.Left.Table!, key.Left.Column);
                }

                if (key.Left.Table == table)
                {
                    Add(key.Left.Column, key.Right.Table!, key.Right.Column);
                }
            }
        }

        var lookupKeys = inputs.Sites.OfType<LoopSite>().Where(l => l.Lookup is not null && l.Tables.Contains(table, StringComparer.OrdinalIgnoreCase)).SelectMany(l => l.Lookup!.KeyColumns);
        var idColumns = columns.Keys.Where(c => c.EndsWith("_id", StringComparison.OrdinalIgnoreCase));
        foreach (var column in lookupKeys.Concat(idColumns).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var partner in sampled.Where(p => lake.Tables[p].Schema.Any(f => string.Equals(f.Name, column, StringComparison.OrdinalIgnoreCase))))
            {
                Add(column, partner, column);
            }
        }

        foreach (var (column, type) in columns.Where(c => c.Value == "date"))
        {
            var partners = sampled.SelectMany(p => lake.Tables[p].Schema.Where(f => f.Type.SparkSql == "date").Select(f => $"SELECT {SqlText.Identifier(f.Name)} FROM {BaseTable(p)}")).ToList();
            if (partners.Count > 0 && links.Count > 0)
            {
                links.Add(new Link(column, string.Join(" UNION ", partners)));
            }
        }

        return [.. links.DistinctBy(l => (l.Column.ToLowerInvariant(), l.Partner))];
    }

    private string LinkedSql(string table, List<Link> links)
    {
        var cap = options.LinkedRows.ToString(CultureInfo.InvariantCulture);
        if (links.Count == 0)
        {
            return $"SELECT * EXCLUDE (__h), __h AS __order FROM (SELECT t.*, md5(CAST(t AS VARCHAR)) AS __h FROM {SqlText.Table(table)} t) ORDER BY __h LIMIT {cap}";
        }

        var score = string.Join(" + ", links.Select(l => $"(CASE WHEN t.{SqlText.Identifier(l.Column)} IN ({l.Partner}) THEN 1 ELSE 0 END)"));
        var unlinked = options.UnlinkedRows.ToString(CultureInfo.InvariantCulture);
        return $"SELECT * EXCLUDE (__score, __h), lpad(CAST(99 - __score AS VARCHAR), 2, '0') || __h AS __order FROM ("
            + $"(SELECT t.*, {score} AS __score, md5(CAST(t AS VARCHAR)) AS __h FROM {SqlText.Table(table)} t WHERE ({score}) > 0 ORDER BY __score DESC, __h LIMIT {cap}) "
            + $"UNION ALL (SELECT t.*, 0 AS __score, md5(CAST(t AS VARCHAR)) AS __h FROM {SqlText.Table(table)} t WHERE ({score}) = 0 ORDER BY __h LIMIT {unlinked}))";
    }
}
