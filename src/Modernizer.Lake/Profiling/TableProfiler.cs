using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Queries;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Queries.Sql;

namespace Modernizer.Lake.Profiling;

/// <summary>The Data Profiler (R2.2). Pass 1 is one aggregate query over every column (counts,
/// nulls, min/max, mean/stddev, approximate quantiles, lengths or sizes, zero/negative counts,
/// top-k candidates, and on large tables distinct estimates); pass 2 is one more aggregate for
/// what needs pass 1's answers: exact counts of the top-k candidates, exact distinct counts,
/// histogram bins.
///
/// Distinct counts are exact (<c>count(DISTINCT)</c>) on tables up to
/// <see cref="ProfileOptions.ExactDistinctMaxRows"/> rows. On larger tables pass 1 estimates them
/// with HyperLogLog, whose error (DuckDB's sketch is often 5-25% off) is too large to report as a
/// count, so pass 2 recounts exactly every column whose estimate is below
/// <see cref="ProfileOptions.ExactDistinctBelow"/> or that looks like a key; only the remaining
/// columns keep an estimate, marked <c>distinct_exact: false</c>.
///
/// Each metric is planned only for types it applies to (sizes of arrays and maps, lengths of
/// strings, sums of numbers). Should the engine still refuse one, the column's metrics are run
/// alone and the failing metric is left out of that column (listed in <c>omitted</c>) rather than
/// failing the table; a column whose values cannot even be counted fails the table with an error
/// naming the table and the column.</summary>
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

        long rows;
        try
        {
            rows = ToLong((await RunAsync(engine, Select(CountAll().As("rows")).From(relation), cancellationToken)).Scalar);
        }
        catch (DuckDBException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LakeTableException(snapshot.TablePath, $"its rows cannot be read ({FirstLine(e)})", e);
        }

        var exactDistinct = rows <= options.ExactDistinctMaxRows;
        var results = new MetricResults();
        var pass1 = leaves.SelectMany((leaf, i) => Pass1Metrics(leaf, i, exactDistinct, options)).ToList();
        await RunMetricsAsync(engine, relation, snapshot.TablePath, leaves, pass1, results, cancellationToken);
        var stats = leaves.Select((leaf, i) => new LeafStats(leaf, i, results)).ToList();

        var pass2 = stats.SelectMany(s => Pass2Metrics(s, exactDistinct, rows, options)).ToList();
        await RunMetricsAsync(engine, relation, snapshot.TablePath, leaves, pass2, results, cancellationToken);

        var columns = stats.Select(s => Build(s, rows, options, results)).ToImmutableArray();
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

        public bool IsDecimal => Primitive is { IsDecimal: true };

        public bool IsOrdered => Primitive is { Name: not "binary" and not "void" };

        public bool IsCollection => Type is ArrayType or MapType;
    }

    /// <summary>One aggregate of one column, named <c>c{leaf}_{name}</c> in the result.</summary>
    private sealed record Metric(int Leaf, string Name, SqlExpr Expression)
    {
        public SelectItem Item => Expression.As(A(Leaf, Name));
    }

    /// <summary>Values by result column name, and the metrics each column had to leave out.</summary>
    private sealed class MetricResults
    {
        public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<int, List<string>> Omitted { get; } = [];

        public void Add(QueryResult result)
        {
            for (var i = 0; i < result.Columns.Length; i++)
            {
                Values[result.Columns[i].Name] = result.Rows.Length > 0 ? result.Rows[0][i] : null;
            }
        }

        public void Omit(int leaf, string metric, string reason)
        {
            if (!Omitted.TryGetValue(leaf, out var list))
            {
                Omitted[leaf] = list = [];
            }

            list.Add($"{metric}: {reason}");
        }
    }

    /// <summary>Structs are flattened to their fields (<c>info.city</c>); arrays and maps, whatever
    /// they hold, are profiled as values.</summary>
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

    private static IEnumerable<Metric> Pass1Metrics(Leaf leaf, int i, bool exactDistinct, ProfileOptions options)
    {
        var c = leaf.Column;
        yield return new Metric(i, "count", Fn(SqlFunctions.Count, c));
        if (!leaf.IsCollection && !exactDistinct)
        {
            yield return new Metric(i, "distinct", Fn(SqlFunctions.ApproxCountDistinct, c));
        }

        if (leaf.IsOrdered)
        {
            // Decimals travel as text: DECIMAL(38, s) values do not all fit .NET's decimal.
            yield return new Metric(i, "min", leaf.IsDecimal ? new CastTo(Fn(SqlFunctions.Min, c), "string") : Fn(SqlFunctions.Min, c));
            yield return new Metric(i, "max", leaf.IsDecimal ? new CastTo(Fn(SqlFunctions.Max, c), "string") : Fn(SqlFunctions.Max, c));
            yield return new Metric(i, "top", new CastTo(Fn(SqlFunctions.ApproxTopK, c, Num(options.TopK)), "array<string>"));
        }

        if (leaf.IsNumeric)
        {
            var asDouble = new CastTo(c, "double");
            if (leaf.IsDecimal)
            {
                yield return new Metric(i, "sum", new CastTo(Fn(SqlFunctions.Sum, c), "string"));
            }

            yield return new Metric(i, "avg", Fn(SqlFunctions.Avg, leaf.IsDecimal ? asDouble : c));
            yield return new Metric(i, "stddev", Fn(SqlFunctions.StddevSamp, asDouble));
            yield return new Metric(i, "zeros", Fn(SqlFunctions.CountIf, Eq(c, Num(0))));
            yield return new Metric(i, "negatives", Fn(SqlFunctions.CountIf, Lt(c, Num(0))));
        }

        if (leaf.IsNumeric || leaf.Primitive is { IsTemporal: true })
        {
            var quantiles = Fn(SqlFunctions.ApproxQuantile, c, new NumberList([.. QuantileFractions]));
            yield return new Metric(i, "quantiles", leaf.IsDecimal ? new CastTo(quantiles, "array<string>") : quantiles);
        }

        if (leaf.Primitive is { IsString: true } || leaf.IsCollection)
        {
            var length = Fn(leaf.Type switch
            {
                MapType => SqlFunctions.MapCardinality,
                ArrayType => SqlFunctions.Cardinality,
                _ => SqlFunctions.Length,
            }, c);
            yield return new Metric(i, "len_min", Fn(SqlFunctions.Min, length));
            yield return new Metric(i, "len_avg", Fn(SqlFunctions.Avg, length));
            yield return new Metric(i, "len_max", Fn(SqlFunctions.Max, length));
        }
    }

    private static IEnumerable<Metric> Pass2Metrics(LeafStats s, bool exactDistinct, long rows, ProfileOptions options)
    {
        var c = s.Leaf.Column;
        // Exact distinct counts run here rather than in pass 1: DuckDB evaluates a query holding
        // DISTINCT aggregates more slowly as a whole, while here they join a light query.
        if (!s.Leaf.IsCollection && (exactDistinct
            || (s.Distinct is { } approx && s.Count > 0 && (approx < options.ExactDistinctBelow || approx >= options.KeyLikeRatio * s.Count))))
        {
            yield return new Metric(s.Index, "distinct_exact", CountDistinct(c));
        }

        for (var k = 0; k < s.TopCandidates.Length; k++)
        {
            var candidate = new CastTo(Val(s.TopCandidates[k]), s.Leaf.Primitive!.Name);
            yield return new Metric(s.Index, "top" + k.ToString(CultureInfo.InvariantCulture), Fn(SqlFunctions.CountIf, Eq(c, candidate)));
        }

        if (s.Leaf.IsNumeric && s.HistogramBounds(options.HistogramBins) is { } bounds && rows > 0)
        {
            yield return new Metric(s.Index, "histogram", Fn(SqlFunctions.Histogram, new CastTo(c, "double"), new NumberList([.. bounds.Skip(1).Select(b => (decimal)b)])));
        }
    }

    /// <summary>Runs metrics as one query; if the engine refuses it, per column, then per metric,
    /// leaving out only what fails.</summary>
    private static async Task RunMetricsAsync(
        IQueryEngine engine, Relation relation, string table, List<Leaf> leaves, List<Metric> metrics, MetricResults results, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        if (await TryRunAsync(engine, relation, metrics, results, cancellationToken) is null)
        {
            return;
        }

        foreach (var column in metrics.GroupBy(m => m.Leaf))
        {
            if (await TryRunAsync(engine, relation, [.. column], results, cancellationToken) is null)
            {
                continue;
            }

            foreach (var metric in column)
            {
                if (await TryRunAsync(engine, relation, [metric], results, cancellationToken) is not { } error)
                {
                    continue;
                }

                if (metric.Name == "count")
                {
                    throw new LakeTableException(table, $"column '{leaves[metric.Leaf].Name}' ({leaves[metric.Leaf].Type.SparkSql}) cannot be read: {FirstLine(error)}", error);
                }

                results.Omit(metric.Leaf, metric.Name, FirstLine(error));
            }
        }
    }

    /// <summary>Null when the metrics were computed; else what the engine (or the conversion of
    /// its answer) said.</summary>
    private static async Task<Exception?> TryRunAsync(IQueryEngine engine, Relation relation, List<Metric> metrics, MetricResults results, CancellationToken cancellationToken)
    {
        try
        {
            results.Add(await RunAsync(engine, Select(metrics.Select(m => m.Item)).From(relation), cancellationToken));
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is DuckDBException or OverflowException or InvalidCastException or NotSupportedException or FormatException)
        {
            return e;
        }
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0].Trim();

    private static ColumnProfile Build(LeafStats s, long rows, ProfileOptions options, MetricResults results)
    {
        long? distinct = s.Distinct;
        bool? distinctExact = distinct is null ? null : false;
        if (results.Values.TryGetValue(A(s.Index, "distinct_exact"), out var exact))
        {
            distinct = ToLong(exact);
            distinctExact = true;
        }

        var topValues = ImmutableArray.CreateBuilder<TopValue>();
        for (var k = 0; k < s.TopCandidates.Length; k++)
        {
            if (results.Values.TryGetValue(A(s.Index, "top" + k.ToString(CultureInfo.InvariantCulture)), out var count))
            {
                topValues.Add(new TopValue(TypedFromText(s.TopCandidates[k], s.Leaf.Primitive!), ToLong(count)));
            }
        }

        Histogram? histogram = null;
        if (results.Values.TryGetValue(A(s.Index, "histogram"), out var map) && map is IDictionary bins && s.HistogramBounds(options.HistogramBins) is { } bounds)
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
                quantiles["p" + ((int)(QuantileFractions[q] * 100)).ToString(CultureInfo.InvariantCulture)] = s.Leaf.IsDecimal && values[q] is string text
                    ? TypedFromText(text, s.Leaf.Primitive!)
                    : ToJson(values[q]);
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
            s.Leaf.IsDecimal && s.Get("min") is string min ? TypedFromText(min, s.Leaf.Primitive!) : ToJson(s.Get("min")),
            s.Leaf.IsDecimal && s.Get("max") is string max ? TypedFromText(max, s.Leaf.Primitive!) : ToJson(s.Get("max")),
            Mean(s),
            s.Get("stddev") is { } sd ? Convert.ToDouble(sd, CultureInfo.InvariantCulture) : null,
            quantiles.ToImmutable(),
            QuantilesExact: false,
            topValues.OrderByDescending(t => t.Count).ToImmutableArray(),
            TopValuesExact: distinctExact == true && distinct is { } d && d <= options.TopK,
            s.Has("len_min") ? new LengthStats(NullableLong(s.Get("len_min")), s.Get("len_avg") is { } la ? Convert.ToDouble(la, CultureInfo.InvariantCulture) : null, NullableLong(s.Get("len_max"))) : null,
            s.Leaf.IsNumeric ? NullableLong(s.Get("zeros")) : null,
            s.Leaf.IsNumeric ? NullableLong(s.Get("negatives")) : null,
            histogram)
        {
            Omitted = results.Omitted.TryGetValue(s.Index, out var omitted) ? [.. omitted] : [],
        };
    }

    /// <summary>Decimals: the exact sum divided by the count in decimal arithmetic; other numbers: avg.</summary>
    private static JsonNode? Mean(LeafStats s)
    {
        if (!s.Leaf.IsNumeric || s.Count == 0)
        {
            return null;
        }

        if (s.Leaf.Primitive!.IsDecimal && s.Get("sum") is string sum && TryExactDecimal(sum, out var exactSum))
        {
            return JsonValue.Create(exactSum / s.Count);
        }

        return s.Get("avg") is { } avg ? Number(Convert.ToDouble(avg, CultureInfo.InvariantCulture)) : null;
    }

    private sealed class LeafStats
    {
        private readonly MetricResults _results;

        public LeafStats(Leaf leaf, int index, MetricResults results)
        {
            Leaf = leaf;
            Index = index;
            _results = results;
            Count = ToLong(Get("count"));
            Distinct = Has("distinct") ? NullableLong(Get("distinct")) : null;
            TopCandidates = Get("top") is IList top ? [.. top.Cast<object?>().Where(v => v is not null).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!)] : [];
        }

        public Leaf Leaf { get; }

        public int Index { get; }

        public long Count { get; }

        public long? Distinct { get; }

        public ImmutableArray<string> TopCandidates { get; }

        public bool Has(string metric) => _results.Values.ContainsKey(A(Index, metric));

        public object? Get(string metric) => _results.Values.GetValueOrDefault(A(Index, metric));

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

    private static Task<QueryResult> RunAsync(IQueryEngine engine, SelectQuery query, CancellationToken cancellationToken)
    {
        var rendered = SqlRenderer.Render(query, engine.Dialect);
        return engine.QueryAsync(rendered.Sql, rendered.Parameters, cancellationToken);
    }

    private static long ToLong(object? value) => value is null ? 0 : Convert.ToInt64(value is BigInteger b ? (long)b : value, CultureInfo.InvariantCulture);

    private static long? NullableLong(object? value) => value is null ? null : ToLong(value);

    private static JsonNode? TypedFromText(string text, PrimitiveType type)
    {
        if (type.IsDecimal)
        {
            // More digits than .NET's decimal holds stay text rather than being rounded.
            return TryExactDecimal(text, out var exact) ? JsonValue.Create(exact) : JsonValue.Create(text);
        }

        if (type.IsNumeric && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return type.Name == "boolean" && bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : JsonValue.Create(text);
    }

    /// <summary>A decimal literal that <see cref="decimal"/> holds without rounding (28 digits).</summary>
    private static bool TryExactDecimal(string text, out decimal value)
    {
        var digits = text.Count(char.IsAsciiDigit) - text.TakeWhile(c => !char.IsAsciiDigit(c) || c == '0').Count(c => c == '0');
        value = 0;
        return digits <= 28 && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>JSON has no NaN or infinity: those are written as the text "NaN", "Infinity", "-Infinity".</summary>
    private static JsonValue Number(double d) =>
        double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));

    /// <summary>A result value as JSON: numbers stay numbers, dates and times ISO text.</summary>
    internal static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        byte or sbyte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        decimal d => JsonValue.Create(d),
        double d => Number(d),
        float f => Number(f),
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? JsonValue.Create((long)big) : JsonValue.Create(big.ToString(CultureInfo.InvariantCulture)),
        string s => JsonValue.Create(s),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
