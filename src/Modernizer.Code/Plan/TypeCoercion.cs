using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>Spark's (non-ANSI) type rules: numeric widening, decimal precision/scale arithmetic
/// (<c>DecimalPrecision</c>), and the wider common type used by CASE, COALESCE, IN and UNION.</summary>
public static class TypeCoercion
{
    /// <summary>Byte &lt; short &lt; int &lt; long &lt; float &lt; double.</summary>
    private static int NumericRank(SparkType type) => type switch
    {
        IntegralType integral => integral.Rank,
        FractionalType fractional => fractional.Rank,
        _ => 0,
    };

    /// <summary>The decimal Spark converts an exact operand to for decimal arithmetic.</summary>
    public static DecimalType? AsDecimal(SparkType type) => type switch
    {
        DecimalType decimalType => decimalType,
        IntegralType integral => integral.AsDecimal,
        _ => null,
    };

    /// <summary>The wider common type, or null when the two cannot be reconciled.</summary>
    public static SparkType? Wider(SparkType left, SparkType right)
    {
        if (left.Equals(right))
        {
            return left;
        }

        if (left is UnknownType || right is UnknownType)
        {
            return SparkType.Unknown;
        }

        if (left is NullType)
        {
            return right;
        }

        if (right is NullType)
        {
            return left;
        }

        if (left is DecimalType || right is DecimalType)
        {
            if (left is FractionalType || right is FractionalType)
            {
                return SparkType.Double;
            }

            var l = AsDecimal(left);
            var r = AsDecimal(right);
            if (l is not null && r is not null)
            {
                var scale = Math.Max(l.Scale, r.Scale);
                var integral = Math.Max(l.Precision - l.Scale, r.Precision - r.Scale);
                return DecimalType.Bounded(integral + scale, scale);
            }
        }

        if (left.IsNumeric && right.IsNumeric)
        {
            return NumericRank(left) >= NumericRank(right) ? left : right;
        }

        if (left is DateType && right is TimestampType or TimestampNtzType)
        {
            return right;
        }

        if (right is DateType && left is TimestampType or TimestampNtzType)
        {
            return left;
        }

        if (left is StringType or CharType || right is StringType or CharType)
        {
            // Spark promotes the other side to string in CASE/COALESCE/UNION when it is atomic.
            var other = left is StringType or CharType ? right : left;
            return other is ArrayType or MapType or StructType ? null : SparkType.String;
        }

        if (left is ArrayType la && right is ArrayType ra && Wider(la.Element, ra.Element) is { } element)
        {
            return SparkType.Array(element);
        }

        return null;
    }

    public static SparkType WiderAll(IEnumerable<SparkType> types)
    {
        SparkType result = SparkType.Null;
        foreach (var type in types)
        {
            result = Wider(result, type) ?? SparkType.Unknown;
        }

        return result;
    }

    /// <summary>Result type of + and - (also for date/time with intervals).</summary>
    public static SparkType AddSubtract(SparkType left, SparkType right, bool subtract)
    {
        if (left is UnknownType || right is UnknownType)
        {
            return SparkType.Unknown;
        }

        if (left is DateType && right is IntervalType)
        {
            return right is IntervalType { Qualifier: "DAY" or "YEAR" or "MONTH" or "YEAR TO MONTH" or "DAYS" } ? SparkType.Date : SparkType.Timestamp;
        }

        if (left is TimestampType or TimestampNtzType && right is IntervalType)
        {
            return left;
        }

        if (subtract && left is DateType && right is DateType)
        {
            return new IntervalType("DAY");
        }

        if (subtract && left is TimestampType or TimestampNtzType && right is TimestampType or TimestampNtzType or DateType)
        {
            return new IntervalType("DAY TO SECOND");
        }

        if (left is DecimalType || right is DecimalType)
        {
            if (Exact(left, right) is var (l, r) && l is not null && r is not null)
            {
                var scale = Math.Max(l.Scale, r.Scale);
                return DecimalType.Bounded(Math.Max(l.Precision - l.Scale, r.Precision - r.Scale) + scale + 1, scale);
            }

            return SparkType.Double;
        }

        return NumericResult(left, right);
    }

    public static SparkType Multiply(SparkType left, SparkType right)
    {
        if (left is UnknownType || right is UnknownType)
        {
            return SparkType.Unknown;
        }

        if (left is DecimalType || right is DecimalType)
        {
            if (Exact(left, right) is var (l, r) && l is not null && r is not null)
            {
                return DecimalType.Bounded(l.Precision + r.Precision + 1, l.Scale + r.Scale);
            }

            return SparkType.Double;
        }

        return NumericResult(left, right);
    }

    /// <summary>'/' always yields DOUBLE for non-decimal operands (integral division is <c>div</c>).</summary>
    public static SparkType Divide(SparkType left, SparkType right)
    {
        if (left is UnknownType || right is UnknownType)
        {
            return SparkType.Unknown;
        }

        if (left is DecimalType || right is DecimalType)
        {
            if (Exact(left, right) is var (l, r) && l is not null && r is not null)
            {
                var scale = Math.Max(DecimalType.MinimumAdjustedScale, l.Scale + r.Precision + 1);
                return DecimalType.Bounded(l.Precision - l.Scale + r.Scale + scale, scale);
            }
        }

        return SparkType.Double;
    }

    public static SparkType Remainder(SparkType left, SparkType right)
    {
        if (left is UnknownType || right is UnknownType)
        {
            return SparkType.Unknown;
        }

        if (left is DecimalType || right is DecimalType)
        {
            if (Exact(left, right) is var (l, r) && l is not null && r is not null)
            {
                var scale = Math.Max(l.Scale, r.Scale);
                return DecimalType.Bounded(Math.Min(l.Precision - l.Scale, r.Precision - r.Scale) + scale, scale);
            }

            return SparkType.Double;
        }

        return NumericResult(left, right);
    }

    private static (DecimalType? Left, DecimalType? Right) Exact(SparkType left, SparkType right) => (AsDecimal(left), AsDecimal(right));

    /// <summary>Non-decimal arithmetic: strings are read as DOUBLE, otherwise the wider numeric type.</summary>
    private static SparkType NumericResult(SparkType left, SparkType right)
    {
        if (left is StringType or CharType || right is StringType or CharType)
        {
            return SparkType.Double;
        }

        if (left is NullType)
        {
            return right.IsNumeric ? right : SparkType.Double;
        }

        if (right is NullType)
        {
            return left.IsNumeric ? left : SparkType.Double;
        }

        return left.IsNumeric && right.IsNumeric ? (NumericRank(left) >= NumericRank(right) ? left : right) : SparkType.Unknown;
    }
}
