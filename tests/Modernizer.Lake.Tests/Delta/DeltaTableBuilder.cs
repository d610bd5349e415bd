using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>Writes hand-made Delta tables for tests: Parquet data files and checkpoints through
/// DuckDB COPY, JSON commits as the protocol spells them, DV files with a small RoaringBitmap
/// encoder.</summary>
internal sealed class DeltaTableBuilder : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly DuckDbEngine _engine;

    private DeltaTableBuilder(string root, DuckDbEngine engine)
    {
        Root = root;
        _engine = engine;
        Directory.CreateDirectory(LogPath);
    }

    public string Root { get; }

    public string LogPath => Path.Combine(Root, "_delta_log");

    public static async Task<DeltaTableBuilder> CreateAsync(string root)
    {
        Directory.CreateDirectory(root);
        return new DeltaTableBuilder(root, await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(root), CancellationToken.None));
    }

    /// <summary>Writes a Parquet data file from a SELECT and returns its size.</summary>
    public async Task<long> DataFileAsync(string relativePath, string select)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await _engine.ExecuteAsync($"COPY ({select}) TO {DuckDbEngine.Literal(full)} (FORMAT parquet)", null, CancellationToken.None);
        return new FileInfo(full).Length;
    }

    public void Commit(long version, params object[] actions) =>
        File.WriteAllLines(Path.Combine(LogPath, version.ToString("D20", CultureInfo.InvariantCulture) + ".json"), actions.Select(a => JsonSerializer.Serialize(a, Json)));

    /// <summary>A Parquet checkpoint (or sidecar) holding the given actions, written by DuckDB from their JSON.</summary>
    public async Task ParquetActionsAsync(string fileName, params object[] actions)
    {
        var staging = Path.Combine(Root, "_staging-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllLines(staging, actions.Select(a => JsonSerializer.Serialize(a, Json)));
        var target = Path.Combine(LogPath, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await _engine.ExecuteAsync(
            $"COPY (SELECT * FROM read_json({DuckDbEngine.Literal(staging)}, format = 'newline_delimited', union_by_name = true)) TO {DuckDbEngine.Literal(target)} (FORMAT parquet)",
            null,
            CancellationToken.None);
        File.Delete(staging);
    }

    public static object Protocol(int reader = 1, int writer = 2, string[]? readerFeatures = null, string[]? writerFeatures = null) =>
        new { protocol = new { minReaderVersion = reader, minWriterVersion = writer, readerFeatures, writerFeatures } };

    public static object Metadata(string schemaString, string[]? partitionColumns = null, Dictionary<string, string>? configuration = null) =>
        new
        {
            metaData = new
            {
                id = "00000000-0000-0000-0000-000000000001",
                format = new { provider = "parquet", options = new Dictionary<string, string>() },
                schemaString,
                partitionColumns = partitionColumns ?? [],
                configuration = configuration ?? [],
                createdTime = 1700000000000L,
            },
        };

    public static object Add(string path, long size, Dictionary<string, string?>? partitionValues = null, object? deletionVector = null, long? numRecords = null) =>
        new
        {
            add = new
            {
                path,
                partitionValues = partitionValues ?? [],
                size,
                modificationTime = 1700000000000L,
                dataChange = true,
                stats = numRecords is { } n ? "{\"numRecords\":" + n.ToString(CultureInfo.InvariantCulture) + "}" : null,
                deletionVector,
            },
        };

    public static object Remove(string path, object? deletionVector = null) =>
        new { remove = new { path, deletionTimestamp = 1700000000001L, dataChange = true, deletionVector } };

    public static object CommitInfo(long? inCommitTimestamp = null) =>
        new { commitInfo = new { inCommitTimestamp, operation = "WRITE" } };

    /// <summary>A schema string: fields as (name, type JSON, nullable, metadata JSON or null).</summary>
    public static string Schema(params (string Name, string Type, bool Nullable, string? Metadata)[] fields) =>
        "{\"type\":\"struct\",\"fields\":[" + string.Join(",", fields.Select(f =>
            $"{{\"name\":{JsonSerializer.Serialize(f.Name)},\"type\":{(f.Type.StartsWith('{') ? f.Type : JsonSerializer.Serialize(f.Type))},\"nullable\":{(f.Nullable ? "true" : "false")},\"metadata\":{f.Metadata ?? "{}"}}}")) + "]}";

    /// <summary>Writes a DV file (format version 1) holding the given bitmaps; returns each one's offset and size.</summary>
    public (int Offset, int Size)[] DeletionVectorFile(string relativePath, params long[][] deletedRows)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(1);
        var placements = new List<(int, int)>();
        foreach (var rows in deletedRows)
        {
            var bitmap = RoaringEncoder.Portable(rows);
            placements.Add(((int)stream.Position, bitmap.Length));
            var four = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(four, bitmap.Length);
            stream.Write(four);
            stream.Write(bitmap);
            BinaryPrimitives.WriteUInt32BigEndian(four, Crc32.HashToUInt32(bitmap));
            stream.Write(four);
        }

        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, stream.ToArray());
        return [.. placements];
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}

/// <summary>A tiny writer of Delta's portable 64-bit RoaringBitmap (array containers only, with and
/// without the run-container cookie), enough to produce DV fixtures.</summary>
internal static class RoaringEncoder
{
    public static byte[] Portable(long[] rows, bool runCookie = false)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(1681511377);
        var buckets = rows.Order().GroupBy(r => (uint)(r >> 32)).ToList();
        writer.Write((ulong)buckets.Count);
        foreach (var bucket in buckets)
        {
            writer.Write(bucket.Key);
            var containers = bucket.GroupBy(r => (ushort)((r >> 16) & 0xFFFF)).ToList();
            if (runCookie)
            {
                // The run cookie with no container flagged as a run: the run-flag bitset is all zero.
                writer.Write((uint)(12347 | ((containers.Count - 1) << 16)));
                writer.Write(new byte[(containers.Count + 7) / 8]);
            }
            else
            {
                writer.Write(12346u);
                writer.Write(containers.Count);
            }

            foreach (var container in containers)
            {
                writer.Write(container.Key);
                writer.Write((ushort)(container.Count() - 1));
            }

            if (!runCookie || containers.Count >= 4)
            {
                var offset = 0;
                foreach (var container in containers)
                {
                    writer.Write(offset);
                    offset += container.Count() * 2;
                }
            }

            foreach (var container in containers)
            {
                foreach (var value in container)
                {
                    writer.Write((ushort)(value & 0xFFFF));
                }
            }
        }

        writer.Flush();
        return stream.ToArray();
    }
}
