using System.Collections.Immutable;

namespace Modernizer.Lake.Tables;

/// <summary>A Spark/Delta data type as serialized in the Delta schema (PROTOCOL "Schema
/// Serialization Format").</summary>
public abstract record SparkType
{
    /// <summary>The Spark SQL spelling, e.g. <c>decimal(10,2)</c>, <c>array&lt;string&gt;</c>.</summary>
    public abstract string SparkSql { get; }
}

/// <summary>string, long, integer, short, byte, float, double, decimal(p,s), boolean, binary, date,
/// timestamp, timestamp_ntz, void.</summary>
public sealed record PrimitiveType(string Name) : SparkType
{
    public override string SparkSql => Name;

    public bool IsNumeric => Name is "long" or "integer" or "short" or "byte" or "float" or "double" || IsDecimal;

    public bool IsDecimal => Name.StartsWith("decimal", StringComparison.Ordinal);

    public bool IsTemporal => Name is "date" or "timestamp" or "timestamp_ntz";

    public bool IsString => Name == "string";
}

public sealed record StructType(ImmutableArray<StructField> Fields) : SparkType
{
    public override string SparkSql => "struct<" + string.Join(",", Fields.Select(f => f.Name + ":" + f.Type.SparkSql)) + ">";
}

public sealed record ArrayType(SparkType ElementType, bool ContainsNull) : SparkType
{
    public override string SparkSql => "array<" + ElementType.SparkSql + ">";
}

public sealed record MapType(SparkType KeyType, SparkType ValueType, bool ValueContainsNull) : SparkType
{
    public override string SparkSql => "map<" + KeyType.SparkSql + "," + ValueType.SparkSql + ">";
}

/// <summary>A column: its logical name, the name (or id) it has in the Parquet files under column
/// mapping, and nullability.</summary>
public sealed record StructField(string Name, SparkType Type, bool Nullable, string PhysicalName, long? FieldId);
