using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Lake.Tables;
using CodeTypes = Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Analysis;

/// <summary>Table schemas read from the workspace lake (R2.1): <c>schema.table</c> is the folder
/// lake/&lt;schema&gt;/&lt;table&gt; (path references reach the same name through the lake mounts),
/// and its schema is the Delta log's (or Parquet footer's), mapped onto the plan's Spark types.
/// Tables are opened once, up front, so lookups during the (parallel) walk do no I/O.</summary>
public sealed class LakeSchemaProvider : ISchemaProvider
{
    private readonly ImmutableDictionary<string, Schema> _schemas;

    private LakeSchemaProvider(ImmutableDictionary<string, Schema> schemas, ImmutableArray<string> problems)
    {
        _schemas = schemas;
        Problems = problems;
    }

    /// <summary>Tables that could not be opened (the rest are still served), one line each.</summary>
    public ImmutableArray<string> Problems { get; }

    public int Count => _schemas.Count;

    /// <summary>Opens every lake/&lt;schema&gt;/&lt;table&gt; folder under <paramref name="lakeFolder"/>;
    /// a missing lake gives an empty provider.</summary>
    public static async Task<LakeSchemaProvider> LoadAsync(string lakeFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lakeFolder);
        var schemas = ImmutableDictionary.CreateBuilder<string, Schema>(StringComparer.OrdinalIgnoreCase);
        var problems = ImmutableArray.CreateBuilder<string>();
        if (Directory.Exists(lakeFolder))
        {
            foreach (var schemaDir in Directory.EnumerateDirectories(lakeFolder).Order(StringComparer.Ordinal))
            {
                foreach (var tableDir in Directory.EnumerateDirectories(schemaDir).Order(StringComparer.Ordinal))
                {
                    var name = (Path.GetFileName(schemaDir) + "." + Path.GetFileName(tableDir)).ToLowerInvariant();
                    try
                    {
                        var snapshot = await LakeTable.OpenAsync(tableDir, null, cancellationToken).ConfigureAwait(false);
                        schemas[name] = ToSchema(name, snapshot.Schema);
                    }
                    catch (Exception error) when (error is LakeTableException or IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
                    {
                        problems.Add($"{tableDir}: {error.Message}");
                    }
                }
            }
        }

        return new LakeSchemaProvider(schemas.ToImmutable(), problems.ToImmutable());
    }

    public Schema? GetSchema(TableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parts = table.Parts.Items;
        if (parts.Length < 2)
        {
            return null;
        }

        // A three-part name (catalog.schema.table) resolves on its last two parts, as the mounts do.
        var key = parts[^2].Text + "." + parts[^1].Text;
        return _schemas.TryGetValue(key, out var schema) ? schema : null;
    }

    internal static Schema ToSchema(string table, ImmutableArray<Lake.Tables.StructField> fields) =>
        new(fields.Select(f => new SchemaColumn(f.Name, ToType(f.Type), f.Nullable) { Table = table, SourceColumn = f.Name }).ToEquatableArray());

    internal static CodeTypes.SparkType ToType(Lake.Tables.SparkType type) => type switch
    {
        PrimitiveType { Name: "string" } => CodeTypes.SparkType.String,
        PrimitiveType { Name: "long" } => CodeTypes.SparkType.Long,
        PrimitiveType { Name: "integer" } => CodeTypes.SparkType.Int,
        PrimitiveType { Name: "short" } => CodeTypes.SparkType.Short,
        PrimitiveType { Name: "byte" } => CodeTypes.SparkType.Byte,
        PrimitiveType { Name: "float" } => CodeTypes.SparkType.Float,
        PrimitiveType { Name: "double" } => CodeTypes.SparkType.Double,
        PrimitiveType { Name: "boolean" } => CodeTypes.SparkType.Boolean,
        PrimitiveType { Name: "binary" } => CodeTypes.SparkType.Binary,
        PrimitiveType { Name: "date" } => CodeTypes.SparkType.Date,
        PrimitiveType { Name: "timestamp" } => CodeTypes.SparkType.Timestamp,
        PrimitiveType { Name: "timestamp_ntz" } => CodeTypes.SparkType.TimestampNtz,
        PrimitiveType { Name: "void" } => CodeTypes.SparkType.Null,
        PrimitiveType { IsDecimal: true } decimalType => Decimal(decimalType.Name),
        Lake.Tables.ArrayType array => CodeTypes.SparkType.Array(ToType(array.ElementType), array.ContainsNull),
        Lake.Tables.MapType map => CodeTypes.SparkType.Map(ToType(map.KeyType), ToType(map.ValueType), map.ValueContainsNull),
        Lake.Tables.StructType structType => new CodeTypes.StructType(structType.Fields.Select(f => new CodeTypes.StructField(f.Name, ToType(f.Type), f.Nullable)).ToEquatableArray()),
        _ => CodeTypes.SparkType.Unknown,
    };

    /// <summary><c>decimal(p,s)</c>; a bare <c>decimal</c> is Spark's default DECIMAL(10,0).</summary>
    private static CodeTypes.SparkType Decimal(string name)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return CodeTypes.SparkType.Decimal(10, 0);
        }

        var parts = name[(open + 1)..].TrimEnd(')').Split(',');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var precision)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var scale)
            ? CodeTypes.SparkType.Decimal(precision, scale)
            : CodeTypes.SparkType.Unknown;
    }
}
