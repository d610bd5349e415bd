using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Reconciliation;

/// <summary>The Validation Reconciler's engine (R4.4, P1): reconciles a candidate table against
/// its baseline, exactly and with multiset semantics, entirely as set-based SQL in the engine.
/// Callers serialize their use of one engine, as with <see cref="IQueryEngine"/> itself.</summary>
public sealed partial class Reconciler
{
    /// <summary>Recorded in every verdict: how values are canonicalized and hashed.</summary>
    public const string EncodingVersion = "rc-enc-1";

    private static readonly string[] KeyFamilies = ["Integer", "Text", "Date", "Decimal", "Timestamp"];
    private const int MaxInferredKeyCandidates = 16;

    private readonly IQueryEngine _engine;
    private readonly ITableSource _source;

    public Reconciler(IQueryEngine engine)
        : this(engine, LakeTableSource.Instance)
    {
    }

    internal Reconciler(IQueryEngine engine, ITableSource source)
    {
        _engine = engine;
        _source = source;
    }

    /// <summary>Reconciles; bad input and engine failures yield a verdict with status
    /// <see cref="ReconciliationStatus.Error"/> and a message naming the table, never an exception.</summary>
    public async Task<ReconciliationVerdict> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await RunAsync(request, cancellationToken);
        }
        catch (ReconciliationInputException e)
        {
            return ErrorVerdict(request, e.Message);
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            return ErrorVerdict(request, "The engine failed while reconciling: " + e.Message);
        }
        catch (IOException e)
        {
            return ErrorVerdict(request, e.Message);
        }
    }

    private async Task<ReconciliationVerdict> RunAsync(ReconcileRequest request, CancellationToken ct)
    {
        var d = ReconcileDialect.For(_engine.Dialect);
        var baseline = await _source.OpenAsync(request.Baseline, "rc_baseline", d, ct);
        var candidate = await _source.OpenAsync(request.Candidate, "rc_candidate", d, ct);
        return await CompareAsync(request, d, baseline, candidate, ct);
    }

    private async Task<ReconciliationVerdict> CompareAsync(ReconcileRequest request, ReconcileDialect d, SourceRelation baseline, SourceRelation candidate, CancellationToken ct)
    {
        var options = request.Options;
        var baselineColumns = await DescribeAsync(d, baseline, ct);
        var candidateColumns = await DescribeAsync(d, candidate, ct);
        var schemaDiff = await DiffSchemasAsync(d, baseline, candidate, baselineColumns, candidateColumns, ct);

        var common = baselineColumns.Where(b => candidateColumns.Any(c => c.Name == b.Name)).Select(b => b.Name).ToImmutableArray();
        var notes = ImmutableArray.CreateBuilder<string>();
        var (key, keySource) = await ResolveKeyAsync(request, d, baseline, candidate, baselineColumns, candidateColumns, common, notes, ct);
        var compared = common.Where(n => !key.Contains(n, StringComparer.Ordinal))
            .Select(n => ColumnComparison.Create(n, baselineColumns.First(b => b.Name == n).Type, candidateColumns.First(c => c.Name == n).Type))
            .ToImmutableArray();
        Validate(request, key, compared);

        var query = new ReconciliationQuery(d, baseline, candidate, baselineColumns, candidateColumns, key, compared, options);
        var run = key.IsEmpty
            ? await RunKeylessAsync(query, request, notes, ct)
            : await RunKeyedAsync(query, request, notes, ct);
        run.Counts.AssertEveryRowClassified();

        var columns = BuildColumns(baselineColumns, candidateColumns, key, compared, run, options);
        var counts = run.Counts;
        var denominator = counts.Matched + counts.Changed + counts.Missing + counts.Extra + counts.DuplicatesBaseline + counts.DuplicatesCandidate;
        var schemaFails = schemaDiff.ChangesColumns
            || (options.StrictSchema && (!schemaDiff.TypeDifferences.IsEmpty || schemaDiff.ColumnOrderDiffers || !schemaDiff.NullabilityDifferences.IsEmpty));
        var exactMatch = denominator == counts.Matched && !schemaFails;
        var waivedMatch = denominator == counts.MatchedWaived && !schemaFails;
        return new ReconciliationVerdict
        {
            Status = exactMatch ? ReconciliationStatus.Match : ReconciliationStatus.Mismatch,
            MatchRate = Rate(counts.Matched, denominator),
            Rows = new RowCounts(
                counts.Baseline, counts.Candidate, counts.Matched, counts.Changed, counts.Missing, counts.Extra,
                counts.DuplicatesBaseline + counts.DuplicatesCandidate, counts.DuplicatesBaseline, counts.DuplicatesCandidate,
                key.IsEmpty ? null : counts.NullKeysBaseline, key.IsEmpty ? null : counts.NullKeysCandidate),
            Columns = columns,
            Key = key,
            Samples = run.Samples,
            Mode = key.IsEmpty ? ReconciliationMode.Keyless : ReconciliationMode.Keyed,
            KeySource = keySource,
            Waived = new WaivedResult(
                waivedMatch ? ReconciliationStatus.Match : ReconciliationStatus.Mismatch,
                Rate(counts.MatchedWaived, denominator),
                counts.MatchedWaived,
                counts.Matched + counts.Changed - counts.MatchedWaived),
            SchemaDiff = schemaDiff,
            Waivers = options.Waivers,
            NondeterministicColumns = options.NondeterministicColumns,
            FloatPolicy = options.FloatPolicy,
            EncodingVersion = EncodingVersion,
            Engine = EngineInfoOf(),
            Baseline = baseline.Info,
            Candidate = candidate.Info,
            ConfigHash = ConfigHash(request),
            DiffPath = run.DiffPath,
            Error = null,
            Notes = notes.ToImmutable(),
        };
    }

    private static double Rate(long matched, long denominator) => denominator == 0 ? 1.0 : (double)matched / denominator;

    private static void Validate(ReconcileRequest request, ImmutableArray<string> key, ImmutableArray<ColumnComparison> compared)
    {
        foreach (var waiver in request.Options.Waivers)
        {
            var column = compared.FirstOrDefault(c => c.Name == waiver.Column)
                ?? throw new ReconciliationInputException($"Waiver on '{waiver.Column}': no such compared column on both sides (key columns cannot be waived).");
            var numeric = column.Family is TypeFamily.Integer or TypeFamily.Decimal or TypeFamily.Float;
            if (waiver.Kind == WaiverKind.Duration ? column.Family != TypeFamily.Timestamp : !numeric)
            {
                throw new ReconciliationInputException($"Waiver on '{waiver.Column}': a {waiver.Kind} waiver does not apply to a column of type {column.BaselineType}.");
            }
        }

        if (key.IsEmpty && !request.Options.FloatPolicy.NanEqualsNan)
        {
            throw new ReconciliationInputException("The NaN-distinct float policy needs a key: keyless mode matches whole rows by their canonical encoding.");
        }
    }

    private async Task<ImmutableArray<SideColumn>> DescribeAsync(ReconcileDialect d, SourceRelation relation, CancellationToken ct)
    {
        var sql = d.Dialect == SqlDialect.DuckDb ? $"DESCRIBE SELECT * FROM {relation.Sql}" : $"DESCRIBE QUERY SELECT * FROM {relation.Sql}";
        try
        {
            var result = await _engine.QueryAsync(sql, relation.Parameters, ct);
            var columns = result.Rows
                .Where(r => r[0] is string name && !name.StartsWith('#'))
                .Select(r => new SideColumn((string)r[0]!, Convert.ToString(r[1], CultureInfo.InvariantCulture)!))
                .ToImmutableArray();
            if (columns.Any(c => c.Name.StartsWith("__rc_", StringComparison.Ordinal)))
            {
                throw new ReconciliationInputException($"Cannot reconcile table '{relation.Info.Path}': column names starting with '__rc_' are reserved.");
            }

            return columns;
        }
        catch (DbException e)
        {
            throw new ReconciliationInputException($"Cannot read table '{relation.Info.Path}': {FirstLine(e.Message)}", e);
        }
    }

    private async Task<SchemaDiff> DiffSchemasAsync(
        ReconcileDialect d,
        SourceRelation baseline,
        SourceRelation candidate,
        ImmutableArray<SideColumn> b,
        ImmutableArray<SideColumn> c,
        CancellationToken ct)
    {
        var bNames = b.Select(x => x.Name).ToImmutableArray();
        var cNames = c.Select(x => x.Name).ToImmutableArray();
        var types = b.Join(c, x => x.Name, y => y.Name, (x, y) => (x, y))
            .Where(p => !string.Equals(p.x.Type, p.y.Type, StringComparison.OrdinalIgnoreCase))
            .Select(p => new TypeDifference(p.x.Name, p.x.Type, p.y.Type))
            .ToImmutableArray();
        var bNullable = await NullabilityAsync(d, baseline, ct);
        var cNullable = await NullabilityAsync(d, candidate, ct);
        var nullability = bNames.Where(n => bNullable.TryGetValue(n, out var x) && cNullable.TryGetValue(n, out var y) && x != y).ToImmutableArray();
        var commonInB = bNames.Where(cNames.Contains).ToList();
        var commonInC = cNames.Where(bNames.Contains).ToList();
        return new SchemaDiff(
            bNames.Where(n => !cNames.Contains(n)).ToImmutableArray(),
            cNames.Where(n => !bNames.Contains(n)).ToImmutableArray(),
            types,
            nullability,
            !commonInB.SequenceEqual(commonInC, StringComparer.Ordinal),
            bNames,
            cNames);
    }

    /// <summary>Declared nullability: from the Delta schema, from the Parquet footers (OPTIONAL vs
    /// REQUIRED), unknown for CSV.</summary>
    private async Task<IReadOnlyDictionary<string, bool>> NullabilityAsync(ReconcileDialect d, SourceRelation relation, CancellationToken ct)
    {
        if (relation.Nullability is not null)
        {
            return relation.Nullability;
        }

        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (d.Dialect != SqlDialect.DuckDb || relation.ParquetFiles.IsEmpty)
        {
            return result;
        }

        // Paths come from the folder listing of the table the caller named; quoted as literals.
        var files = "[" + string.Join(", ", relation.ParquetFiles.Select(d.Literal)) + "]";
        var rows = await _engine.QueryAsync($"SELECT name, bool_or(repetition_type <> 'REQUIRED') FROM parquet_schema({files}) GROUP BY name", null, ct);
        foreach (var row in rows.Rows)
        {
            if (row[0] is string name && row[1] is bool nullable)
            {
                result[name] = nullable;
            }
        }

        return result;
    }

    private async Task<(ImmutableArray<string> Key, KeySource Source)> ResolveKeyAsync(
        ReconcileRequest request,
        ReconcileDialect d,
        SourceRelation baseline,
        SourceRelation candidate,
        ImmutableArray<SideColumn> b,
        ImmutableArray<SideColumn> c,
        ImmutableArray<string> common,
        ImmutableArray<string>.Builder notes,
        CancellationToken ct)
    {
        if (!request.Key.IsDefaultOrEmpty)
        {
            foreach (var k in request.Key)
            {
                if (!b.Any(x => x.Name == k))
                {
                    throw new ReconciliationInputException($"Key column '{k}' is not in the baseline table '{request.Baseline.Path}'.");
                }

                if (!c.Any(x => x.Name == k))
                {
                    throw new ReconciliationInputException($"Key column '{k}' is not in the candidate table '{request.Candidate.Path}'.");
                }
            }

            return (request.Key, KeySource.Given);
        }

        if (request.Options.Keyless)
        {
            notes.Add("Keyless multiset mode was requested.");
            return ([], KeySource.None);
        }

        var candidates = common
            .Where(n => KeyFamilies.Contains(ColumnComparison.Create(n, b.First(x => x.Name == n).Type, c.First(x => x.Name == n).Type).Family.ToString()))
            .Take(MaxInferredKeyCandidates)
            .ToImmutableArray();
        if (!candidates.IsEmpty)
        {
            var probe = new ReconciliationQuery(d, baseline, candidate, b, c, [], [], request.Options);
            var pb = (await _engine.QueryAsync(probe.KeyProfile(true, candidates), baseline.Parameters, ct)).Rows[0];
            var pc = (await _engine.QueryAsync(probe.KeyProfile(false, candidates), candidate.Parameters, ct)).Rows[0];
            long nb = ToLong(pb[0]), nc = ToLong(pc[0]);
            for (var i = 0; i < candidates.Length && nb > 0 && nc > 0; i++)
            {
                if (ToLong(pb[1 + (2 * i)]) == nb && ToLong(pb[2 + (2 * i)]) == nb && ToLong(pc[1 + (2 * i)]) == nc && ToLong(pc[2 + (2 * i)]) == nc)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"Key '{candidates[i]}' inferred: unique and non-null on both sides ({nb} and {nc} rows, exact distinct counts)."));
                    return ([candidates[i]], KeySource.Inferred);
                }
            }
        }

        notes.Add("No column is unique and non-null on both sides: keyless multiset mode (rows matched by their 128-bit hash, copies counted).");
        return ([], KeySource.None);
    }

    private static ImmutableArray<ColumnResult> BuildColumns(
        ImmutableArray<SideColumn> b,
        ImmutableArray<SideColumn> c,
        ImmutableArray<string> key,
        ImmutableArray<ColumnComparison> compared,
        ComparisonRun run,
        ReconcileOptions options)
    {
        var counts = run.Counts;
        var pairs = key.IsEmpty ? Math.Max(counts.Baseline, counts.Candidate) : counts.Matched + counts.Changed;
        double? RateOf(long mismatches) => pairs == 0 ? null : 1.0 - ((double)mismatches / pairs);
        var result = ImmutableArray.CreateBuilder<ColumnResult>();
        foreach (var column in b.Concat(c.Where(x => !b.Any(y => y.Name == x.Name))))
        {
            var bType = b.FirstOrDefault(x => x.Name == column.Name)?.Type;
            var cType = c.FirstOrDefault(x => x.Name == column.Name)?.Type;
            var nondeterministic = options.NondeterministicColumns.Contains(column.Name, StringComparer.Ordinal);
            var index = compared.IndexOf(compared.FirstOrDefault(x => x.Name == column.Name)!);
            if (key.Contains(column.Name, StringComparer.Ordinal))
            {
                result.Add(new ColumnResult(column.Name, 0, pairs == 0 ? null : 1.0, 0, bType, cType, true, nondeterministic));
            }
            else if (bType is null || cType is null)
            {
                var rows = bType is null ? counts.Candidate : counts.Baseline;
                result.Add(new ColumnResult(column.Name, rows, rows == 0 ? null : 0.0, rows, bType, cType, false, nondeterministic));
            }
            else
            {
                var mismatches = run.ColumnMismatches[index];
                var waived = run.ColumnWaivedMismatches[index];
                result.Add(new ColumnResult(column.Name, mismatches, RateOf(mismatches), waived, bType, cType, true, nondeterministic)
                {
                    NullsIntroduced = run.NullShifts?[index].Introduced,
                    NullsFilled = run.NullShifts?[index].Filled,
                });
            }
        }

        return result.ToImmutable();
    }

    private EngineInfo EngineInfoOf() => new(_engine.Name, _engine.Version, _engine.Dialect == SqlDialect.DuckDb ? "duckdb" : "spark_sql");

    private ReconciliationVerdict ErrorVerdict(ReconcileRequest request, string message) => new()
    {
        Status = ReconciliationStatus.Error,
        MatchRate = null,
        Rows = RowCounts.Unknown,
        Columns = [],
        Key = request.Key.IsDefault ? [] : request.Key,
        Samples = [],
        Mode = null,
        KeySource = null,
        Waived = null,
        SchemaDiff = null,
        Waivers = request.Options.Waivers,
        NondeterministicColumns = request.Options.NondeterministicColumns,
        FloatPolicy = request.Options.FloatPolicy,
        EncodingVersion = EncodingVersion,
        Engine = EngineInfoOf(),
        Baseline = new TableInfo(request.Baseline.Path, request.Baseline.Format.ToString().ToLowerInvariant(), request.Baseline.Version),
        Candidate = new TableInfo(request.Candidate.Path, request.Candidate.Format.ToString().ToLowerInvariant(), request.Candidate.Version),
        ConfigHash = ConfigHash(request),
        DiffPath = null,
        Error = message,
        Notes = [],
    };

    /// <summary>SHA-256 over what decides the verdict: key, options and the encoding version.</summary>
    internal static string ConfigHash(ReconcileRequest request)
    {
        var config = new ConfigHashInput(request.Key.IsDefault ? [] : request.Key, request.Options with { DiffPath = null }, EncodingVersion);
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(config, ReconciliationJson.Compact)));
    }

    internal static long ToLong(object? value) => value switch
    {
        null => 0,
        long l => l,
        int i => i,
        ulong u => checked((long)u),
        decimal m => (long)m,
        BigInteger big => (long)big,
        Int128 i128 => (long)i128,
        UInt128 u128 => (long)u128,
        string s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
