using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Modernizer.Lake.Delta.Writing;

/// <summary>A small Delta Lake writer: data files through DuckDB <c>COPY ... (FORMAT parquet)</c>, the
/// log as JSON commits (commitInfo, protocol, metaData, remove, add with stats) and optional
/// Parquet checkpoints, following delta-io PROTOCOL.md (reader 1, writer 2: no table features).
/// Deterministic: file names and table ids derive from the table name and version, timestamps
/// come from <see cref="DeltaCommitOptions.CommitTime"/>.</summary>
/// <remarks>The connection must be able to write files (not the sandboxed query engine) and
/// should run with one thread when byte-identical output matters.</remarks>
public sealed class DeltaTableWriter(DuckDBConnection connection)
{
    private const string EngineInfo = "Modernizer.Lake.Delta.Writing/1.0";

    private static readonly JsonWriterOptions LineOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the rows of <paramref name="selectSql"/> as the next version of the table.</summary>
    public Task<DeltaCommitResult> WriteAsync(string tablePath, string selectSql, DeltaWriteMode mode, DeltaCommitOptions options, CancellationToken cancellationToken) =>
        CommitAsync(tablePath, selectSql, mode, removeWhere: null, options, cancellationToken);

    /// <summary>Removes the live files <paramref name="removeWhere"/> selects and adds the rows of
    /// <paramref name="selectSql"/> in the same commit (a rewrite of part of the table).</summary>
    public Task<DeltaCommitResult> ReplaceAsync(string tablePath, Func<DeltaFileEntry, bool> removeWhere, string selectSql, DeltaCommitOptions options, CancellationToken cancellationToken) =>
        CommitAsync(tablePath, selectSql, DeltaWriteMode.Append, removeWhere, options, cancellationToken);

    /// <summary>Writes a single-part Parquet checkpoint of the latest version and _last_checkpoint.</summary>
    public async Task<long> WriteCheckpointAsync(string tablePath, CancellationToken cancellationToken)
    {
        var state = await DeltaCommitLog.ReadAsync(tablePath, cancellationToken)
            ?? throw new InvalidOperationException($"{tablePath}: no Delta log to checkpoint");
        var lines = new List<string>
        {
            Line(w => WriteProtocol(w)),
            Line(w => WriteMetadata(w, state.TableId, state.SchemaString, state.PartitionColumns, state.CreatedTime)),
        };
        lines.AddRange(state.Files.Select(f => Line(w => WriteAdd(w, f, dataChange: false))));
        lines.AddRange(state.Tombstones.Select(t => Line(w => WriteRemove(w, t.Path, t.DeletionTimestamp, t.PartitionValues, t.Size))));

        var staging = Path.Combine(Path.GetTempPath(), "modernizer-delta-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var jsonl = Path.Combine(staging, "actions.jsonl");
            await File.WriteAllTextAsync(jsonl, string.Join('\n', lines) + "\n", cancellationToken);
            var name = state.Version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";
            var target = Path.Combine(DeltaCommitLog.LogFolder(tablePath), name);
            var columns = """
                {'txn': 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)',
                 'add': 'STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags MAP(VARCHAR, VARCHAR))',
                 'remove': 'STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT)',
                 'metaData': 'STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT)',
                 'protocol': 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)'}
                """;
            await ExecuteAsync(
                $"COPY (SELECT txn, add, remove, metaData, protocol FROM read_json('{Sql(jsonl)}', format = 'newline_delimited', columns = {columns})) " +
                $"TO '{Sql(target)}' (FORMAT parquet, COMPRESSION snappy)",
                cancellationToken);
            var lastCheckpoint = Line(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("version", state.Version);
                w.WriteNumber("size", lines.Count);
                w.WriteNumber("sizeInBytes", new FileInfo(target).Length);
                w.WriteNumber("numOfAddFiles", state.Files.Length);
                w.WriteEndObject();
            });
            await File.WriteAllTextAsync(Path.Combine(DeltaCommitLog.LogFolder(tablePath), "_last_checkpoint"), lastCheckpoint + "\n", cancellationToken);
            return state.Version;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private async Task<DeltaCommitResult> CommitAsync(
        string tablePath, string selectSql, DeltaWriteMode mode, Func<DeltaFileEntry, bool>? removeWhere, DeltaCommitOptions options, CancellationToken cancellationToken)
    {
        tablePath = Path.GetFullPath(tablePath);
        var state = await DeltaCommitLog.ReadAsync(tablePath, cancellationToken);
        if (mode == DeltaWriteMode.Create && state is not null)
        {
            throw new InvalidOperationException($"{tablePath}: table already exists (version {state.Version})");
        }

        if (removeWhere is not null && state is null)
        {
            throw new InvalidOperationException($"{tablePath}: cannot rewrite files of a table that does not exist");
        }

        var version = state is null ? 0 : state.Version + 1;
        var columns = await DescribeAsync(selectSql, cancellationToken);
        var schema = DeltaSchemaMapper.SchemaString(columns);
        var partitions = state?.PartitionColumns ?? options.PartitionColumns;
        foreach (var partition in partitions)
        {
            if (columns.All(c => c.Name != partition))
            {
                throw new ArgumentException($"{tablePath}: partition column {partition} is not in the written columns");
            }
        }

        var schemaChanged = state is not null && state.SchemaString != schema;
        if (schemaChanged && mode != DeltaWriteMode.Overwrite)
        {
            throw new InvalidOperationException($"{tablePath}: the rows do not match the table schema; only an overwrite may change it");
        }

        var timestamp = options.CommitTime.ToUnixTimeMilliseconds();
        var added = await WriteDataAsync(tablePath, selectSql, columns, partitions, options.TableName, version, timestamp, cancellationToken);
        var removed = state is null
            ? []
            : mode == DeltaWriteMode.Overwrite
                ? state.Files
                : removeWhere is null ? [] : state.Files.Where(removeWhere).ToImmutableArray();

        var rows = added.Sum(a => NumRecords(a.Stats));
        var lines = new List<string>
        {
            Line(w => WriteCommitInfo(w, options, mode, removeWhere is not null, version, timestamp, partitions, added, rows, removed.Length)),
        };
        if (state is null)
        {
            lines.Add(Line(w => WriteProtocol(w)));
        }

        if (state is null || schemaChanged)
        {
            var tableId = state?.TableId ?? DeterministicGuid(options.TableName);
            lines.Add(Line(w => WriteMetadata(w, tableId, schema, partitions, state?.CreatedTime ?? timestamp)));
        }

        lines.AddRange(removed.Select(r => Line(w => WriteRemove(w, r.Path, timestamp, r.PartitionValues, r.Size))));
        lines.AddRange(added.Select(a => Line(w => WriteAdd(w, a, dataChange: true))));

        var commit = DeltaCommitLog.CommitFile(tablePath, version);
        Directory.CreateDirectory(Path.GetDirectoryName(commit)!);

        // CreateNew: a concurrent writer that committed this version first makes this one fail.
        await using (var stream = new FileStream(commit, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), cancellationToken);
        }

        return new DeltaCommitResult(version, added, [.. removed.Select(r => r.Path)], rows);
    }

    private async Task<ImmutableArray<DeltaFileEntry>> WriteDataAsync(
        string tablePath, string selectSql, ImmutableArray<DeltaColumn> columns, ImmutableArray<string> partitions,
        string tableName, long version, long timestamp, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(tablePath);
        var fileId = DeterministicGuid($"{tableName}#{version.ToString(CultureInfo.InvariantCulture)}");
        var files = new List<string>();
        if (partitions.IsEmpty)
        {
            var relative = $"part-00000-{fileId}-c000.snappy.parquet";
            await ExecuteAsync(
                $"COPY (SELECT * FROM ({selectSql})) TO '{Sql(Path.Combine(tablePath, relative))}' (FORMAT parquet, COMPRESSION snappy)",
                cancellationToken);
            files.Add(relative);
        }
        else
        {
            var partitionList = string.Join(", ", partitions.Select(Quote));
            await ExecuteAsync(
                $"COPY (SELECT * FROM ({selectSql}) ORDER BY {partitionList}) TO '{Sql(tablePath)}' " +
                $"(FORMAT parquet, COMPRESSION snappy, PARTITION_BY ({partitionList}), FILENAME_PATTERN 'part-{{i}}-{fileId}-c000.snappy', OVERWRITE_OR_IGNORE true)",
                cancellationToken);
            files.AddRange(Directory.EnumerateFiles(tablePath, $"*{fileId}*.parquet", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(tablePath, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal));
        }

        var dataColumns = columns.Where(c => !partitions.Contains(c.Name)).ToImmutableArray();
        var entries = ImmutableArray.CreateBuilder<DeltaFileEntry>(files.Count);
        foreach (var relative in files)
        {
            var absolute = Path.Combine(tablePath, relative);
            var stats = await StatsAsync(absolute, dataColumns, cancellationToken);
            entries.Add(new DeltaFileEntry(relative, PartitionValuesOf(relative, partitions), new FileInfo(absolute).Length, timestamp, stats));
        }

        return entries.MoveToImmutable();
    }

    private async Task<ImmutableArray<DeltaColumn>> DescribeAsync(string selectSql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM ({selectSql})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = ImmutableArray.CreateBuilder<DeltaColumn>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            var type = reader.GetString(1);
            columns.Add(new DeltaColumn(name, type, DeltaSchemaMapper.DeltaType(name, type)));
        }

        return columns.ToImmutable();
    }

    private async Task<string> StatsAsync(string file, ImmutableArray<DeltaColumn> columns, CancellationToken cancellationToken)
    {
        var select = new StringBuilder("SELECT count(*)");
        var kinds = columns.Select(c => DeltaSchemaMapper.StatKindOf(c.DeltaTypeJson)).ToArray();
        for (var i = 0; i < columns.Length; i++)
        {
            var c = Quote(columns[i].Name);
            var (min, max) = kinds[i] switch
            {
                StatKind.Number => ($"min({c})::VARCHAR", $"max({c})::VARCHAR"),
                StatKind.Float => ($"CASE WHEN isfinite(min({c})) THEN min({c})::VARCHAR END", $"CASE WHEN isfinite(max({c})) THEN max({c})::VARCHAR END"),
                StatKind.String => ($"CASE WHEN length(min({c})) <= 32 THEN min({c}) END", $"CASE WHEN length(max({c})) <= 32 THEN max({c}) END"),
                StatKind.Date => ($"strftime(min({c}), '%Y-%m-%d')", $"strftime(max({c}), '%Y-%m-%d')"),
                // millisecond precision like Spark; the max is rounded up so it still bounds the data
                StatKind.Timestamp => ($"strftime(date_trunc('millisecond', min({c})), '%Y-%m-%dT%H:%M:%S.%gZ')",
                                       $"strftime(date_trunc('millisecond', max({c}) + INTERVAL 999 microsecond), '%Y-%m-%dT%H:%M:%S.%gZ')"),
                _ => ("NULL", "NULL"),
            };
            select.Append(", ").Append(min).Append(", ").Append(max).Append(", count(*) - count(").Append(c).Append(')');
        }

        select.Append($" FROM read_parquet('{Sql(file)}', hive_partitioning = false)");
        await using var command = connection.CreateCommand();
        command.CommandText = select.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);

        return Line(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
            foreach (var (property, offset) in new[] { ("minValues", 1), ("maxValues", 2) })
            {
                w.WriteStartObject(property);
                for (var i = 0; i < columns.Length; i++)
                {
                    var ordinal = 1 + (i * 3) + (offset - 1);
                    if (kinds[i] is StatKind.None or StatKind.NullCountOnly || reader.IsDBNull(ordinal))
                    {
                        continue;
                    }

                    var text = reader.GetString(ordinal);
                    w.WritePropertyName(columns[i].Name);
                    if (kinds[i] is StatKind.Number or StatKind.Float)
                    {
                        w.WriteRawValue(text);
                    }
                    else
                    {
                        w.WriteStringValue(text);
                    }
                }

                w.WriteEndObject();
            }

            w.WriteStartObject("nullCount");
            for (var i = 0; i < columns.Length; i++)
            {
                if (kinds[i] != StatKind.None)
                {
                    w.WriteNumber(columns[i].Name, Convert.ToInt64(reader.GetValue(3 + (i * 3)), CultureInfo.InvariantCulture));
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteCommitInfo(
        Utf8JsonWriter w, DeltaCommitOptions options, DeltaWriteMode mode, bool rewrite, long version, long timestamp,
        ImmutableArray<string> partitions, ImmutableArray<DeltaFileEntry> added, long rows, int removedCount)
    {
        w.WriteStartObject();
        w.WriteStartObject("commitInfo");
        w.WriteNumber("timestamp", timestamp);
        w.WriteString("operation", options.Operation);
        w.WriteStartObject("operationParameters");
        if (!rewrite)
        {
            w.WriteString("mode", mode == DeltaWriteMode.Append ? "Append" : mode == DeltaWriteMode.Overwrite ? "Overwrite" : "ErrorIfExists");
            w.WriteString("partitionBy", JsonSerializer.Serialize(partitions));
        }

        foreach (var (key, value) in options.OperationParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        if (version > 0)
        {
            w.WriteNumber("readVersion", version - 1);
        }

        w.WriteString("isolationLevel", "Serializable");
        w.WriteBoolean("isBlindAppend", mode == DeltaWriteMode.Append && !rewrite);
        w.WriteStartObject("operationMetrics");
        w.WriteString("numFiles", added.Length.ToString(CultureInfo.InvariantCulture));
        w.WriteString("numOutputRows", rows.ToString(CultureInfo.InvariantCulture));
        w.WriteString("numOutputBytes", added.Sum(a => a.Size).ToString(CultureInfo.InvariantCulture));
        w.WriteString("numRemovedFiles", removedCount.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteString("engineInfo", EngineInfo);
        w.WriteString("txnId", DeterministicGuid($"{options.TableName}#txn#{version.ToString(CultureInfo.InvariantCulture)}"));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteProtocol(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("protocol");
        w.WriteNumber("minReaderVersion", 1);
        w.WriteNumber("minWriterVersion", 2);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter w, string id, string schema, ImmutableArray<string> partitions, long createdTime)
    {
        w.WriteStartObject();
        w.WriteStartObject("metaData");
        w.WriteString("id", id);
        w.WriteStartObject("format");
        w.WriteString("provider", "parquet");
        w.WriteStartObject("options");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("schemaString", schema);
        w.WriteStartArray("partitionColumns");
        foreach (var p in partitions)
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
        w.WriteStartObject("configuration");
        w.WriteEndObject();
        w.WriteNumber("createdTime", createdTime);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteAdd(Utf8JsonWriter w, DeltaFileEntry file, bool dataChange)
    {
        w.WriteStartObject();
        w.WriteStartObject("add");
        w.WriteString("path", EncodePath(file.Path));
        WritePartitionValues(w, file.PartitionValues);
        w.WriteNumber("size", file.Size);
        w.WriteNumber("modificationTime", file.ModificationTime);
        w.WriteBoolean("dataChange", dataChange);
        if (file.Stats is not null)
        {
            w.WriteString("stats", file.Stats);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRemove(Utf8JsonWriter w, string path, long deletionTimestamp, ImmutableSortedDictionary<string, string?> partitionValues, long size)
    {
        w.WriteStartObject();
        w.WriteStartObject("remove");
        w.WriteString("path", EncodePath(path));
        w.WriteNumber("deletionTimestamp", deletionTimestamp);
        w.WriteBoolean("dataChange", true);
        w.WriteBoolean("extendedFileMetadata", true);
        WritePartitionValues(w, partitionValues);
        w.WriteNumber("size", size);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePartitionValues(Utf8JsonWriter w, ImmutableSortedDictionary<string, string?> values)
    {
        w.WriteStartObject("partitionValues");
        foreach (var (key, value) in values)
        {
            if (value is null)
            {
                w.WriteNull(key);
            }
            else
            {
                w.WriteString(key, value);
            }
        }

        w.WriteEndObject();
    }

    private static ImmutableSortedDictionary<string, string?> PartitionValuesOf(string relative, ImmutableArray<string> partitions)
    {
        var values = ImmutableSortedDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (var segment in relative.Split('/')[..^1])
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && partitions.Contains(segment[..eq]))
            {
                var value = Uri.UnescapeDataString(segment[(eq + 1)..]);
                values[segment[..eq]] = value == "__HIVE_DEFAULT_PARTITION__" || value == "NULL" ? null : value;
            }
        }

        return values.ToImmutable();
    }

    /// <summary>Add/remove paths are relative URIs: each segment percent-encoded, '=' kept as Spark writes it.</summary>
    private static string EncodePath(string path) =>
        string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(s).Replace("%3D", "=", StringComparison.Ordinal)));

    private static long NumRecords(string? stats)
    {
        if (stats is null)
        {
            return 0;
        }

        using var doc = JsonDocument.Parse(stats);
        return doc.RootElement.GetProperty("numRecords").GetInt64();
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, LineOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string DeterministicGuid(string text) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16)).ToString("D");

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Sql(string path) => path.Replace('\\', '/').Replace("'", "''", StringComparison.Ordinal);
}
