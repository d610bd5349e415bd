using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Queries;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Queries.Sql;

namespace Modernizer.Lake.Profiling;

/// <summary>The Data Profiler (R2.2, issue item 5). Pass 1 is one aggregate query over every column
/// (counts, nulls, distinct, min/max, mean/stddev, approximate quantiles, lengths, zero/negative
/// counts, top-k candidates); pass 2 is one more aggregate for what needs pass 1's answers: exact
/// counts of the top-k candidates, exact distinct counts of key-like columns, histogram bins.</summary>
public static class TableProfiler
{
    private static readonly decimal[] QuantileFractions = [0.25m, 0.5m, 0.75m];

    public static async Task<TableProfile> ProfileAsync(TableSnapshot snapshot, IQueryEngine engine, ProfileOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(engine);
        if (engine.Dialect != SqlDialect.DuckDb)
        {
            throw new ArgumentException("The profiler reads local tables through DuckDB; open a DuckDbEngine over the table folder.", nameof(engine));
        }

        options ??= ProfileOptions.Default;
        var relation = new EngineRelation(SqlDialect.DuckDb, DuckDbRelation.Render(snapshot));
        var leaves = Flatten(snapshot.Schema).ToList();

        var rows = await ScalarLongAsync(engine, Select(CountAll().As("rows")).From(relation), cancellationToken);
        var small = rows <= options.SmallTableRows;

        var pass1 = await RunAsync(engine, Select(leaves.SelectMany((leaf, i) => Pass1Items(leaf, i, small, options))).From(relation), cancellationToken);
        var stats = leaves.Select((leaf, i) => new LeafStats(leaf, i, pass1)).ToList();

        var pass2Items = stats.SelectMany(s => Pass2Items(s, small, rows, options)).ToList();
        var pass2 = pass2Items.Count == 0 ? null : await RunAsync(engine, Select(pass2Items).From(relation), cancellationToken);

        var columns = stats.Select(s => Build(s, rows, small, options, pass2)).ToImmutableArray();
        return new TableProfile(
            snapshot.TablePath,
            snapshot.Version,
            snapshot.Format == TableFormat.Delta ? "delta" : "parquet",
            rows,
            snapshot.Files.Length,
            snapshot.Bytes,
            engine.Name,
            engine.Version,
            columns);
    }

    internal sealed record Leaf(ImmutableArray<string> Path, SparkType Type)
    {
        public string Name => string.Join('.', Path);

        public Column Column => new(Path);

        public PrimitiveType? Primitive => Type as PrimitiveType;

        public bool IsNumeric => Primitive is { IsNumeric: true };

        public bool IsOrdered => Primitive is { Name: not "binary" and not "void" };

        public bool IsCollection => Type is ArrayType or MapType;
    }

    private static IEnumerable<Leaf> Flatten(IEnumerable<StructField> fields, ImmutableArray<string> prefix = default)
    {
        var basePath = prefix.IsDefault ? [] : prefix;
        foreach (var field in fields)
        {
            var path = basePath.Add(field.Name);
            if (field.Type is StructType s)
            {
                foreach (var leaf in Flatten(s.Fields, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return new Leaf(path, field.Type);
            }
        }
    }

    private static string A(int i, string metric) => "c" + i.ToString(CultureInfo.InvariantCulture) + "_" + metric;

    private static IEnumerable<SelectItem> Pass1Items(Leaf leaf, int i, bool small, ProfileOptions options)
    {
        var c = leaf.Column;
        yield return Fn(SqlFunctions.Count, c).As(A(i, "count"));
        if (!leaf.IsCollection)
        {
            yield return (small ? CountDistinct(c) : Fn(SqlFunctions.ApproxCountDistinct, c)).As(A(i, "distinct"));
        }

        if (leaf.IsOrdered)
        {
            yield return Fn(SqlFunctions.Min, c).As(A(i, "min"));
            yield return Fn(SqlFunctions.Max, c).As(A(i, "max"));
            yield return new CastTo(Fn(SqlFunctions.ApproxTopK, c, Num(options.TopK)), "array<string>").As(A(i, "top"));
        }

        if (leaf.IsNumeric)
        {
            yield return new CastTo(Fn(SqlFunctions.Sum, c), "string").As(A(i, "sum"));
            yield return Fn(SqlFunctions.Avg, c).As(A(i, "avg"));
            yield return Fn(SqlFunctions.StddevSamp, c).As(A(i, "stddev"));
            yield return Fn(SqlFunctions.CountIf, Eq(c, Num(0))).As(A(i, "zeros"));
            yield return Fn(SqlFunctions.CountIf, Lt(c, Num(0))).As(A(i, "negatives"));
        }

        if (leaf.IsNumeric || leaf.Primitive is { IsTemporal: true })
        {
            yield return Fn(SqlFunctions.ApproxQuantile, c, new NumberList([.. QuantileFractions])).As(A(i, "quantiles"));
        }

        if (leaf.Primitive is { IsString: true } || leaf.IsCollection)
        {
            var length = Fn(leaf.IsCollection ? SqlFunctions.Cardinality : SqlFunctions.Length, c);
            yield return Fn(SqlFunctions.Min, length).As(A(i, "len_min"));
            yield return Fn(SqlFunctions.Avg, length).As(A(i, "len_avg"));
            yield return Fn(SqlFunctions.Max, length).As(A(i, "len_max"));
        }
    }

    private static IEnumerable<SelectItem> Pass2Items(LeafStats s, bool small, long rows, ProfileOptions options)
    {
        var c = s.Leaf.Column;
        if (!small && s.Distinct is { } approx && s.Count > 0 && approx >= options.KeyLikeRatio * s.Count)
        {
            yield return CountDistinct(c).As(A(s.Index, "distinct_exact"));
        }

        for (var k = 0; k < s.TopCandidates.Length; k++)
        {
            var candidate = new CastTo(Val(s.TopCandidates[k]), s.Leaf.Primitive!.Name);
            yield return Fn(SqlFunctions.CountIf, Eq(c, candidate)).As(A(s.Index, "top" + k.ToString(CultureInfo.InvariantCulture)));
        }

        if (s.Leaf.IsNumeric && s.HistogramBounds(options.HistogramBins) is { } bounds && rows > 0)
        {
            yield return Fn(SqlFunctions.Histogram, new CastTo(c, "double"), new NumberList([.. bounds.Skip(1).Select(b => (decimal)b)])).As(A(s.Index, "histogram"));
        }
    }

    private static ColumnProfile Build(LeafStats s, long rows, bool small, ProfileOptions options, QueryResult? pass2)
    {
        long? distinct = s.Distinct;
        bool? distinctExact = s.Leaf.IsCollection ? null : small;
        if (pass2 is not null && TryGet(pass2, A(s.Index, "distinct_exact"), out var exact))
        {
            distinct = ToLong(exact);
            distinctExact = true;
        }

        var topValues = ImmutableArray.CreateBuilder<TopValue>();
        for (var k = 0; k < s.TopCandidates.Length; k++)
        {
            if (pass2 is not null && TryGet(pass2, A(s.Index, "top" + k.ToString(CultureInfo.InvariantCulture)), out var count))
            {
                topValues.Add(new TopValue(TypedFromText(s.TopCandidates[k], s.Leaf.Primitive!), ToLong(count)));
            }
        }

        Histogram? histogram = null;
        if (pass2 is not null && TryGet(pass2, A(s.Index, "histogram"), out var map) && map is IDictionary bins && s.HistogramBounds(options.HistogramBins) is { } bounds)
        {
            var counts = new long[bounds.Length - 1];
            foreach (DictionaryEntry entry in bins)
            {
                var upper = Convert.ToDouble(entry.Key, CultureInfo.InvariantCulture);
                var index = Array.FindIndex(bounds, 1, b => b >= upper) - 1;
                counts[Math.Clamp(index, 0, counts.Length - 1)] += ToLong(entry.Value);
            }

            histogram = new Histogram([.. bounds], [.. counts]);
        }

        var quantiles = ImmutableSortedDictionary.CreateBuilder<string, JsonNode?>(StringComparer.Ordinal);
        if (s.Get("quantiles") is IList values)
        {
            for (var q = 0; q < QuantileFractions.Length && q < values.Count; q++)
            {
                quantiles["p" + ((int)(QuantileFractions[q] * 100)).ToString(CultureInfo.InvariantCulture)] = ToJson(values[q]);
            }
        }

        var nulls = rows - s.Count;
        return new ColumnProfile(
            s.Leaf.Name,
            s.Leaf.Type.SparkSql,
            s.Count,
            nulls,
            rows == 0 ? 0 : (double)nulls / rows,
            distinct,
            distinctExact,
            ToJson(s.Get("min")),
            ToJson(s.Get("max")),
            Mean(s),
            s.Get("stddev") is { } sd ? Convert.ToDouble(sd, CultureInfo.InvariantCulture) : null,
            quantiles.ToImmutable(),
            QuantilesExact: false,
            topValues.OrderByDescending(t => t.Count).ToImmutableArray(),
            TopValuesExact: distinctExact == true && distinct is { } d && d <= options.TopK,
            s.Has("len_min") ? new LengthStats(NullableLong(s.Get("len_min")), s.Get("len_avg") is { } la ? Convert.ToDouble(la, CultureInfo.InvariantCulture) : null, NullableLong(s.Get("len_max"))) : null,
            s.Leaf.IsNumeric ? NullableLong(s.Get("zeros")) : null,
            s.Leaf.IsNumeric ? NullableLong(s.Get("negatives")) : null,
            histogram);
    }

    /// <summary>Decimals: the exact sum divided by the count in decimal arithmetic; other numbers: avg.</summary>
    private static JsonNode? Mean(LeafStats s)
    {
        if (!s.Leaf.IsNumeric || s.Count == 0)
        {
            return null;
        }

        if (s.Leaf.Primitive!.IsDecimal && s.Get("sum") is string sum
            && decimal.TryParse(sum, NumberStyles.Float, CultureInfo.InvariantCulture, out var exactSum))
        {
            return JsonValue.Create(exactSum / s.Count);
        }

        return s.Get("avg") is { } avg ? JsonValue.Create(Convert.ToDouble(avg, CultureInfo.InvariantCulture)) : null;
    }

    private sealed class LeafStats
    {
        private readonly QueryResult _pass1;

        public LeafStats(Leaf leaf, int index, QueryResult pass1)
        {
            Leaf = leaf;
            Index = index;
            _pass1 = pass1;
            Count = ToLong(Get("count"));
            Distinct = Has("distinct") ? NullableLong(Get("distinct")) : null;
            TopCandidates = Get("top") is IList top ? [.. top.Cast<object?>().Where(v => v is not null).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!)] : [];
        }

        public Leaf Leaf { get; }

        public int Index { get; }

        public long Count { get; }

        public long? Distinct { get; }

        public ImmutableArray<string> TopCandidates { get; }

        public bool Has(string metric) => TryGet(_pass1, A(Index, metric), out _);

        public object? Get(string metric) => TryGet(_pass1, A(Index, metric), out var value) ? value : null;

        public double[]? HistogramBounds(int bins)
        {
            if (Get("min") is not { } min || Get("max") is not { } max)
            {
                return null;
            }

            var lo = Convert.ToDouble(min, CultureInfo.InvariantCulture);
            var hi = Convert.ToDouble(max, CultureInfo.InvariantCulture);
            // Bounds are printed as decimals; values beyond decimal's range get no histogram.
            if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi <= lo || Math.Abs(lo) > 1e27 || Math.Abs(hi) > 1e27)
            {
                return null;
            }

            return [.. Enumerable.Range(0, bins + 1).Select(i => i == bins ? hi : lo + ((hi - lo) * i / bins))];
        }
    }

    private static async Task<long> ScalarLongAsync(IQueryEngine engine, SelectQuery query, CancellationToken cancellationToken) =>
        ToLong((await RunAsync(engine, query, cancellationToken)).Scalar);

    private static Task<QueryResult> RunAsync(IQueryEngine engine, SelectQuery query, CancellationToken cancellationToken)
    {
        var rendered = SqlRenderer.Render(query, engine.Dialect);
        return engine.QueryAsync(rendered.Sql, rendered.Parameters, cancellationToken);
    }

    private static bool TryGet(QueryResult result, string column, out object? value)
    {
        for (var i = 0; i < result.Columns.Length; i++)
        {
            if (result.Columns[i].Name == column)
            {
                value = result.Rows.Length > 0 ? result.Rows[0][i] : null;
                return true;
            }
        }

        value = null;
        return false;
    }

    private static long ToLong(object? value) => value is null ? 0 : Convert.ToInt64(value is BigInteger b ? (long)b : value, CultureInfo.InvariantCulture);

    private static long? NullableLong(object? value) => value is null ? null : ToLong(value);

    private static JsonNode? TypedFromText(string text, PrimitiveType type)
    {
        if (type.IsNumeric && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return type.Name == "boolean" && bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : JsonValue.Create(text);
    }

    /// <summary>A result value as JSON: numbers stay numbers, dates and times ISO text.</summary>
    internal static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        byte or sbyte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        decimal d => JsonValue.Create(d),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create((double)f),
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? JsonValue.Create((long)big) : JsonValue.Create(big.ToString(CultureInfo.InvariantCulture)),
        string s => JsonValue.Create(s),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
