using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Bench;

/// <summary>R4.4 bench: full reconciliation against the floor, a single hand-written DuckDB FULL
/// OUTER JOIN counting query over the same files, in the same process and engine. (a) Parquet at
/// --rows (default 10M) x 8 columns, (b) CSV at --csv-rows (default 2M); a few hundred planted
/// differences each. Target: reconciliation &lt;= 1.3x the floor.</summary>
internal sealed class ReconcileBench : IBench
{
    public string Name => "reconcile";

    public string Description => "reconciliation vs a hand-written FULL OUTER JOIN floor (Parquet 10M, CSV 2M; --rows, --csv-rows, --repeat)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sqlAt = Array.IndexOf(args, "--print-sql");
        if (sqlAt >= 0 && sqlAt + 2 < args.Length)
        {
            // Prints the comparison pass for two given tables (for EXPLAIN ANALYZE by hand).
            var d = ReconcileDialect.For(SqlDialect.DuckDb);
            var b = await LakeTableSource.Instance.OpenAsync(new TableRef(args[sqlAt + 1]), "b", d, cancellationToken);
            var c = await LakeTableSource.Instance.OpenAsync(new TableRef(args[sqlAt + 2]), "c", d, cancellationToken);
            await using var probe = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetDirectoryName(Path.GetFullPath(args[sqlAt + 1]))!), cancellationToken);
            var cols = (await probe.QueryAsync($"DESCRIBE SELECT * FROM {b.Sql}", null, cancellationToken)).Rows
                .Select(r => new SideColumn((string)r[0]!, (string)r[1]!)).ToImmutableArray();
            var compared = cols.Skip(1).Select(x => ColumnComparison.Create(x.Name, x.Type, x.Type)).ToImmutableArray();
            Console.WriteLine(new ReconciliationQuery(d, b, c, cols, cols, [cols[0].Name], compared, ReconcileOptions.Default).KeyedPass(null));
            return 0;
        }

        var rows = Option(args, "--rows", 10_000_000);
        var csvRows = Option(args, "--csv-rows", 2_000_000);
        var repeat = (int)Option(args, "--repeat", 2);
        var dir = Path.Combine(Path.GetTempPath(), "modernize-bench-reconcile-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(dir) with { MemoryLimit = "4GB" }, cancellationToken);
            Console.WriteLine($"engine: {engine.Name} {engine.Version}, threads {engine.Sandbox.Threads}, memory limit {engine.Sandbox.MemoryLimit}");
            var parquet = await RunCaseAsync(engine, dir, "parquet", rows, repeat, cancellationToken);
            var csv = csvRows > 0 ? await RunCaseAsync(engine, dir, "csv", csvRows, repeat, cancellationToken) : null;
            Console.WriteLine();
            Console.WriteLine(Invariant($"(a) parquet {rows:N0} rows: reconciliation {parquet.Reconcile:F2}s, floor {parquet.Floor:F2}s, ratio {parquet.Reconcile / parquet.Floor:F2}x (target <= 1.30x)"));
            if (csv is not null)
            {
                Console.WriteLine(Invariant($"(b) csv {csvRows:N0} rows: reconciliation {csv.Reconcile:F2}s, floor {csv.Floor:F2}s, ratio {csv.Reconcile / csv.Floor:F2}x; datacompy (pandas) could not be run here (no PyPI)"));
            }

            Console.WriteLine(Invariant($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MB (whole process, generation included)"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed record Timing(double Reconcile, double Floor);

    private static async Task<Timing> RunCaseAsync(DuckDbEngine engine, string dir, string format, long rows, int repeat, CancellationToken ct)
    {
        var ext = format == "csv" ? "csv" : "parquet";
        var b = Path.Combine(dir, $"baseline_{format}.{ext}");
        var c = Path.Combine(dir, $"candidate_{format}.{ext}");
        var sw = Stopwatch.StartNew();
        await GenerateAsync(engine, b, c, rows, format, ct);
        Console.WriteLine(Invariant($"[{format}] generated {rows:N0} rows x 8 columns per side in {sw.Elapsed.TotalSeconds:F1}s"));

        var read = format == "csv"
            ? "read_csv($p, header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = true)"
            : "read_parquet($p)";
        var floorSql =
            $"SELECT count(*) FILTER (WHERE b.id IS NULL) AS extra, count(*) FILTER (WHERE c.id IS NULL) AS missing, "
            + "count(*) FILTER (WHERE b.id IS NOT NULL AND c.id IS NOT NULL AND (b.qty IS DISTINCT FROM c.qty OR b.name IS DISTINCT FROM c.name "
            + "OR b.price IS DISTINCT FROM c.price OR b.d IS DISTINCT FROM c.d OR b.flag IS DISTINCT FROM c.flag OR b.category IS DISTINCT FROM c.category "
            + "OR b.amount IS DISTINCT FROM c.amount)) AS changed, count(*) AS total "
            + $"FROM {read.Replace("$p", "$b", StringComparison.Ordinal)} b FULL OUTER JOIN {read.Replace("$p", "$c", StringComparison.Ordinal)} c ON b.id = c.id";
        double bestFloor = double.MaxValue, bestReconcile = double.MaxValue;
        for (var run = 0; run < repeat; run++)
        {
            sw.Restart();
            var floor = await engine.QueryAsync(floorSql, [new QueryParameter("b", b), new QueryParameter("c", c)], ct);
            var floorSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var options = ReconcileOptions.Default with { DiffPath = Path.Combine(dir, $"diff_{format}.parquet") };
            var verdict = await new Reconciler(engine).ReconcileAsync(new ReconcileRequest(new TableRef(b), new TableRef(c), ["id"], options), ct);
            var reconcileSeconds = sw.Elapsed.TotalSeconds;
            if (verdict.Status == ReconciliationStatus.Error)
            {
                throw new InvalidOperationException(verdict.Error);
            }

            var r = verdict.Rows;
            var mismatched = string.Join(", ", verdict.Columns.Where(x => x.Mismatches > 0).Select(x => Invariant($"{x.Name}={x.Mismatches}")));
            Console.WriteLine(Invariant(
                $"[{format}] run {run + 1}: floor {floorSeconds:F2}s (changed {floor.Rows[0][2]}, missing {floor.Rows[0][1]}, extra {floor.Rows[0][0]}); reconciliation {reconcileSeconds:F2}s (matched {r.Matched}, changed {r.Changed}, missing {r.MissingInCandidate}, extra {r.ExtraInCandidate}, duplicate_keys {r.DuplicateKeys}, columns with mismatches: {mismatched}); ratio {reconcileSeconds / floorSeconds:F2}x"));
            bestFloor = Math.Min(bestFloor, floorSeconds);
            bestReconcile = Math.Min(bestReconcile, reconcileSeconds);
        }

        return new Timing(bestReconcile, bestFloor);
    }

    /// <summary>8 columns (BIGINT id, INTEGER qty, VARCHAR name, DOUBLE price, DATE d, BOOLEAN flag,
    /// VARCHAR category, DOUBLE amount); planted: ~100 prices changed, ~100 names nulled, ~50 rows
    /// missing, 50 extra rows.</summary>
    internal static async Task GenerateAsync(DuckDbEngine engine, string b, string c, long rows, string format, CancellationToken ct)
    {
        var step = Math.Max(rows / 100, 7);
        var missingStep = Math.Max(rows / 50, 11);
        var copy = format == "csv" ? "(FORMAT csv, HEADER true)" : "(FORMAT parquet)";
        var source = format == "csv"
            ? "read_csv($b, header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = true)"
            : "read_parquet($b)";
        await engine.ExecuteAsync(
            "COPY (SELECT i AS id, CAST((i * 7919) % 1000003 AS INTEGER) AS qty, 'name_' || (i % 100000) AS name, (i % 1000) / 7.0 AS price, "
            + "DATE '2020-01-01' + CAST(i % 2000 AS INTEGER) AS d, (i % 3 = 0) AS flag, 'cat' || (i % 50) AS category, (i % 100000) * 1.25 AS amount "
            + $"FROM range({rows.ToString(CultureInfo.InvariantCulture)}) t(i)) TO $b {copy}",
            [new QueryParameter("b", b)],
            ct);
        await engine.ExecuteAsync(
            $"COPY (SELECT id, qty, CASE WHEN id % {step} = 1 THEN NULL ELSE name END AS name, CASE WHEN id % {step} = 0 THEN price + 0.01 ELSE price END AS price, "
            + $"d, flag, category, amount FROM {source} WHERE id % {missingStep} <> 2 "
            + $"UNION ALL SELECT {rows} + i, 1, 'extra', 1.0, DATE '2020-01-01', true, 'c', 1.0 FROM range(50) t(i)) TO $c {copy}",
            [new QueryParameter("b", b), new QueryParameter("c", c)],
            ct);
    }

    private static long Option(string[] args, string name, long fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
