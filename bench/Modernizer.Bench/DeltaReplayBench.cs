using System.Diagnostics;
using System.Globalization;
using System.Text;
using Modernizer.Lake.Delta;
using Modernizer.Lake.Engines;

namespace Modernizer.Bench;

/// <summary>Issue "Show it": replay a Delta log of 10,000 commits with a checkpoint (target &lt;= 2 s).
/// The anchor is the same log replayed from JSON commits only (no checkpoint).</summary>
internal sealed class DeltaReplayBench : IBench
{
    public string Name => "delta-replay";

    public string Description => "replay a 10,000-commit Delta log with a checkpoint [commits]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var commits = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var root = Path.Combine(Path.GetTempPath(), "modernize-bench-replay-" + Guid.NewGuid().ToString("N"));
        var log = Path.Combine(root, "_delta_log");
        Directory.CreateDirectory(log);
        try
        {
            const string schema = "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
            var live = new List<string>();
            var checkpointAt = commits / 2;
            for (var v = 0; v < commits; v++)
            {
                var text = new StringBuilder();
                text.Append("{\"commitInfo\":{\"timestamp\":").Append(v).Append(",\"operation\":\"WRITE\"}}\n");
                if (v == 0)
                {
                    text.Append("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
                    text.Append("{\"metaData\":{\"id\":\"bench\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"").Append(schema).Append("\",\"partitionColumns\":[],\"configuration\":{},\"createdTime\":0}}\n");
                }

                var file = $"part-{v:D6}.parquet";
                await File.WriteAllBytesAsync(Path.Combine(root, file), [], cancellationToken);
                text.Append("{\"add\":{\"path\":\"").Append(file).Append("\",\"partitionValues\":{},\"size\":100,\"modificationTime\":0,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":10}\"}}\n");
                live.Add(file);
                if (v % 10 == 9)
                {
                    // Compaction-like churn: remove an older file.
                    text.Append("{\"remove\":{\"path\":\"").Append(live[0]).Append("\",\"deletionTimestamp\":0,\"dataChange\":true}}\n");
                    live.RemoveAt(0);
                }

                await File.WriteAllTextAsync(Path.Combine(log, v.ToString("D20", CultureInfo.InvariantCulture) + ".json"), text.ToString(), cancellationToken);
                if (v == checkpointAt)
                {
                    await WriteCheckpointAsync(root, log, v, live, schema, cancellationToken);
                }
            }

            // Anchor: the same log without using the checkpoint (hidden by renaming).
            var checkpoint = Path.Combine(log, checkpointAt.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet");
            File.Move(checkpoint, checkpoint + ".off");
            var full = Stopwatch.StartNew();
            var all = await DeltaLogReader.ReadAsync(root, null, cancellationToken);
            full.Stop();
            File.Move(checkpoint + ".off", checkpoint);

            var withCheckpoint = Stopwatch.StartNew();
            var snapshot = await DeltaLogReader.ReadAsync(root, null, cancellationToken);
            withCheckpoint.Stop();
            if (snapshot.Files.Length != all.Files.Length || snapshot.Files.Length != live.Count)
            {
                Console.WriteLine($"MISMATCH: {snapshot.Files.Length} vs {all.Files.Length} vs {live.Count} live files");
                return 1;
            }

            Console.WriteLine($"{commits:N0} commits, checkpoint at {checkpointAt:N0}, {snapshot.Files.Length:N0} live files");
            Console.WriteLine($"replay with checkpoint: {withCheckpoint.Elapsed.TotalSeconds:F2} s (target <= 2 s)");
            Console.WriteLine($"replay of all JSON commits (anchor): {full.Elapsed.TotalSeconds:F2} s; ratio {withCheckpoint.Elapsed.TotalSeconds / full.Elapsed.TotalSeconds:F2}");
            Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MiB");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task WriteCheckpointAsync(string root, string log, int version, List<string> live, string schema, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(root, "checkpoint-staging.json");
        var lines = new List<string>
        {
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
            "{\"metaData\":{\"id\":\"bench\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"" + schema + "\",\"partitionColumns\":[],\"configuration\":{},\"createdTime\":0}}",
        };
        lines.AddRange(live.Select(f => "{\"add\":{\"path\":\"" + f + "\",\"partitionValues\":{},\"size\":100,\"modificationTime\":0,\"dataChange\":false,\"stats\":\"{\\\"numRecords\\\":10}\"}}"));
        await File.WriteAllLinesAsync(staging, lines, cancellationToken);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(root), cancellationToken);
        var target = Path.Combine(log, version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet");
        await engine.ExecuteAsync($"COPY (SELECT * FROM read_json({DuckDbEngine.Literal(staging)}, format = 'newline_delimited', union_by_name = true)) TO {DuckDbEngine.Literal(target)} (FORMAT parquet)", null, cancellationToken);
        File.Delete(staging);
        await File.WriteAllTextAsync(Path.Combine(log, "_last_checkpoint"), $"{{\"version\":{version},\"size\":{lines.Count}}}", cancellationToken);
    }
}
