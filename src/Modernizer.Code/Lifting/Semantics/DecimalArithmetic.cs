using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Semantics;

/// <summary>Spark's decimal division and product, computed exactly in DuckDB (whose decimal division gives a
/// double). Spark divides the two BigDecimals rounding HALF_UP to 38 significant digits, then rounds
/// HALF_UP again to the result scale S of the division's type. With integers: the operands' unscaled
/// values A and B, N = |A|·10^e and D = |B| (or the other way for e &lt; 0) with e = S + s2 − s1, so
/// Q = N div D and R = N mod D are the quotient at scale S and its remainder. A single HALF_UP rounds
/// up when 2R ≥ D. The first rounding happens u = 38 − digits(Q) places further right; it can carry the
/// remainder up to exactly one half, and then the result rounds up too: that is when
/// (D − 2R)·10^u ≤ D. A result wider than the type's precision overflows: an error, never a wrong
/// value. A zero divisor gives NULL, as Spark (ANSI off) does.</summary>
internal static class DecimalArithmetic
{
    private static readonly IntegralType HugeInt = new("HUGEINT", 5, 39);

    public static Expr Lower(Binary division, DecimalType result)
    {
        var (a, s1) = Unscaled(division.Left);
        var (b, s2) = Unscaled(division.Right);
        var e = result.Scale + s2 - s1;
        // The cast (a no-op on the value) carries the result type to the expressions around it.
        return new Cast(Let([a, b], "mz_ab", ab =>
        {
            var n = Mul(Abs(ab[0]), PowerOfTen(Math.Max(e, 0)));
            var d = Mul(Abs(ab[1]), PowerOfTen(Math.Max(-e, 0)));
            return Let([new Binary(BinaryOp.IntDivide, n, d), new Binary(BinaryOp.Modulo, n, d), d], "mz_qrd", qrd =>
            {
                var (q, r, divisor) = (qrd[0], qrd[1], qrd[2]);
                var twoR = Mul(Literal.Of(2), r);
                var digits = Call("length", new Cast(q, SparkType.String));
                var u = new Binary(BinaryOp.Subtract, Literal.Of(38), digits);
                var tenToU = new Cast(Call("rpad", Literal.Of("1"), new Cast(new Binary(BinaryOp.Add, u, Literal.Of(1)), SparkType.Int), Literal.Of("0")), HugeInt);
                var carried = new Binary(BinaryOp.And,
                    new Binary(BinaryOp.And, new Binary(BinaryOp.Gt, q, Literal.Of(0)), new Between(u, Literal.Of(1), Literal.Of(38), false)),
                    new Binary(BinaryOp.LtEq, new Binary(BinaryOp.Subtract, divisor, twoR), new Binary(BinaryOp.IntDivide, divisor, tenToU)));
                var up = new Case(null, [new WhenClause(new Binary(BinaryOp.GtEq, twoR, divisor), Literal.Of(1)), new WhenClause(carried, Literal.Of(1))], Literal.Of(0));
                var rounded = new Binary(BinaryOp.Add, q, up);
                return Let([rounded, Mul(Call("sign", ab[0]), Call("sign", ab[1])), ab[1]], "mz_rsb", rsb => Decimal(rsb[0], rsb[1], rsb[2], result, "division"));
            });
        }), result);
    }

    /// <summary>Binds values computed once per row to a name the body reads as often as it needs
    /// (<c>list_transform([[v…]], x -&gt; body)[1]</c>): without it every use repeats the operand's whole
    /// expression, and nested decimal arithmetic grows exponentially. The values share one type
    /// (HUGEINT); <paramref name="name"/> is unique within one lowering, and the operands, which may hold
    /// lowerings of their own, stand outside the body.</summary>
    private static Expr Let(Expr[] values, string name, Func<Expr[], Expr> body)
    {
        var bound = new ColumnRef([new NamePart(name)]);
        var items = values.Select((_, i) => (Expr)Call("list_extract", bound, Literal.Of(i + 1))).ToArray();
        // One element, the list of the values: the lambda runs once and its parameter is that list.
        var list = Call("list_value", Call("list_value", [.. values.Select(v => (Expr)new Cast(v, HugeInt))]));
        return Call("list_extract", Call("list_transform", list, new Lambda([name], body(items))), Literal.Of(1));
    }

    /// <summary>Spark's product of decimals: the exact product rounded HALF_UP to 38 significant digits, then
    /// HALF_UP to the result scale S (below s1 + s2 when p1 + p2 + 1 exceeds 38). The unscaled product is
    /// computed exactly in a 128-bit integer (DuckDB raises on overflow); with at most 38 digits the first
    /// rounding changes nothing, and one HALF_UP to scale S remains. A wider product is an error, not a
    /// value that might be off by one in the last place.</summary>
    public static Expr LowerProduct(Binary product, DecimalType result)
    {
        var (a, s1) = Unscaled(product.Left);
        var (b, s2) = Unscaled(product.Right);
        var shift = s1 + s2 - result.Scale;
        return new Cast(Let([a, b], "mz_ab", ab => Let([Mul(Abs(ab[0]), Abs(ab[1])), Mul(Call("sign", ab[0]), Call("sign", ab[1]))], "mz_ps", ps =>
        {
            var p = ps[0];
            Expr rounded;
            if (shift <= 0)
            {
                rounded = Mul(p, PowerOfTen(-shift));
            }
            else
            {
                var divisor = PowerOfTen(shift);
                var q = new Binary(BinaryOp.IntDivide, p, divisor);
                var r = new Binary(BinaryOp.Modulo, p, divisor);
                rounded = new Binary(BinaryOp.Add, q, new Case(null, [new WhenClause(new Binary(BinaryOp.GtEq, Mul(Literal.Of(2), r), divisor), Literal.Of(1))], Literal.Of(0)));
            }

            var tooWide = new Binary(BinaryOp.Gt, Call("length", new Cast(p, SparkType.String)), Literal.Of(38));
            return new Case(null,
                [new WhenClause(tooWide, Call("error", Literal.Of("a decimal product of more than 38 digits (Spark rounds it twice; not reproduced)")))],
                Let([rounded], "mz_r", r => Decimal(r[0], ps[1], null, result, "multiplication")));
        })), result);
    }

    /// <summary>sign · digits · 10^-S as DECIMAL(P,S), through its exact text; NULL for a zero divisor; an
    /// error when it overflows the precision.</summary>
    private static Expr Decimal(Expr rounded, Expr sign, Expr? divisor, DecimalType result, string operation)
    {
        // The decimal's text: the digits with the point S places from the right, and the sign.
        // lpad cuts a longer text to the width: pad to at least S + 1 digits, never shorter than the number.
        var digitsText = new Cast(rounded, SparkType.String);
        var text = Call("lpad", digitsText, new Cast(Call("greatest", Call("length", digitsText), Literal.Of(result.Scale + 1)), SparkType.Int), Literal.Of("0"));
        var length = Call("length", text);
        var body = result.Scale == 0
            ? (Expr)text
            : new Binary(BinaryOp.Concat, new Binary(BinaryOp.Concat,
                Call("left", text, new Binary(BinaryOp.Subtract, length, Literal.Of(result.Scale))), Literal.Of(".")), Call("right", text, Literal.Of(result.Scale)));
        var negative = new Binary(BinaryOp.And, new Binary(BinaryOp.Lt, sign, Literal.Of(0)), new Binary(BinaryOp.Gt, rounded, Literal.Of(0)));
        var signed = new Binary(BinaryOp.Concat, new Case(null, [new WhenClause(negative, Literal.Of("-"))], Literal.Of(string.Empty)), body);
        var overflow = new Binary(BinaryOp.Gt, Call("length", new Cast(rounded, SparkType.String)), Literal.Of(result.Precision));
        var error = new WhenClause(overflow, Call("error", Literal.Of($"decimal {operation} overflows DECIMAL({result.Precision},{result.Scale}) (Spark: NULL with ANSI off, an error with it on)")));
        return divisor is null
            ? new Case(null, [error], new Cast(signed, result))
            : new Case(null, [new WhenClause(new Binary(BinaryOp.Eq, divisor, Literal.Of(0)), new Cast(Literal.Null, result)), error], new Cast(signed, result));
    }


    /// <summary>The operand's unscaled integer and scale: an integer as it is; a decimal as its whole part
    /// times 10^s plus its fraction times 10^s, both exact.</summary>
    private static (Expr Value, int Scale) Unscaled(Expr operand)
    {
        switch (ExactLowering.TypeOf(operand))
        {
            case DecimalType { Scale: 0 }:
            case IntegralType:
                return (new Cast(operand, HugeInt), 0);
            case DecimalType { Scale: <= 18 } decimalType:
                // Whole part and fraction apart: x·10^s in one product would overflow x's own precision.
                var whole = Call("trunc", operand);
                var power = Literal.Of((long)Math.Pow(10, decimalType.Scale));
                var fraction = new Cast(new Binary(BinaryOp.Multiply, new Binary(BinaryOp.Subtract, operand, whole), power), HugeInt);
                return (new Binary(BinaryOp.Add, new Binary(BinaryOp.Multiply, new Cast(whole, HugeInt), power), fraction), decimalType.Scale);
            case DecimalType decimalType:
                // A fraction of more than 18 digits times 10^s overflows DuckDB's decimal: the exact text instead.
                var text = new Cast(new Cast(operand, new DecimalType(38, decimalType.Scale)), SparkType.String);
                return (new Cast(Call("replace", text, Literal.Of("."), Literal.Of(string.Empty)), HugeInt), decimalType.Scale);
            default:
                throw new InvalidOperationException("Decimal division of a non-decimal operand.");
        }
    }

    private static Expr PowerOfTen(int exponent) => exponent == 0
        ? Literal.Of(1)
        : new Cast(Literal.Of("1" + new string('0', exponent)), HugeInt);

    private static Expr Mul(Expr left, Expr right) => right is Literal { Value: "1" } ? left : new Binary(BinaryOp.Multiply, left, right);

    private static Expr Abs(Expr value) => Call("abs", value);

    private static FunctionCall Call(string name, params Expr[] args) => new(name, args.ToEquatableArray());
}
