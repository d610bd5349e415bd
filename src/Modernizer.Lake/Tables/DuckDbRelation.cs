using System.Globalization;
using System.Text;

namespace Modernizer.Lake.Tables;

/// <summary>Renders a snapshot as one DuckDB relation expression, so callers write
/// <c>SELECT ... FROM {relation}</c>: <c>read_parquet([...])</c> over the live files, partition
/// values from the log as typed literals, physical column names mapped to logical ones, and the
/// rows of deletion vectors removed through DuckDB's <c>file_row_number</c>.
/// Only paths and values read from the table's own log appear as literals (quoted); nothing a user
/// typed is spliced in.</summary>
public static class DuckDbRelation
{
    private const string FileColumn = "__mdz_file";
    private const string ScanAlias = "__mdz_t";

    public static string Render(TableSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Files.IsEmpty)
        {
            var empty = snapshot.Schema.Select(f => $"CAST(NULL AS {DuckDbTypes.FromSpark(f.Type)}) AS {Q(f.Name)}");
            return $"(SELECT {string.Join(", ", empty)} WHERE false)";
        }

        var partitioned = !snapshot.PartitionColumns.IsEmpty;
        var deletions = snapshot.Files.Where(f => !f.DeletedRows.IsEmpty).ToList();
        var options = new StringBuilder(ScanOptions(snapshot));
        if (partitioned || deletions.Count > 0)
        {
            options.Append(", filename = '").Append(FileColumn).Append('\'');
        }

        if (deletions.Count > 0)
        {
            options.Append(", file_row_number = true");
        }

        var files = "[" + string.Join(", ", snapshot.Files.Select(f => Literal(f.FullPath))) + "]";
        var sql = new StringBuilder("(SELECT ");
        var first = true;
        foreach (var field in snapshot.Schema)
        {
            if (!first)
            {
                sql.Append(", ");
            }

            first = false;
            var partitionIndex = snapshot.PartitionColumns.IndexOf(field.Name);
            if (partitionIndex >= 0)
            {
                sql.Append("__mdz_p.").Append(Q("p" + partitionIndex.ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                sql.Append(ColumnExpression(snapshot, field));
            }

            sql.Append(" AS ").Append(Q(field.Name));
        }

        sql.Append(" FROM read_parquet(").Append(files).Append(", ").Append(options).Append(") AS ").Append(ScanAlias);
        if (partitioned)
        {
            sql.Append(" JOIN (VALUES ");
            sql.AppendJoin(", ", snapshot.Files.Select(f => "(" + Literal(f.FullPath) + ", " + string.Join(", ", snapshot.PartitionColumns.Select(p => PartitionLiteral(snapshot, p, f))) + ")"));
            sql.Append(") AS __mdz_p(").Append(FileColumn).Append(", ")
                .AppendJoin(", ", snapshot.PartitionColumns.Select((_, i) => Q("p" + i.ToString(CultureInfo.InvariantCulture))))
                .Append(") ON ").Append(ScanAlias).Append('.').Append(FileColumn).Append(" = __mdz_p.").Append(FileColumn);
        }

        if (deletions.Count > 0)
        {
            sql.Append(" ANTI JOIN (SELECT f AS ").Append(FileColumn).Append(", unnest(range(s, e)) AS r FROM (VALUES ");
            sql.AppendJoin(", ", deletions.SelectMany(f => f.DeletedRows.Select(r =>
                $"({Literal(f.FullPath)}, {r.Start.ToString(CultureInfo.InvariantCulture)}::BIGINT, {r.End.ToString(CultureInfo.InvariantCulture)}::BIGINT)")));
            sql.Append(") AS v(f, s, e)) AS __mdz_dv ON ").Append(ScanAlias).Append('.').Append(FileColumn).Append(" = __mdz_dv.").Append(FileColumn)
                .Append(" AND ").Append(ScanAlias).Append(".file_row_number = __mdz_dv.r");
        }

        sql.Append(')');
        return sql.ToString();
    }

    /// <summary>Files are matched to the schema by column name (union_by_name), except under column
    /// mapping 'id' mode, where DuckDB maps Parquet field ids to the physical names.</summary>
    internal static string ScanOptions(TableSnapshot snapshot)
    {
        var fields = snapshot.Schema.Where(f => !snapshot.PartitionColumns.Contains(f.Name)).ToList();
        if (snapshot.ColumnMapping != ColumnMappingMode.Id || fields.Count == 0 || fields.Any(f => f.FieldId is null))
        {
            return "union_by_name = true, hive_partitioning = false";
        }

        var entries = fields.Select(f =>
            $"{f.FieldId!.Value.ToString(CultureInfo.InvariantCulture)}: {{name: {Literal(f.PhysicalName)}, type: {Literal(DuckDbTypes.FromSparkPhysical(f.Type))}, default_value: NULL}}");
        return "schema = MAP {" + string.Join(", ", entries) + "}, hive_partitioning = false";
    }

    internal static string Q(string identifier) => DuckDbTypes.QuoteIdentifier(identifier);

    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string ColumnExpression(TableSnapshot snapshot, StructField field)
    {
        var physical = snapshot.ColumnMapping == ColumnMappingMode.None ? field.Name : field.PhysicalName;
        var expected = DuckDbTypes.FromSpark(field.Type);
        if (!snapshot.PhysicalColumns.TryGetValue(physical, out var actual))
        {
            // A column added after every current file was written: null, typed as the schema says.
            return $"CAST(NULL AS {expected})";
        }

        var source = ScanAlias + "." + Q(physical);
        var renamed = snapshot.ColumnMapping == ColumnMappingMode.None ? source : Rename(source, field.Type);
        return field.Type is PrimitiveType && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            ? $"CAST({renamed} AS {expected})"
            : renamed;
    }

    /// <summary>Rebuilds nested values with logical field names (column mapping renames every level).</summary>
    private static string Rename(string source, SparkType type) => type switch
    {
        StructType s when s.Fields.Any(NeedsRename) =>
            $"CASE WHEN {source} IS NULL THEN NULL ELSE struct_pack({string.Join(", ", s.Fields.Select(f => Q(f.Name) + " := " + Rename($"{source}.{Q(f.PhysicalName)}", f.Type)))}) END",
        ArrayType a when NeedsRename(a.ElementType) => $"list_transform({source}, __mdz_x -> {Rename("__mdz_x", a.ElementType)})",
        MapType m when NeedsRename(m.KeyType) || NeedsRename(m.ValueType) =>
            $"map_from_entries(list_transform(map_entries({source}), __mdz_e -> {{'key': {Rename("__mdz_e.key", m.KeyType)}, 'value': {Rename("__mdz_e.value", m.ValueType)}}}))",
        _ => source,
    };

    private static bool NeedsRename(StructField field) => field.Name != field.PhysicalName || NeedsRename(field.Type);

    private static bool NeedsRename(SparkType type) => type switch
    {
        StructType s => s.Fields.Any(NeedsRename),
        ArrayType a => NeedsRename(a.ElementType),
        MapType m => NeedsRename(m.KeyType) || NeedsRename(m.ValueType),
        _ => false,
    };

    /// <summary>PROTOCOL "Partition Value Serialization": an empty string is null; values are typed.</summary>
    private static string PartitionLiteral(TableSnapshot snapshot, string column, DataFile file)
    {
        var type = snapshot.Column(column)?.Type ?? new PrimitiveType("string");
        var duckType = DuckDbTypes.FromSpark(type);
        var value = file.PartitionValues.GetValueOrDefault(column);
        if (string.IsNullOrEmpty(value))
        {
            return $"CAST(NULL AS {duckType})";
        }

        return $"CAST({Literal(value!)} AS {duckType})";
    }
}
