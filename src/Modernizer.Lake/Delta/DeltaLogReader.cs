using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Modernizer.Lake.Delta.DeletionVectors;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta;

/// <summary>Builds a snapshot from <c>_delta_log</c> (issue item 1): the newest complete checkpoint
/// not after the wanted version (<c>_last_checkpoint</c> as a hint, the listing as the truth),
/// then the JSON commits after it, which must be contiguous.</summary>
internal static class DeltaLogReader
{
    /// <summary>Reader features whose semantics this reader implements.</summary>
    internal static readonly ImmutableHashSet<string> SupportedReaderFeatures =
        ["columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck"];

    private static readonly ImmutableHashSet<string> CatalogManagedFeatures = ["catalogManaged", "catalogOwned-preview"];

    /// <summary>Writer-only features (PROTOCOL "Table Features"): they ask nothing of a reader, so
    /// one listed in <c>readerFeatures</c> by a sloppy writer is tolerated, as Spark does.</summary>
    private static readonly ImmutableHashSet<string> WriterOnlyFeatures =
    [
        "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns", "identityColumns",
        "allowColumnDefaults", "domainMetadata", "rowTracking", "icebergCompatV1", "icebergCompatV2",
        "icebergWriterCompatV1", "clustering", "inCommitTimestamp", "checkpointProtection",
    ];

    public static Task<TableSnapshot> ReadAsync(string tablePath, TableVersionSpec? at, CancellationToken cancellationToken) =>
        ReadAsync(tablePath, at, null, cancellationToken);

    public static async Task<TableSnapshot> ReadAsync(string tablePath, TableVersionSpec? at, LakeTableOptions? options, CancellationToken cancellationToken)
    {
        var guard = new TableFileGuard(tablePath, options);
        var logPath = Path.Combine(tablePath, "_delta_log");
        var listing = DeltaLogListing.List(logPath);
        var latest = listing.LatestVersion
            ?? throw new LakeTableException(tablePath, "_delta_log holds no commit and no checkpoint");

        var warnings = ImmutableArray.CreateBuilder<string>();
        long version;
        if (at?.Version is { } wanted)
        {
            if (wanted > latest)
            {
                throw new LakeTableException(tablePath, $"version {wanted.ToString(CultureInfo.InvariantCulture)} does not exist; the latest version is {latest.ToString(CultureInfo.InvariantCulture)}");
            }

            version = wanted;
        }
        else if (at?.Timestamp is { } wantedTime)
        {
            version = await ResolveTimestampAsync(tablePath, listing, wantedTime, cancellationToken);
        }
        else
        {
            version = latest;
        }

        var checkpoint = ChooseCheckpoint(tablePath, listing, version, warnings);
        var state = new DeltaReplayState(tablePath, guard);
        var first = checkpoint is null ? 0 : checkpoint.Version + 1;
        var commits = new List<string>();
        for (var v = first; v <= version; v++)
        {
            if (!listing.Commits.TryGetValue(v, out var commit))
            {
                var why = checkpoint is null
                    ? "and there is no checkpoint before it"
                    : $"after the checkpoint at version {checkpoint.Version.ToString(CultureInfo.InvariantCulture)}";
                throw new LakeTableException(tablePath, $"commit {DeltaLogListing.CommitFileName(v)} is missing {why}; the log cannot be replayed to version {version.ToString(CultureInfo.InvariantCulture)}");
            }

            guard.CheckLinks(commit, "commit");
            commits.Add(commit);
        }

        foreach (var file in checkpoint?.Files ?? [])
        {
            guard.CheckLinks(file, "checkpoint");
        }

        // Commits are parsed in parallel batches (while the checkpoint is read) and applied in order.
        var next = commits.Count > 0 ? ParseBatchAsync(tablePath, commits, 0, cancellationToken) : null;
        if (checkpoint is not null)
        {
            await ReadCheckpointAsync(tablePath, guard, checkpoint, state, cancellationToken);
        }

        for (var start = 0; next is not null; start += ParseBatchSize)
        {
            var parsed = await next;
            next = start + ParseBatchSize < commits.Count ? ParseBatchAsync(tablePath, commits, start + ParseBatchSize, cancellationToken) : null;
            foreach (var file in parsed)
            {
                file.ApplyTo(state, fromCheckpoint: false);
            }
        }

        var versionText = version.ToString(CultureInfo.InvariantCulture);
        var protocol = state.Protocol ?? throw new LakeTableException(tablePath, $"no protocol action up to version {versionText}");
        var metadata = state.Metadata ?? throw new LakeTableException(tablePath, $"no metaData action up to version {versionText}");
        CheckProtocol(tablePath, protocol);
        if (metadata.SchemaString is null)
        {
            var later = version < latest ? $"; a later version may be complete (the latest is {latest.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
            throw new LakeTableException(tablePath, $"the metadata in effect at version {versionText} ({state.MetadataSource}) has no schemaString, so that version has no schema to read{later}");
        }

        var schema = DeltaSchemaParser.Parse(tablePath, metadata.SchemaString);
        var mapping = metadata.Configuration.GetValueOrDefault("delta.columnMapping.mode", "none") switch
        {
            "none" => ColumnMappingMode.None,
            "name" => ColumnMappingMode.Name,
            "id" => ColumnMappingMode.Id,
            var other => throw new LakeTableException(tablePath, $"unknown column mapping mode '{other}'"),
        };
        foreach (var partition in metadata.PartitionColumns)
        {
            if (!schema.Any(f => f.Name == partition))
            {
                throw new LakeTableException(tablePath, $"partition column '{partition}' is not in the table schema");
            }
        }

        var files = await BuildFilesAsync(tablePath, guard, state, schema, mapping, cancellationToken);
        var timestamp = state.InCommitTimestamp is { } ict && version >= first
            ? DateTimeOffset.FromUnixTimeMilliseconds(ict)
            : listing.Commits.TryGetValue(version, out var commitFile) ? new DateTimeOffset(File.GetLastWriteTimeUtc(commitFile)) : (DateTimeOffset?)null;
        return new TableSnapshot(tablePath, TableFormat.Delta, version, timestamp, schema, metadata.PartitionColumns, mapping, files, protocol, metadata)
        {
            Warnings = warnings.ToImmutable(),
        };
    }

    /// <summary>PROTOCOL "Protocol Evolution" and "Table Features": reader versions 1 to 3; version 3
    /// must list its reader features, and every one must be implemented here. A refusal names
    /// every feature this reader does not implement.</summary>
    internal static void CheckProtocol(string tablePath, DeltaProtocol protocol)
    {
        var unknown = protocol.ReaderFeatures.Where(f => !SupportedReaderFeatures.Contains(f) && !WriterOnlyFeatures.Contains(f)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknownText = unknown.Count == 0
            ? string.Empty
            : $"; it needs reader feature{(unknown.Count == 1 ? string.Empty : "s")} {string.Join(", ", unknown.Select(f => "'" + f + "'"))}, which this reader does not implement (it implements {string.Join(", ", SupportedReaderFeatures.Order(StringComparer.Ordinal))})";
        var version = protocol.MinReaderVersion.ToString(CultureInfo.InvariantCulture);
        if (protocol.MinReaderVersion is > 3 or < 1)
        {
            throw new LakeTableException(tablePath, $"reader version {version} is not one this reader knows (1 to 3){unknownText}");
        }

        if (protocol.MinReaderVersion < 3)
        {
            return;
        }

        if (!protocol.ReaderFeaturesListed)
        {
            throw new LakeTableException(tablePath, "reader version 3 requires the protocol action to list its readerFeatures, and it has no readerFeatures list; the table's features cannot be known, so it is not read");
        }

        if (protocol.ReaderFeatures.FirstOrDefault(CatalogManagedFeatures.Contains) is { } managed)
        {
            throw new LakeTableException(tablePath, $"it is a catalog-managed table (reader feature '{managed}'): its latest commits live in the catalog, so reading the folder alone could miss them; read it through its catalog (the Databricks engine){unknownText}");
        }

        if (unknown.Count > 0)
        {
            throw new LakeTableException(tablePath, $"it cannot be read{unknownText}");
        }
    }

    private static Checkpoint? ChooseCheckpoint(string tablePath, DeltaLogListing listing, long version, ImmutableArray<string>.Builder warnings)
    {
        var hint = ReadLastCheckpointHint(listing.LogPath, warnings);
        var candidates = listing.Checkpoints.Where(c => c.Version <= version).ToList();
        if (hint is { } hinted && hinted <= version && !candidates.Any(c => c.Version == hinted))
        {
            warnings.Add($"_last_checkpoint points at version {hinted.ToString(CultureInfo.InvariantCulture)} but no complete checkpoint exists there; the log listing was used instead");
        }

        // The listing is authoritative; the newest complete checkpoint wins, a classic or UUID one before multi-part.
        return candidates.Count == 0
            ? null
            : candidates.Where(c => c.Version == candidates.Max(x => x.Version)).OrderBy(c => c.Kind == CheckpointKind.MultiPart).First();
    }

    private static long? ReadLastCheckpointHint(string logPath, ImmutableArray<string>.Builder warnings)
    {
        var path = Path.Combine(logPath, "_last_checkpoint");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("version").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            warnings.Add($"_last_checkpoint is unreadable ({e.Message}); the log listing was used instead");
            return null;
        }
    }

    private static async Task<long> ResolveTimestampAsync(string tablePath, DeltaLogListing listing, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        // Commit time: the in-commit timestamp when the commit carries one (ICT enabled), else the
        // file's modification time, made monotonic as Spark does.
        long? chosen = null;
        long previous = long.MinValue;
        long? earliest = null;
        foreach (var (version, path) in listing.Commits)
        {
            var ict = await ReadInCommitTimestampAsync(tablePath, path, cancellationToken);
            var time = ict ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeMilliseconds();
            if (ict is null && time <= previous)
            {
                time = previous + 1;
            }

            previous = time;
            earliest ??= time;
            if (time <= timestamp.ToUnixTimeMilliseconds())
            {
                chosen = version;
            }
        }

        if (chosen is null)
        {
            var first = earliest is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e).ToString("O", CultureInfo.InvariantCulture) : "(no commit files)";
            throw new LakeTableException(tablePath, $"timestamp {timestamp.ToString("O", CultureInfo.InvariantCulture)} is before the earliest available commit ({first})");
        }

        return chosen.Value;
    }

    private static async Task<long?> ReadInCommitTimestampAsync(string tablePath, string commitPath, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(commitPath);
        var line = await reader.ReadLineAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("commitInfo", out var info)
                && info.TryGetProperty("inCommitTimestamp", out var ict) && ict.ValueKind == JsonValueKind.Number
                ? ict.GetInt64()
                : null;
        }
        catch (JsonException e)
        {
            throw new LakeTableException(tablePath, $"{Path.GetFileName(commitPath)} line 1 is not valid JSON: {e.Message}", e);
        }
    }

    private const int ParseBatchSize = 512;

    private static async Task<ParsedLogFile[]> ParseBatchAsync(string tablePath, List<string> files, int start, CancellationToken cancellationToken)
    {
        var count = Math.Min(ParseBatchSize, files.Count - start);
        var parsed = new ParsedLogFile[Math.Max(count, 0)];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, parsed.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) => parsed[i] = await ParsedLogFile.ReadAsync(tablePath, files[start + i], token));
        return parsed;
    }

    private static async Task ReadJsonActionsAsync(string tablePath, string path, DeltaReplayState state, bool fromCheckpoint, CancellationToken cancellationToken) =>
        (await ParsedLogFile.ReadAsync(tablePath, path, cancellationToken)).ApplyTo(state, fromCheckpoint);

    /// <summary>The actions of one newline-delimited JSON log file, parsed and checked.</summary>
    private sealed class ParsedLogFile(string name, List<(JsonDocument Document, int Line)> actions)
    {
        public static async Task<ParsedLogFile> ReadAsync(string tablePath, string path, CancellationToken cancellationToken)
        {
            var name = Path.GetFileName(path);
            string[] lines;
            try
            {
                lines = await File.ReadAllLinesAsync(path, cancellationToken);
            }
            catch (IOException e)
            {
                throw new LakeTableException(tablePath, $"{name} cannot be read: {e.Message}", e);
            }

            var actions = new List<(JsonDocument, int)>(lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i]))
                {
                    continue;
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(lines[i]);
                }
                catch (JsonException e)
                {
                    throw new LakeTableException(tablePath, $"{name} line {(i + 1).ToString(CultureInfo.InvariantCulture)} is not valid JSON ({e.Message}); the commit is corrupt", e);
                }

                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    document.Dispose();
                    throw new LakeTableException(tablePath, $"{name} line {(i + 1).ToString(CultureInfo.InvariantCulture)} is not a JSON object");
                }

                actions.Add((document, i + 1));
            }

            return new ParsedLogFile(name, actions);
        }

        public void ApplyTo(DeltaReplayState state, bool fromCheckpoint)
        {
            try
            {
                foreach (var (document, line) in actions)
                {
                    state.Apply(document.RootElement, $"{name} line {line.ToString(CultureInfo.InvariantCulture)}", fromCheckpoint);
                }
            }
            finally
            {
                foreach (var (document, _) in actions)
                {
                    document.Dispose();
                }
            }
        }
    }

    private static async Task ReadCheckpointAsync(string tablePath, TableFileGuard guard, Checkpoint checkpoint, DeltaReplayState state, CancellationToken cancellationToken)
    {
        var logPath = Path.GetDirectoryName(checkpoint.Files[0])!;
        if (checkpoint.Files[0].EndsWith(".json", StringComparison.Ordinal))
        {
            await ReadJsonActionsAsync(tablePath, checkpoint.Files[0], state, fromCheckpoint: true, cancellationToken);
        }
        else
        {
            await ReadParquetActionsAsync(tablePath, logPath, checkpoint.Files, state, cancellationToken);
        }

        if (state.Sidecars.Count > 0)
        {
            // PROTOCOL "Sidecar File Information": a URI-encoded path, usually just a file name in _delta_log/_sidecars.
            var sidecars = state.Sidecars.Select(s => guard.FromLog(s.Path, s.Source + ": sidecar", Path.Combine(logPath, "_sidecars"))).ToImmutableArray();
            foreach (var sidecar in sidecars)
            {
                if (!File.Exists(sidecar))
                {
                    throw new LakeTableException(tablePath, $"checkpoint {Path.GetFileName(checkpoint.Files[0])} refers to sidecar '{sidecar}', which is missing");
                }

                guard.CheckLinks(sidecar, "sidecar");
            }

            await ReadParquetActionsAsync(tablePath, logPath, sidecars, state, cancellationToken);
        }
    }

    private static async Task ReadParquetActionsAsync(string tablePath, string logPath, ImmutableArray<string> files, DeltaReplayState state, CancellationToken cancellationToken)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(logPath) with { MemoryLimit = "512MB" }, cancellationToken);
        var list = "[" + string.Join(", ", files.Select(DuckDbEngine.Literal)) + "]";
        QueryResult rows;
        try
        {
            rows = await engine.QueryAsync($"SELECT to_json(t)::VARCHAR FROM read_parquet({list}, union_by_name = true) AS t", null, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new LakeTableException(tablePath, $"checkpoint {string.Join(", ", files.Select(Path.GetFileName))} cannot be read ({e.Message.Split('\n')[0]}); the checkpoint is corrupt", e);
        }

        var source = "checkpoint " + Path.GetFileName(files[0]);
        foreach (var row in rows.Rows)
        {
            using var document = JsonDocument.Parse((string)row[0]!);
            state.Apply(document.RootElement, source, fromCheckpoint: true);
        }
    }

    private static async Task<ImmutableArray<DataFile>> BuildFilesAsync(string tablePath, TableFileGuard guard, DeltaReplayState state, ImmutableArray<StructField> schema, ColumnMappingMode mapping, CancellationToken cancellationToken)
    {
        var physicalPartitionNames = schema.ToDictionary(f => f.Name, f => mapping == ColumnMappingMode.None ? f.Name : f.PhysicalName, StringComparer.Ordinal);
        var files = ImmutableArray.CreateBuilder<DataFile>();
        foreach (var add in state.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var fullPath = add.FullPath;
            if (!File.Exists(fullPath))
            {
                throw new LakeTableException(tablePath, $"data file '{add.Written}' is in the log but missing on disk: no file at '{fullPath}'");
            }

            guard.CheckLinks(fullPath, "data file");

            // Under column mapping, partition values are keyed by physical names; expose logical ones.
            var values = mapping == ColumnMappingMode.None
                ? add.PartitionValues
                : add.PartitionValues.ToImmutableSortedDictionary(
                    kv => physicalPartitionNames.FirstOrDefault(p => p.Value == kv.Key).Key ?? kv.Key,
                    kv => kv.Value,
                    StringComparer.Ordinal);
            var file = new DataFile(add.Path, fullPath, add.Size, values, add.DeletionVector, add.NumRecords);
            if (add.DeletionVector is { } dv)
            {
                file = file with { DeletedRows = await DeletionVectorLoader.LoadAsync(tablePath, guard, add.Path, dv, cancellationToken) };
            }

            files.Add(file);
        }

        return files.ToImmutable();
    }
}
