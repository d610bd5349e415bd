using System.Globalization;

namespace Modernizer.Code.Sql.Types;

/// <summary>Spark SQL data types. <see cref="SqlText"/> is the Spark spelling used by the printer
/// and the Spark emitter; other dialects map types in their own override table.</summary>
public abstract record SparkType
{
    public abstract string SqlText { get; }

    public virtual bool IsNumeric => false;

    public virtual bool IsIntegral => false;

    public override string ToString() => SqlText;

    public static SparkType Boolean => BooleanType.Instance;
    public static SparkType Byte => IntegralType.TinyInt;
    public static SparkType Short => IntegralType.SmallInt;
    public static SparkType Int => IntegralType.IntType;
    public static SparkType Long => IntegralType.BigInt;
    public static SparkType Float => FractionalType.FloatType;
    public static SparkType Double => FractionalType.DoubleType;
    public static SparkType String => StringType.Instance;
    public static SparkType Binary => BinaryType.Instance;
    public static SparkType Date => DateType.Instance;
    public static SparkType Timestamp => TimestampType.Instance;
    public static SparkType TimestampNtz => TimestampNtzType.Instance;
    public static SparkType Null => NullType.Instance;
    public static SparkType Unknown => UnknownType.Instance;

    public static DecimalType Decimal(int precision, int scale) => new(precision, scale);

    public static ArrayType Array(SparkType element, bool containsNull = true) => new(element, containsNull);

    public static MapType Map(SparkType key, SparkType value, bool valueContainsNull = true) => new(key, value, valueContainsNull);
}

public sealed record BooleanType : SparkType
{
    public static BooleanType Instance { get; } = new();

    public override string SqlText => "BOOLEAN";
}

/// <summary>BYTE, SHORT, INT, BIGINT; <see cref="Rank"/> orders them for widening.</summary>
public sealed record IntegralType(string Name, int Rank, int DecimalDigits) : SparkType
{
    public static IntegralType TinyInt { get; } = new("TINYINT", 1, 3);
    public static IntegralType SmallInt { get; } = new("SMALLINT", 2, 5);
    public static IntegralType IntType { get; } = new("INT", 3, 10);
    public static IntegralType BigInt { get; } = new("BIGINT", 4, 20);

    public override string SqlText => Name;

    public override bool IsNumeric => true;

    public override bool IsIntegral => true;

    /// <summary>The decimal Spark uses for this type in decimal arithmetic (INT is DECIMAL(10,0)).</summary>
    public DecimalType AsDecimal => new(DecimalDigits, 0);
}

public sealed record FractionalType(string Name, int Rank) : SparkType
{
    public static FractionalType FloatType { get; } = new("FLOAT", 5);
    public static FractionalType DoubleType { get; } = new("DOUBLE", 6);

    public override string SqlText => Name;

    public override bool IsNumeric => true;
}

public sealed record DecimalType(int Precision, int Scale) : SparkType
{
    public const int MaxPrecision = 38;

    /// <summary>Spark keeps at least this many fraction digits when a result must be narrowed.</summary>
    public const int MinimumAdjustedScale = 6;

    public override string SqlText => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({Precision},{Scale})");

    public override bool IsNumeric => true;

    /// <summary>Spark's <c>DecimalType.adjustPrecisionScale</c> (allowPrecisionLoss = true): when
    /// the exact result needs more than 38 digits, keep the integral digits and shrink the scale,
    /// but never below 6.</summary>
    public static DecimalType Bounded(int precision, int scale)
    {
        if (precision <= MaxPrecision)
        {
            return new DecimalType(precision, scale);
        }

        var integralDigits = precision - scale;
        var minScale = Math.Min(scale, MinimumAdjustedScale);
        var adjustedScale = Math.Max(MaxPrecision - integralDigits, minScale);
        return new DecimalType(MaxPrecision, adjustedScale);
    }
}

public sealed record StringType : SparkType
{
    public static StringType Instance { get; } = new();

    public override string SqlText => "STRING";
}

/// <summary>VARCHAR(n)/CHAR(n) as declared; Spark treats both as strings with a length check.</summary>
public sealed record CharType(string Name, int Length) : SparkType
{
    public override string SqlText => string.Create(CultureInfo.InvariantCulture, $"{Name}({Length})");
}

public sealed record BinaryType : SparkType
{
    public static BinaryType Instance { get; } = new();

    public override string SqlText => "BINARY";
}

public sealed record DateType : SparkType
{
    public static DateType Instance { get; } = new();

    public override string SqlText => "DATE";
}

/// <summary>TIMESTAMP (with local time zone semantics in Spark).</summary>
public sealed record TimestampType : SparkType
{
    public static TimestampType Instance { get; } = new();

    public override string SqlText => "TIMESTAMP";
}

public sealed record TimestampNtzType : SparkType
{
    public static TimestampNtzType Instance { get; } = new();

    public override string SqlText => "TIMESTAMP_NTZ";
}

/// <summary>An interval; <see cref="Qualifier"/> is e.g. "DAY", "YEAR TO MONTH", or empty for
/// the legacy calendar interval.</summary>
public sealed record IntervalType(string Qualifier) : SparkType
{
    public static IntervalType Calendar { get; } = new(string.Empty);

    public override string SqlText => Qualifier.Length == 0 ? "INTERVAL" : "INTERVAL " + Qualifier;
}

public sealed record ArrayType(SparkType Element, bool ContainsNull) : SparkType
{
    public override string SqlText => $"ARRAY<{Element.SqlText}>";
}

public sealed record MapType(SparkType Key, SparkType Value, bool ValueContainsNull) : SparkType
{
    public override string SqlText => $"MAP<{Key.SqlText}, {Value.SqlText}>";
}

public sealed record StructField(string Name, SparkType Type, bool Nullable = true);

public sealed record StructType(EquatableArray<StructField> Fields) : SparkType
{
    public override string SqlText =>
        "STRUCT<" + string.Join(", ", Fields.Select(f => $"{Syntax.SqlIdentifiers.Quote(f.Name)}: {f.Type.SqlText}")) + ">";

    public StructField? Find(string name) =>
        Fields.Items.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The type of a NULL literal: castable to anything.</summary>
public sealed record NullType : SparkType
{
    public static NullType Instance { get; } = new();

    public override string SqlText => "VOID";
}

/// <summary>Not known statically (a column of a table whose schema was not supplied, a UDF).
/// Inference propagates it rather than guessing.</summary>
public sealed record UnknownType : SparkType
{
    public static UnknownType Instance { get; } = new();

    public override string SqlText => "UNKNOWN";
}
