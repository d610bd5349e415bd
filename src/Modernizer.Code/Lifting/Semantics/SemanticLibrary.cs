using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Emit;

namespace Modernizer.Code.Lifting.Semantics;

/// <summary>One SQL function a rewrite defines at the top of its files: a Python or Spark meaning
/// written in plain SQL for one dialect (a Databricks temporary SQL function, a DuckDB macro). The
/// rewriter uses one where a built-in of the target computes a different value (SEMANTICS: rounding,
/// floor division, modulo, whitespace), so every use reads as one call a reviewer can look up.</summary>
public sealed record SemanticFunction(
    string Name,
    string Purpose,
    ImmutableArray<(string Name, string SparkType)> Parameters,
    string SparkReturnType,
    string SparkBody,
    string DuckDbBody,
    ImmutableArray<string> Uses)
{
    /// <summary>The statement that defines the function in <paramref name="dialect"/>.</summary>
    public string Definition(Dialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (dialect == Dialect.DuckDb)
        {
            return $"CREATE OR REPLACE TEMP MACRO {Name}({string.Join(", ", Parameters.Select(p => p.Name))}) AS\n{DuckDbBody}";
        }

        return $"CREATE OR REPLACE TEMPORARY FUNCTION {Name}({string.Join(", ", Parameters.Select(p => p.Name + " " + p.SparkType))})\nRETURNS {SparkReturnType}\nRETURN {SparkBody}";
    }
}

/// <summary>The functions a rewrite may define, by name. Some are specialised by a literal argument
/// (the number of digits of a round), because SQL types cannot take a function argument as their
/// scale: <c>py_round(x, 2)</c> in a plan becomes <c>py_round_2(x)</c> in the rendered SQL.</summary>
public static class SemanticLibrary
{
    /// <summary>Digits of a Python or Spark round the rewrite reproduces exactly (0..5). More digits
    /// would need more than the 38 digits of a SQL decimal for the exact tie test.</summary>
    public const int MaxRoundDigits = 5;

    /// <summary>2^52: every double at or above it is an integer.</summary>
    private const string TwoPow52 = "4503599627370496.0";

    /// <summary>Characters Python's str.strip() removes (str.isspace()).</summary>
    private const string PythonWhitespaceClass = @"[\t\n\x{0B}\f\r\x{1C}-\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]";

    /// <summary>The function with this specialised name, or null when the name is not one of ours.</summary>
    public static SemanticFunction? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.EndsWith("_pick", StringComparison.Ordinal) && TryDigits(name[..^5], "py_round_", out var pick))
        {
            return PythonRoundPick(pick);
        }

        if (name.EndsWith("_signed", StringComparison.Ordinal) && TryDigits(name[..^7], "py_round_", out var signed))
        {
            return PythonRoundSigned(signed);
        }

        if (TryDigits(name, "py_round_", out var digits))
        {
            return PythonRound(digits);
        }

        if (name.EndsWith("_signed", StringComparison.Ordinal) && TryDigits(name[..^7], "spark_round_", out var sparkSigned))
        {
            return SparkRoundSigned(sparkSigned);
        }

        if (name.EndsWith("_pick", StringComparison.Ordinal) && TryDigits(name[..^5], "spark_bround_", out var sparkPick))
        {
            return SparkHalfEvenPick(sparkPick);
        }

        if (TryDigits(name, "spark_round_", out digits))
        {
            return SparkRound(digits, halfEven: false);
        }

        if (TryDigits(name, "spark_bround_", out digits))
        {
            return SparkRound(digits, halfEven: true);
        }

        return name switch
        {
            "py_floordiv" => PythonFloorDivide,
            "py_mod" => PythonModulo,
            "py_strip" => PythonStrip,
            "py_round_int" => PythonRoundToInt,
            "py_exact_sign" => ExactSign,
            "py_exact_sign_k" => ExactSignAtScale,
            "py_pow2" => PowerOfTwo,
            _ => null,
        };
    }

    /// <summary>True for names the rewriter generates (so dialects pass them through unchanged).</summary>
    public static bool IsLibraryName(string name) => Find(name) is not null;

    /// <summary>The definitions needed for <paramref name="used"/> (and what they call), callees first.</summary>
    public static ImmutableArray<SemanticFunction> Closure(IEnumerable<string> used)
    {
        var ordered = new List<SemanticFunction>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string name)
        {
            if (!seen.Add(name) || Find(name) is not { } function)
            {
                return;
            }

            foreach (var callee in function.Uses)
            {
                Visit(callee);
            }

            ordered.Add(function);
        }

        foreach (var name in used.Order(StringComparer.Ordinal))
        {
            Visit(name);
        }

        return [.. ordered];
    }

    private static bool TryDigits(string name, string prefix, out int digits)
    {
        digits = 0;
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out digits)
            && digits is >= 0 and <= MaxRoundDigits;
    }

    /// <summary>A DuckDB macro body that evaluates its argument once: a macro's parameter is replaced by the
    /// argument's whole expression at every use, so a rounding of a rounding (or of any large expression)
    /// would grow with the product of the uses. The lambda's parameter <paramref name="bound"/> holds the
    /// value computed once.</summary>
    private static string BindOnce(string parameter, string bound, string body) =>
        $"list_extract(list_transform(list_value({parameter}), {bound} -> {body.Trim()}), 1)";

    private static string Pow10(int digits) => "1" + new string('0', digits);

    /// <summary>10^-digits as a decimal literal (0.01 for 2).</summary>
    private static string Unit(int digits) => digits == 0 ? "1" : "0." + new string('0', digits - 1) + "1";

    /// <summary>0.5 * 10^-digits as a decimal literal (0.005 for 2).</summary>
    private static string Half(int digits) => "0." + new string('0', digits) + "5";

    /// <summary>Python's round(x, n) on a float: half-even on the exact binary value of x, the result
    /// the double nearest to the rounded decimal, with the sign of x on a zero result.
    /// <para>How: the shortest decimal form d of |x| rounds like the exact value unless d is itself a
    /// tie at digit n+1 (2.675 is the shortest form of 2.67499999999999982236431605997495353221893310546875).
    /// At a tie <c>py_exact_sign</c> compares the exact binary value with d, and only a true tie is
    /// rounded half-even. Results whose unscaled value reaches 2^53 are refused with an error rather
    /// than risk a double rounding.</para></summary>
    private static SemanticFunction PythonRound(int n)
    {
        var digits = n.ToString(CultureInfo.InvariantCulture);
        var name = "py_round_" + digits;
        return new SemanticFunction(name, $"Python round(x, {n}) on a float: half-even on the exact binary value", [("x", "DOUBLE")], "DOUBLE",
            $"""
            CASE WHEN x IS NULL THEN NULL
                 WHEN isnan(x) OR abs(x) = CAST('Infinity' AS DOUBLE) OR abs(x) >= {TwoPow52} THEN x
                 WHEN abs(x) * {Pow10(n)} < 0.25 THEN x * 0.0
                 ELSE {name}_signed(x, {name}_pick(abs(x), CAST(CAST(abs(x) AS STRING) AS DECIMAL(38,20)), CAST(CAST(CAST(abs(x) AS STRING) AS DECIMAL(38,20)) AS DECIMAL(38,{n})))) END
            """,
            BindOnce("x", "v", $"""
            CASE WHEN v IS NULL THEN NULL
                 WHEN isnan(v) OR abs(v) = CAST('Infinity' AS DOUBLE) OR abs(v) >= {TwoPow52} THEN v
                 WHEN abs(v) * {Pow10(n)} < 0.25 THEN v * 0.0
                 ELSE {name}_signed(v, {name}_pick(abs(v), CAST(CAST(abs(v) AS VARCHAR) AS DECIMAL(38,20)), CAST(CAST(CAST(abs(v) AS VARCHAR) AS DECIMAL(38,20)) AS DECIMAL(38,{n})))) END
            """),
            [name + "_pick", name + "_signed"]);
    }

    /// <summary>The rounded magnitude: d rounded half-up (<c>up</c>) unless d is a tie, where the exact
    /// binary value of <c>a</c> decides and a true tie goes to the even neighbour.</summary>
    private static SemanticFunction PythonRoundPick(int n)
    {
        var name = "py_round_" + n.ToString(CultureInfo.InvariantCulture) + "_pick";
        var down = $"(up - {Unit(n)})";
        var body = $"""
            CASE WHEN NOT (CAST(d AS DECIMAL(38,{n + 1})) = d AND up - d = {Half(n)}) THEN up
                 WHEN py_exact_sign(a, d) > 0 THEN up
                 WHEN py_exact_sign(a, d) < 0 THEN {down}
                 WHEN CAST({down} * {Pow10(n)} AS BIGINT) % 2 = 0 THEN {down}
                 ELSE up END
            """;
        return new SemanticFunction(name, $"helper of py_round_{n}: the rounded magnitude", [("a", "DOUBLE"), ("d", "DECIMAL(38,20)"), ("up", $"DECIMAL(38,{n})")],
            $"DECIMAL(38,{n})", body, body, ["py_exact_sign"]);
    }

    /// <summary>Back to a double with the sign of x (a zero result keeps it: round(-0.001, 2) is -0.0).</summary>
    private static SemanticFunction PythonRoundSigned(int n)
    {
        var name = "py_round_" + n.ToString(CultureInfo.InvariantCulture) + "_signed";
        var limit = (9007199254740992m / (decimal)Math.Pow(10, n)).ToString(CultureInfo.InvariantCulture);
        string Body(string fail) => $"""
            CASE WHEN r >= {limit} THEN {fail}('py_round: |x| too large to reproduce Python''s round exactly')
                 WHEN r = 0 THEN x * 0.0
                 WHEN x < 0 THEN -CAST(r AS DOUBLE)
                 ELSE CAST(r AS DOUBLE) END
            """;
        return new SemanticFunction(name, $"helper of py_round_{n}: the signed double", [("x", "DOUBLE"), ("r", $"DECIMAL(38,{n})")], "DOUBLE",
            Body("raise_error"), Body("error"), []);
    }

    /// <summary>sign(a - d) on exact values, for a positive double a and a decimal d within half a unit
    /// in the last place of a (its shortest form): with k = 53 - floor(log2 a), a·2^k is an integer
    /// below 2^55, so both sides are compared as integers in DECIMAL(38,0). floor(log2 a) may be off by
    /// one near a power of two; a·2^k then lies in [2^52, 2^55), still an integer.</summary>
    private static SemanticFunction ExactSign { get; } = new(
        "py_exact_sign", "sign of (a - d) on the exact binary value of the double a", [("a", "DOUBLE"), ("d", "DECIMAL(38,20)")], "INT",
        "py_exact_sign_k(a, d, 53 - CAST(floor(log2(a)) AS INT))",
        "py_exact_sign_k(a, d, 53 - CAST(floor(log2(a)) AS INT))",
        ["py_exact_sign_k"]);

    private static SemanticFunction ExactSignAtScale { get; } = new(
        "py_exact_sign_k", "helper of py_exact_sign: the comparison at scale 2^k", [("a", "DOUBLE"), ("d", "DECIMAL(38,20)"), ("k", "INT")], "INT",
        "CAST(sign(CAST(CAST(a * power(2, k) AS BIGINT) AS DECIMAL(38,0)) - d * py_pow2(k)) AS INT)",
        "CAST(sign(CAST(CAST(a * power(2, k) AS BIGINT) AS DECIMAL(38,0)) - d * py_pow2(k)) AS INT)",
        ["py_pow2"]);

    /// <summary>2^k as an exact DECIMAL(38,0) for 0 ≤ k ≤ 124 (two BIGINT factors).</summary>
    private static SemanticFunction PowerOfTwo { get; } = new(
        "py_pow2", "2^k as an exact decimal", [("k", "INT")], "DECIMAL(38,0)",
        "CAST(CAST(power(2, least(k, 62)) AS BIGINT) AS DECIMAL(38,0)) * CAST(CAST(power(2, greatest(k - 62, 0)) AS BIGINT) AS DECIMAL(38,0))",
        "CAST(CAST(power(2, least(k, 62)) AS BIGINT) AS DECIMAL(38,0)) * CAST(CAST(power(2, greatest(k - 62, 0)) AS BIGINT) AS DECIMAL(38,0))",
        []);

    /// <summary>Python round(x) with no digits: an int, half-even on the exact value; NaN and the
    /// infinities raise (ValueError / OverflowError in Python).</summary>
    private static SemanticFunction PythonRoundToInt { get; } = new(
        "py_round_int", "Python round(x) on a float: an integer, half-even on the exact binary value", [("x", "DOUBLE")], "BIGINT",
        "CASE WHEN isnan(x) OR abs(x) = CAST('Infinity' AS DOUBLE) THEN raise_error('py_round_int: cannot convert NaN or infinity to integer') ELSE CAST(py_round_0(x) AS BIGINT) END",
        "CASE WHEN isnan(x) OR abs(x) = CAST('Infinity' AS DOUBLE) THEN error('py_round_int: cannot convert NaN or infinity to integer') ELSE CAST(py_round_0(x) AS BIGINT) END",
        ["py_round_0"]);

    /// <summary>Spark's round (HALF_UP) or bround (HALF_EVEN) of a DOUBLE, computed as Spark does:
    /// on the decimal form of the double (java.math.BigDecimal.valueOf), so round(1.005, 2) is 1.01.
    /// Only the DuckDB rendering uses it; Spark keeps its own round. A string to DECIMAL cast in DuckDB
    /// rounds half away from zero, which is HALF_UP.</summary>
    private static SemanticFunction SparkRound(int n, bool halfEven)
    {
        var digits = n.ToString(CultureInfo.InvariantCulture);
        var name = (halfEven ? "spark_bround_" : "spark_round_") + digits;
        var d = "CAST(CAST(abs(v) AS VARCHAR) AS DECIMAL(38,20))";
        var magnitude = halfEven
            ? $"spark_bround_{digits}_pick({d}, CAST({d} AS DECIMAL(38,{n})))"
            : $"CAST(CAST(abs(v) AS VARCHAR) AS DECIMAL(38,{n}))";
        var body = BindOnce("x", "v", $"""
            CASE WHEN v IS NULL THEN NULL
                 WHEN isnan(v) OR abs(v) = CAST('Infinity' AS DOUBLE) OR abs(v) >= {TwoPow52} THEN v
                 WHEN abs(v) * {Pow10(n)} < 0.25 THEN 0.0::DOUBLE
                 ELSE spark_round_{digits}_signed(v, {magnitude}) END
            """);
        var purpose = halfEven ? $"Spark bround(x, {n}) of a DOUBLE (HALF_EVEN on its decimal form)" : $"Spark round(x, {n}) of a DOUBLE (HALF_UP on its decimal form)";
        return new SemanticFunction(name, purpose, [("x", "DOUBLE")], "DOUBLE", string.Empty, body,
            halfEven ? [$"spark_bround_{digits}_pick", $"spark_round_{digits}_signed"] : [$"spark_round_{digits}_signed"]);
    }

    /// <summary>HALF_EVEN of a decimal at n digits: <c>up</c> is its HALF_UP rounding.</summary>
    private static SemanticFunction SparkHalfEvenPick(int n) => new(
        $"spark_bround_{n.ToString(CultureInfo.InvariantCulture)}_pick", $"helper of spark_bround_{n}: half-even of a decimal",
        [("d", "DECIMAL(38,20)"), ("up", $"DECIMAL(38,{n})")], $"DECIMAL(38,{n})", string.Empty,
        $"""
        CASE WHEN CAST(d AS DECIMAL(38,{n + 1})) = d AND up - d = {Half(n)} AND CAST((up - {Unit(n)}) * {Pow10(n)} AS BIGINT) % 2 = 0 THEN up - {Unit(n)}
             ELSE up END
        """,
        []);

    /// <summary>The rounded magnitude as a double with the sign of x; Spark's BigDecimal has no
    /// negative zero, so a zero result is +0.0.</summary>
    private static SemanticFunction SparkRoundSigned(int n)
    {
        var name = $"spark_round_{n.ToString(CultureInfo.InvariantCulture)}_signed";
        var limit = (9007199254740992m / (decimal)Math.Pow(10, n)).ToString(CultureInfo.InvariantCulture);
        return new SemanticFunction(name, $"helper of spark_round_{n}: the signed double", [("x", "DOUBLE"), ("r", $"DECIMAL(38,{n})")], "DOUBLE", string.Empty,
            $"""
            CASE WHEN r >= {limit} THEN error('{name}: |x| too large to reproduce Spark''s round exactly')
                 WHEN r = 0 THEN 0.0::DOUBLE
                 WHEN x < 0 THEN -CAST(r AS DOUBLE)
                 ELSE CAST(r AS DOUBLE) END
            """,
            []);
    }

    /// <summary>Python a // b on integers: floor division; division by zero raises.</summary>
    private static SemanticFunction PythonFloorDivide { get; } = new(
        "py_floordiv", "Python a // b on integers (floor, not truncation)", [("a", "BIGINT"), ("b", "BIGINT")], "BIGINT",
        // nullif: the zero case is raised first; the divisor is written so under ANSI mode too.
        "CASE WHEN b = 0 THEN raise_error('ZeroDivisionError: integer division or modulo by zero') WHEN a % nullif(b, 0) <> 0 AND ((a < 0) <> (b < 0)) THEN a div nullif(b, 0) - 1 ELSE a div nullif(b, 0) END",
        "CASE WHEN b = 0 THEN error('ZeroDivisionError: integer division or modulo by zero') WHEN a % b <> 0 AND ((a < 0) <> (b < 0)) THEN a // b - 1 ELSE a // b END",
        []);

    /// <summary>Python a % b on integers: the result has the sign of b; modulo by zero raises.</summary>
    private static SemanticFunction PythonModulo { get; } = new(
        "py_mod", "Python a % b on integers (sign of the divisor)", [("a", "BIGINT"), ("b", "BIGINT")], "BIGINT",
        "CASE WHEN b = 0 THEN raise_error('ZeroDivisionError: integer division or modulo by zero') ELSE ((a % nullif(b, 0)) + b) % nullif(b, 0) END",
        "CASE WHEN b = 0 THEN error('ZeroDivisionError: integer division or modulo by zero') ELSE ((a % b) + b) % b END",
        []);

    /// <summary>Python str.strip(): removes every Unicode whitespace character Python knows, not only spaces.</summary>
    private static SemanticFunction PythonStrip { get; } = new(
        "py_strip", "Python str.strip() (all Unicode whitespace)", [("s", "STRING")], "STRING",
        // A raw literal: Spark's parser would otherwise drop the backslash of \x{...}.
        $"regexp_replace(s, r'^{PythonWhitespaceClass}+|{PythonWhitespaceClass}+$', '')",
        $"regexp_replace(s, '^{PythonWhitespaceClass}+|{PythonWhitespaceClass}+$', '', 'g')",
        []);
}
