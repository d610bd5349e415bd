using System.Collections.Immutable;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>A DataFrame value of the driver program.</summary>
internal sealed record DataFrameValue(Frame Frame) : PyValue
{
    public override string TypeName => "DataFrame";
}

/// <summary>A pyspark Column: an expression whose column references are resolved against the
/// DataFrame it is used on. A reference is by name (<c>F.col("x")</c>) or by identity
/// (<c>df["x"]</c>, <c>df.x</c>): see <see cref="ColumnRefs"/>.</summary>
internal sealed record ColumnValue(Expr Expr) : PyValue
{
    /// <summary>The name Spark gives the column when it is selected as it is (alias, or the source column's name).</summary>
    public string? Name { get; init; }

    /// <summary>An ORDER BY direction (desc(), asc_nulls_last()...), when one was given.</summary>
    public SortDirection Direction { get; init; }

    public NullOrdering Nulls { get; init; }

    public override string TypeName => "Column";

    public ColumnValue Derive(Expr expr) => new(expr);
}

/// <summary>Column references before resolution: a by-name reference is an unbound ColumnRef; a
/// by-identity one has a first part "#origin".</summary>
internal static class ColumnRefs
{
    private const string Marker = "#";

    public static ColumnRef ByName(string name) => new(name.Split('.').Select(p => new NamePart(p)).ToEquatableArray());

    public static ColumnRef ByOrigin(long origin, string name) =>
        new([new NamePart(Marker + origin.ToString(System.Globalization.CultureInfo.InvariantCulture)), new NamePart(name)]);

    public static long? Origin(ColumnRef reference) =>
        reference.Binding is null && reference.Parts.Count == 2 && reference.Parts[0].Text.StartsWith(Marker, StringComparison.Ordinal)
            ? long.Parse(reference.Parts[0].Text[1..], System.Globalization.CultureInfo.InvariantCulture)
            : null;
}

/// <summary>Spark objects of the driver: the session and its reader, conf and catalog, writers,
/// grouped data, window specs, data types, UDFs, widgets. <see cref="Kind"/> names the object;
/// <see cref="State"/> carries what it has accumulated (a writer's mode, a window's keys...).</summary>
internal sealed record SparkObject(string Kind, ImmutableDictionary<string, object?> State) : PyValue
{
    public override string TypeName => Kind;

    public static SparkObject Of(string kind) => new(kind, ImmutableDictionary<string, object?>.Empty);

    public T? Get<T>(string key) => State.TryGetValue(key, out var value) && value is T typed ? typed : default;

    public SparkObject With(string key, object? value) => this with { State = State.SetItem(key, value) };
}

/// <summary>A Spark data type value (StringType(), DecimalType(18, 2), a StructType schema).</summary>
internal sealed record TypeValue(SparkType Type, ImmutableArray<SchemaColumn> Fields) : PyValue
{
    public override string TypeName => "DataType";

    public static TypeValue Of(SparkType type) => new(type, []);
}

/// <summary>The rows collect() / toLocalIterator() / toPandas() returns: a list only the row lifter iterates.</summary>
internal sealed record CollectedRows(Frame Frame, string Via) : PyValue
{
    public override string TypeName => Via == "toPandas" ? "pandas.DataFrame" : "list";
}

/// <summary>One row of a single-row result (collect()[0], first() of an aggregate): its fields are scalar subqueries.</summary>
internal sealed record RowValue(Frame Frame, ImmutableArray<PyValue> Fields) : PyValue
{
    public override string TypeName => "Row";
}
