using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>A Python UDF's return value as PySpark converts it to the declared type: None is NULL;
/// a value of another Python type than the declared one becomes NULL (PySpark does not coerce a
/// float into an int column, or an int into a double one).</summary>
internal static class Udfs
{
    public static Expr Convert(PyValue result, SparkType declared, PyNode site, DriverInterpreter interpreter)
    {
        if (result is PyNone)
        {
            return new Cast(Literal.Null, declared);
        }

        if (result is PyUnknown unknown)
        {
            throw interpreter.Refuse(unknown.Reason + " is returned by the UDF", site);
        }

        var scalar = (SqlScalar)ValueOps.Scalar(result, site, interpreter);
        var accepted = declared switch
        {
            IntegralType => scalar.Kind is PyKind.Int,
            FractionalType => scalar.Kind is PyKind.Float,
            DecimalType => scalar.Kind is PyKind.Decimal,
            StringType => scalar.Kind is PyKind.Str,
            BooleanType => scalar.Kind is PyKind.Bool,
            DateType => scalar.Kind is PyKind.Date,
            _ => false,
        };
        if (scalar.Kind == PyKind.None)
        {
            return new Cast(Literal.Null, declared);
        }

        if (!accepted)
        {
            throw interpreter.Refuse($"a UDF declared {declared} returning a {scalar.Kind} (PySpark gives NULL or fails)", site);
        }

        return Plan.TypeInference.TypeOf(scalar.Sql).Equals(declared) ? scalar.Sql : new Cast(scalar.Sql, declared);
    }
}
