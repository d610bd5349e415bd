using System.Globalization;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>A type with its nullability.</summary>
public readonly record struct TypedResult(SparkType Type, bool Nullable);

/// <summary>The Spark type and nullability of a plan expression. Column references must be bound
/// (<see cref="ColumnRef.Binding"/>); unbound ones are <see cref="UnknownType"/>.</summary>
public static class TypeInference
{
    public static SparkType TypeOf(Expr expr) => Infer(expr).Type;

    public static bool IsNullable(Expr expr) => Infer(expr).Nullable;

    public static TypedResult Infer(Expr expr)
    {
        switch (expr)
        {
            case Literal literal:
                return new TypedResult(LiteralType(literal), literal.Kind == LiteralKind.Null);
            case IntervalLiteral interval:
                return new TypedResult(IntervalTypeOf(interval), false);
            case ColumnRef column:
                return column.Binding is { } binding ? new TypedResult(binding.Type, binding.Nullable) : new TypedResult(SparkType.Unknown, true);
            case Star or Placeholder:
                return new TypedResult(SparkType.Unknown, true);
            case Unary unary:
                var operand = Infer(unary.Operand);
                return unary.Op == UnaryOp.Not ? operand with { Type = SparkType.Boolean } : operand;
            case Binary binary:
                return BinaryType(binary);
            case IsNull or Exists:
                return new TypedResult(SparkType.Boolean, false);
            case IsTruth:
                return new TypedResult(SparkType.Boolean, false);
            case Between between:
                return Predicate(between.Operand, between.Low, between.High);
            case InList inList:
                return Predicate([inList.Operand, .. inList.Items]);
            case Like like:
                return Predicate(like.Operand, like.Pattern);
            case InSubquery inSubquery:
                return new TypedResult(SparkType.Boolean, Infer(inSubquery.Operand).Nullable);
            case Case @case:
                var branches = @case.Whens.Select(w => Infer(w.Result)).ToList();
                var otherwise = @case.Else is null ? new TypedResult(SparkType.Null, true) : Infer(@case.Else);
                branches.Add(otherwise);
                return new TypedResult(TypeCoercion.WiderAll(branches.Select(b => b.Type)), branches.Any(b => b.Nullable));
            case Cast cast:
                var source = Infer(cast.Operand);
                return new TypedResult(cast.Type, source.Nullable || cast.IsTry || source.Type is StringType or UnknownType);
            case FunctionCall call:
                return FunctionType(call);
            case Extract:
                return new TypedResult(SparkType.Int, Infer(((Extract)expr).Source).Nullable);
            case Lambda lambda:
                return Infer(lambda.Body);
            case FieldAccess access:
                var container = Infer(access.Operand);
                return container.Type is StructType structType && structType.Find(access.Field) is { } field
                    ? new TypedResult(field.Type, container.Nullable || field.Nullable)
                    : new TypedResult(SparkType.Unknown, true);
            case Subscript subscript:
                var collection = Infer(subscript.Operand).Type;
                return new TypedResult(collection switch { ArrayType a => a.Element, MapType m => m.Value, _ => SparkType.Unknown }, true);
            case Alias alias:
                return Infer(alias.Operand);
            case MultiAlias multi:
                return Infer(multi.Operand);
            case RowExpr:
                return new TypedResult(SparkType.Unknown, true);
            case ScalarSubquery:
                return new TypedResult(SparkType.Unknown, true);
            case PlanSubquery subquery:
                return subquery.Kind switch
                {
                    SubqueryKind.Scalar => PlanSchema.Of(subquery.Plan).Columns is { Count: > 0 } columns
                        ? new TypedResult(columns[0].Type, true)
                        : new TypedResult(SparkType.Unknown, true),
                    _ => new TypedResult(SparkType.Boolean, subquery.Operand is not null && Infer(subquery.Operand).Nullable),
                };
            default:
                throw new InvalidOperationException($"TypeInference does not know {expr.GetType().Name}.");
        }
    }

    /// <summary>Literal types: an integer is INT when it fits, else BIGINT, else DECIMAL; 1.50 is DECIMAL(3,2).</summary>
    public static SparkType LiteralType(Literal literal) => literal.Kind switch
    {
        LiteralKind.Null => SparkType.Null,
        LiteralKind.Boolean => SparkType.Boolean,
        LiteralKind.String => SparkType.String,
        LiteralKind.Integer => long.TryParse(literal.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value <= int.MaxValue ? SparkType.Int : SparkType.Long
            : DecimalType.Bounded(literal.Value.Length, 0),
        LiteralKind.TinyInt => SparkType.Byte,
        LiteralKind.SmallInt => SparkType.Short,
        LiteralKind.BigInt => SparkType.Long,
        LiteralKind.Decimal => DecimalOf(literal.Value),
        LiteralKind.Double => SparkType.Double,
        LiteralKind.Float => SparkType.Float,
        LiteralKind.Date => SparkType.Date,
        LiteralKind.Timestamp => SparkType.Timestamp,
        LiteralKind.TimestampNtz => SparkType.TimestampNtz,
        LiteralKind.Binary => SparkType.Binary,
        _ => throw new InvalidOperationException($"Unknown literal kind {literal.Kind}."),
    };

    /// <summary>Java BigDecimal precision/scale of the literal text, as Spark reads it.</summary>
    private static DecimalType DecimalOf(string text)
    {
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var scale = point < 0 ? 0 : text.Length - point - 1;
        var digits = text.Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');
        var precision = Math.Max(digits.Length, 1);
        return DecimalType.Bounded(Math.Max(precision, scale), scale);
    }

    private static SparkType IntervalTypeOf(IntervalLiteral interval)
    {
        var units = interval.Fields.Select(f => f.Unit?.TrimEnd('S')).ToList();
        if (units.All(u => u is "YEAR" or "MONTH"))
        {
            return new IntervalType(units.Count == 1 ? units[0]! : "YEAR TO MONTH");
        }

        if (units.All(u => u is "DAY" or "WEEK"))
        {
            return new IntervalType("DAY");
        }

        return units.Any(u => u is null) ? IntervalType.Calendar : new IntervalType("DAY TO SECOND");
    }

    private static TypedResult Predicate(params Expr[] operands) =>
        new(SparkType.Boolean, operands.Any(o => Infer(o).Nullable));

    private static TypedResult BinaryType(Binary binary)
    {
        var left = Infer(binary.Left);
        var right = Infer(binary.Right);

        // Spark gives an integer literal next to a decimal the fewest digits it needs
        // (DecimalType.fromLiteral, spark.sql.legacy.literal.pickMinimumPrecision).
        if (right.Type is DecimalType && binary.Left is Literal { Kind: LiteralKind.Integer } leftLiteral)
        {
            left = left with { Type = MinimalDecimal(leftLiteral) };
        }

        if (left.Type is DecimalType && binary.Right is Literal { Kind: LiteralKind.Integer } rightLiteral)
        {
            right = right with { Type = MinimalDecimal(rightLiteral) };
        }

        var nullable = left.Nullable || right.Nullable;
        return binary.Op switch
        {
            BinaryOp.And or BinaryOp.Or => new TypedResult(SparkType.Boolean, nullable),
            BinaryOp.Eq or BinaryOp.EqEq or BinaryOp.NotEq or BinaryOp.BangEq or BinaryOp.Lt or BinaryOp.LtEq or BinaryOp.Gt or BinaryOp.GtEq
                => new TypedResult(SparkType.Boolean, nullable),
            BinaryOp.NullSafeEq or BinaryOp.IsDistinctFrom or BinaryOp.IsNotDistinctFrom => new TypedResult(SparkType.Boolean, false),
            BinaryOp.Concat => new TypedResult(left.Type is ArrayType ? left.Type : SparkType.String, nullable),
            BinaryOp.Add => new TypedResult(TypeCoercion.AddSubtract(left.Type, right.Type, subtract: false), nullable),
            BinaryOp.Subtract => new TypedResult(TypeCoercion.AddSubtract(left.Type, right.Type, subtract: true), nullable),
            BinaryOp.Multiply => new TypedResult(TypeCoercion.Multiply(left.Type, right.Type), nullable),
            // Division by zero yields NULL in Spark (non-ANSI): always nullable.
            BinaryOp.Divide => new TypedResult(TypeCoercion.Divide(left.Type, right.Type), true),
            BinaryOp.IntDivide => new TypedResult(SparkType.Long, true),
            BinaryOp.Modulo => new TypedResult(TypeCoercion.Remainder(left.Type, right.Type), true),
            BinaryOp.BitAnd or BinaryOp.BitOr or BinaryOp.BitXor => new TypedResult(TypeCoercion.Wider(left.Type, right.Type) ?? SparkType.Unknown, nullable),
            _ => throw new InvalidOperationException($"Unknown operator {binary.Op}."),
        };
    }

    private static DecimalType MinimalDecimal(Literal literal) =>
        DecimalType.Bounded(Math.Max(1, literal.Value.TrimStart('-').TrimStart('0').Length), 0);

    private static TypedResult FunctionType(FunctionCall call)
    {
        var args = call.Args.Select(Infer).ToList();
        var info = FunctionCatalog.Find(call.Name);
        if (info is null)
        {
            return new TypedResult(SparkType.Unknown, true);
        }

        var type = info.ReturnType(args.Select(a => a.Type).ToList());
        var nullable = info.Kind switch
        {
            FunctionKind.Aggregate => call.Key is not ("count" or "count_if" or "approx_count_distinct" or "collect_list" or "collect_set"),
            FunctionKind.Window => call.Key is "lag" or "lead" or "nth_value",
            _ when call.Key is "coalesce" or "nvl" or "ifnull" => args.All(a => a.Nullable),
            _ when info.NullOnNullInput => args.Any(a => a.Nullable) || call.Key is "to_date" or "to_timestamp" or "get_json_object" or "regexp_extract" or "element_at",
            _ => true,
        };
        return new TypedResult(type, nullable);
    }
}
