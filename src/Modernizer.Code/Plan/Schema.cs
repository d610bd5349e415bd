using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>One output column of a relation. <see cref="Qualifier"/> is the relation alias that
/// can prefix it in SQL; <see cref="Table"/>/<see cref="SourceColumn"/> name the base table column it
/// passes through unchanged, when it does (column lineage starts there).</summary>
public sealed record SchemaColumn(string Name, SparkType Type, bool Nullable = true)
{
    public string? Qualifier { get; init; }

    public string? Table { get; init; }

    public string? SourceColumn { get; init; }

    public bool NameIs(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    public bool QualifierIs(string qualifier) => string.Equals(Qualifier, qualifier, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An ordered list of columns. <see cref="IsKnown"/> is false when a source's columns are
/// not known (no schema supplied): name resolution then accepts any column name.</summary>
public sealed record Schema(EquatableArray<SchemaColumn> Columns, bool IsKnown = true)
{
    public static Schema Empty { get; } = new(EquatableArray<SchemaColumn>.Empty);

    public static Schema Unknown { get; } = new(EquatableArray<SchemaColumn>.Empty, false);

    public static Schema Of(params SchemaColumn[] columns) => new(columns.ToEquatableArray());

    public int Count => Columns.Count;

    /// <summary>Columns named <paramref name="name"/> (case-insensitive), optionally under a qualifier.</summary>
    public IEnumerable<SchemaColumn> Find(string name, string? qualifier = null) =>
        Columns.Items.Where(c => c.NameIs(name) && (qualifier is null || c.QualifierIs(qualifier)));

    public Schema WithQualifier(string? qualifier) =>
        this with { Columns = Columns.Select(c => c with { Qualifier = qualifier }) };

    public Schema Concat(Schema other) =>
        new(Columns.Items.AddRange(other.Columns.Items), IsKnown && other.IsKnown);

    public override string ToString() =>
        IsKnown ? "(" + string.Join(", ", Columns.Select(c => $"{c.Name}: {c.Type.SqlText}{(c.Nullable ? string.Empty : " NOT NULL")}")) + ")" : "(?)";
}

/// <summary>Supplies base table schemas (e.g. from the lake's Delta logs). Returns null when the
/// table is not known; planning then proceeds with an unknown schema.</summary>
public interface ISchemaProvider
{
    Schema? GetSchema(Sql.Syntax.TableName table);
}

/// <summary>Lookups by the dotted <c>schema.table</c> name the PySpark frontend tracks.</summary>
public static class SchemaProviderExtensions
{
    /// <summary>The known schema of <paramref name="table"/>; null for unknown tables and for
    /// non-lake names (<c>jdbc:...</c>, <c>path:...</c>).</summary>
    public static Schema? SchemaOf(this ISchemaProvider? provider, string table) =>
        provider is null || table.Contains(':', StringComparison.Ordinal) || table.Length == 0
            ? null
            : provider.GetSchema(Sql.Syntax.TableName.Of(table.Split('.'))) is { IsKnown: true } schema ? schema : null;

    /// <summary>Column names of <paramref name="table"/>, or null when unknown.</summary>
    public static IReadOnlyList<string>? ColumnsOf(this ISchemaProvider? provider, string table) =>
        provider.SchemaOf(table) is { } schema ? [.. schema.Columns.Select(c => c.Name)] : null;
}

/// <summary>A schema provider over a fixed dictionary, keyed case-insensitively by the dotted name.</summary>
public sealed class DictionarySchemaProvider(IReadOnlyDictionary<string, Schema> schemas) : ISchemaProvider
{
    public Schema? GetSchema(Sql.Syntax.TableName table)
    {
        foreach (var (name, schema) in schemas)
        {
            if (string.Equals(name, table.ToString(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, table.Name, StringComparison.OrdinalIgnoreCase))
            {
                return schema;
            }
        }

        return null;
    }
}
