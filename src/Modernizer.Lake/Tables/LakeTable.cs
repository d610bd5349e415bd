using System.Collections.Immutable;
using DuckDB.NET.Data;
using Modernizer.Lake.Delta;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Tables;

/// <summary>Opens a table folder (a Delta table, a plain Parquet folder, or one Parquet file) as a
/// snapshot. The one entry point the profiler, the reconciler and evidence queries use:
/// <code>
/// var snapshot = await LakeTable.OpenAsync(dir, TableVersionSpec.AtVersion(3), ct);
/// var sql = $"SELECT count(*) FROM {DuckDbRelation.Render(snapshot)}";
/// </code>
/// The engine that runs the SQL must have the table folder among its readable roots.
/// Every file the table names passes one check first (<see cref="TableFileGuard"/>): it must lie in
/// the table folder, or under a root the caller allowed in <see cref="LakeTableOptions"/>.</summary>
public static class LakeTable
{
    public static Task<TableSnapshot> OpenAsync(string path, TableVersionSpec? at, CancellationToken cancellationToken) =>
        OpenAsync(path, at, null, cancellationToken);

    public static async Task<TableSnapshot> OpenAsync(string path, TableVersionSpec? at, LakeTableOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        TableSnapshot snapshot;
        if (File.Exists(full) && full.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            RefuseVersionForParquet(full, at);
            snapshot = ParquetSnapshot(full, [full]);
        }
        else if (!Directory.Exists(full))
        {
            throw new LakeTableException(full, "the folder does not exist");
        }
        else if (Directory.Exists(Path.Combine(full, "_delta_log")))
        {
            snapshot = await DeltaLogReader.ReadAsync(full, at, options, cancellationToken);
        }
        else
        {
            RefuseVersionForParquet(full, at);
            var files = ListParquetFiles(full);
            if (files.Length == 0)
            {
                throw new LakeTableException(full, "neither a Delta table (no _delta_log folder) nor a Parquet folder (no .parquet file)");
            }

            // Listed inside the folder, but a symbolic link may still point elsewhere.
            var guard = new TableFileGuard(full, options);
            foreach (var file in files)
            {
                guard.CheckLinks(file, "data file");
            }

            snapshot = ParquetSnapshot(full, files);
        }

        return await DescribeAsync(snapshot, cancellationToken);
    }

    private static void RefuseVersionForParquet(string path, TableVersionSpec? at)
    {
        if (at is not null)
        {
            throw new LakeTableException(path, $"it is a plain Parquet table, which has no versions; {at} cannot be read");
        }
    }

    private static ImmutableArray<string> ListParquetFiles(string root)
    {
        // Spark's convention: names starting with '_' or '.' are metadata, not data.
        static bool Hidden(string name) => name.StartsWith('_') || name.StartsWith('.');
        var files = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            files.AddRange(Directory.EnumerateFiles(dir, "*.parquet").Where(f => !Hidden(Path.GetFileName(f))));
            foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => !Hidden(Path.GetFileName(d))))
            {
                pending.Push(sub);
            }
        }

        return [.. files.Order(StringComparer.Ordinal)];
    }

    private static TableSnapshot ParquetSnapshot(string tablePath, ImmutableArray<string> files)
    {
        var root = File.Exists(tablePath) ? Path.GetDirectoryName(tablePath)! : tablePath;
        var dataFiles = files.Select(f =>
        {
            var relative = Path.GetRelativePath(root, f);
            var partitions = ImmutableSortedDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
            foreach (var segment in Path.GetDirectoryName(relative)!.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = segment.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    var value = Uri.UnescapeDataString(segment[(eq + 1)..]);
                    partitions[segment[..eq]] = value == "__HIVE_DEFAULT_PARTITION__" ? null : value;
                }
            }

            return new DataFile(relative, f, new FileInfo(f).Length, partitions.ToImmutable(), null, null);
        }).ToImmutableArray();
        var partitionColumns = dataFiles.SelectMany(f => f.PartitionValues.Keys).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return new TableSnapshot(tablePath, TableFormat.Parquet, null, null, [], partitionColumns, ColumnMappingMode.None, dataFiles, null, null);
    }

    /// <summary>Reads the data files' footers once: which physical columns exist and their types.
    /// Plain Parquet tables take their schema from here.</summary>
    private static async Task<TableSnapshot> DescribeAsync(TableSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Files.IsEmpty)
        {
            return snapshot;
        }

        var roots = snapshot.Files.Select(f => Path.GetDirectoryName(f.FullPath)!).Distinct(StringComparer.Ordinal).ToArray();
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(roots) with { MemoryLimit = "512MB" }, cancellationToken);
        var list = "[" + string.Join(", ", snapshot.Files.Select(f => DuckDbEngine.Literal(f.FullPath))) + "]";
        QueryResult result;
        try
        {
            result = await engine.QueryAsync($"DESCRIBE SELECT * FROM read_parquet({list}, {DuckDbRelation.ScanOptions(snapshot)})", null, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new LakeTableException(snapshot.TablePath, $"its data files cannot be read as Parquet ({e.Message.Split('\n')[0]})", e);
        }

        var columns = result.Rows.ToImmutableDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
        if (snapshot.Format == TableFormat.Delta)
        {
            return snapshot with { PhysicalColumns = columns };
        }

        var schema = result.Rows
            .Where(r => !snapshot.PartitionColumns.Contains((string)r[0]!))
            .Select(r => new StructField((string)r[0]!, DuckDbTypes.ToSpark((string)r[1]!), true, (string)r[0]!, null))
            .ToImmutableArray();
        var partitions = snapshot.PartitionColumns
            .Select(p => new StructField(p, new PrimitiveType(InferPartitionType(snapshot.Files.Select(f => f.PartitionValues.GetValueOrDefault(p)))), true, p, null));
        return snapshot with { Schema = schema.AddRange(partitions), PhysicalColumns = columns };
    }

    /// <summary>Hive folder values are text; long when every value is an integer, else string.</summary>
    private static string InferPartitionType(IEnumerable<string?> values) =>
        values.All(v => v is null || long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
            ? "long"
            : "string";
}
