using System.Diagnostics;
using System.Globalization;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Profiling;
using Modernizer.Lake.Tables;

namespace Modernizer.Bench;

/// <summary>R2.2 / issue "Show it": profile a generated table (default 10M rows x 12 columns) and
/// run DuckDB's SUMMARIZE on the same files in the same run; the anchor is SUMMARIZE, target
/// ratio &lt;= 1.5.</summary>
internal sealed class ProfilerBench : IBench
{
    public string Name => "profiler";

    public string Description => "profile a generated 10M x 12 Delta table vs DuckDB SUMMARIZE [rows]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var root = Path.Combine(Path.GetTempPath(), "modernize-bench-profiler-" + Guid.NewGuid().ToString("N"));
        var table = Path.Combine(root, "orders");
        Directory.CreateDirectory(Path.Combine(table, "_delta_log"));
        try
        {
            var generate = Stopwatch.StartNew();
            await GenerateAsync(table, rows, cancellationToken);
            Console.WriteLine($"generated {rows:N0} rows x 12 columns in {generate.Elapsed.TotalSeconds:F1} s");

            await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(root) with { MemoryLimit = "4GB" }, cancellationToken);
            var files = string.Join(", ", Directory.EnumerateFiles(table, "*.parquet").Order(StringComparer.Ordinal).Select(DuckDbEngine.Literal));

            // Warm the OS cache once so neither side pays the first read.
            await engine.QueryAsync($"SELECT count(*) FROM read_parquet([{files}])", null, cancellationToken);

            var summarize = Stopwatch.StartNew();
            await engine.QueryAsync($"SUMMARIZE SELECT * FROM read_parquet([{files}])", null, cancellationToken);
            summarize.Stop();

            var profileTime = Stopwatch.StartNew();
            var snapshot = await LakeTable.OpenAsync(table, null, cancellationToken);
            var profile = await TableProfiler.ProfileAsync(snapshot, engine, ProfileOptions.Default, cancellationToken);
            profileTime.Stop();

            var ratio = profileTime.Elapsed.TotalSeconds / summarize.Elapsed.TotalSeconds;
            Console.WriteLine($"SUMMARIZE (anchor):  {summarize.Elapsed.TotalSeconds:F2} s");
            Console.WriteLine($"profile (2 passes):  {profileTime.Elapsed.TotalSeconds:F2} s  ({profile.Columns.Length} columns, {profile.Rows:N0} rows, exact distinct for {profile.Columns.Count(c => c.DistinctExact == true)} of {profile.Columns.Count(c => c.Distinct is not null)} columns)");
            Console.WriteLine($"ratio profile/SUMMARIZE: {ratio:F2} (target <= 1.5)");
            Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MiB");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task GenerateAsync(string table, long rows, CancellationToken cancellationToken)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(table) with { MemoryLimit = "4GB" }, cancellationToken);
        const int parts = 4;
        var per = rows / parts;
        var adds = new List<string>();
        for (var p = 0; p < parts; p++)
        {
            var name = $"part-{p:D5}.parquet";
            var path = Path.Combine(table, name);
            var start = p * per;
            var count = p == parts - 1 ? rows - start : per;
            await engine.ExecuteAsync($"""
                COPY (
                  SELECT range AS id,
                         (hash(range) % 1000)::INTEGER AS customer_id,
                         ((hash(range * 7) % 100000) / 100.0)::DECIMAL(12,2) AS amount,
                         (hash(range * 3) % 10000) / 7.0 - 500 AS score,
                         ['north','south','east','west'][1 + (range % 4)::INTEGER] AS region,
                         'sku-' || (hash(range * 11) % 50000)::VARCHAR AS sku,
                         DATE '2020-01-01' + (range % 1500)::INTEGER AS order_date,
                         TIMESTAMP '2020-01-01 00:00:00' + to_seconds(range % 100000000) AS created_at,
                         range % 3 = 0 AS is_priority,
                         CASE WHEN range % 10 = 0 THEN NULL ELSE (range % 97)::INTEGER END AS discount,
                         (hash(range * 13) % 200)::BIGINT - 100 AS delta,
                         md5(range::VARCHAR) AS token
                  FROM range({start.ToString(CultureInfo.InvariantCulture)}, {(start + count).ToString(CultureInfo.InvariantCulture)})
                ) TO {DuckDbEngine.Literal(path)} (FORMAT parquet)
                """, null, cancellationToken);
            adds.Add($"{{\"add\":{{\"path\":\"{name}\",\"partitionValues\":{{}},\"size\":{new FileInfo(path).Length},\"modificationTime\":0,\"dataChange\":true,\"stats\":\"{{\\\"numRecords\\\":{count}}}\"}}}}");
        }

        const string schema = "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":["
            + "{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":false,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"customer_id\\\",\\\"type\\\":\\\"integer\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"amount\\\",\\\"type\\\":\\\"decimal(12,2)\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"score\\\",\\\"type\\\":\\\"double\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"region\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"sku\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"order_date\\\",\\\"type\\\":\\\"date\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"created_at\\\",\\\"type\\\":\\\"timestamp_ntz\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"is_priority\\\",\\\"type\\\":\\\"boolean\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"discount\\\",\\\"type\\\":\\\"integer\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"delta\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
            + "{\\\"name\\\":\\\"token\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
        string[] lines =
        [
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"timestampNtz\"],\"writerFeatures\":[\"timestampNtz\"]}}",
            "{\"metaData\":{\"id\":\"bench\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"" + schema + "\",\"partitionColumns\":[],\"configuration\":{},\"createdTime\":0}}",
            .. adds,
        ];
        await File.WriteAllLinesAsync(Path.Combine(table, "_delta_log", "00000000000000000000.json"), lines, cancellationToken);
    }
}
