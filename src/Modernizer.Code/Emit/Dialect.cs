using System.Collections.Frozen;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Emit;

/// <summary>Rewrites a Spark function call into this dialect's syntax (a new syntax node), or
/// raises <see cref="UnsupportedConstructException"/>.</summary>
public delegate Expr FunctionRule(FunctionCall call, Dialect dialect);

/// <summary>A SQL dialect as a small set of overrides over the one printer (sqlglot's lesson):
/// identifier quoting, string escapes, type names, function renames/rewrites and flags for
/// constructs it lacks. <see cref="Spark"/> is the identity; <see cref="DuckDb"/> overrides.</summary>
public sealed record Dialect
{
    public required string Name { get; init; }

    public char IdentifierQuote { get; init; } = '`';

    /// <summary>Spark reads backslash escapes in strings; ANSI dialects double the quote only.</summary>
    public bool BackslashEscapes { get; init; } = true;

    /// <summary>1L, 1.5BD, 1D: Spark's typed numeric suffixes; otherwise printed as casts.</summary>
    public bool NumericSuffixes { get; init; } = true;

    public bool LateralView { get; init; } = true;

    public bool Hints { get; init; } = true;

    /// <summary>a &lt;=&gt; b; otherwise IS NOT DISTINCT FROM.</summary>
    public bool NullSafeEqualsOperator { get; init; } = true;

    /// <summary>a div b; otherwise the integer division operator below.</summary>
    public string IntegerDivision { get; init; } = "div";

    public bool TimeTravel { get; init; } = true;

    public bool ClusterDistributeSortBy { get; init; } = true;

    public bool DoubleColonCast { get; init; } = true;

    /// <summary>Spark-only alternative spellings (==, !=, MINUS) are kept as written; otherwise
    /// printed as =, &lt;&gt;, EXCEPT.</summary>
    public bool SparkSpellings { get; init; } = true;

    /// <summary>The bitwise xor operator, or null when the dialect has none (DuckDB's ^ is power).</summary>
    public string? BitXorOperator { get; init; } = "^";

    /// <summary>When set, RLIKE is printed as this function (pattern found anywhere).</summary>
    public string? RegexMatchFunction { get; init; }

    /// <summary>USING fmt, PARTITIONED BY, LOCATION, TBLPROPERTIES... in CREATE TABLE. Without them
    /// (a local engine) the clauses are left out: they decide storage, not the rows.</summary>
    public bool TableStorageClauses { get; init; } = true;

    /// <summary>INSERT OVERWRITE; otherwise an unpartitioned overwrite becomes CREATE OR REPLACE TABLE AS.</summary>
    public bool InsertOverwrite { get; init; } = true;

    /// <summary>MERGE ... UPDATE SET * / INSERT *.</summary>
    public bool MergeStarActions { get; init; } = true;

    /// <summary>Statements kept verbatim (OPTIMIZE, VACUUM, SET...) can be written back.</summary>
    public bool PassThroughStatements { get; init; } = true;

    /// <summary>VALUES in FROM needs parentheses: <c>FROM (VALUES (1)) AS t(a)</c>.</summary>
    public bool ParenthesizedInlineTables { get; init; }

    /// <summary>Array subscripts count from 0 (Spark) rather than 1.</summary>
    public bool ZeroBasedArrays { get; init; } = true;

    public string SemiJoin { get; init; } = "LEFT SEMI JOIN ";

    public string AntiJoin { get; init; } = "LEFT ANTI JOIN ";

    public string TimestampNtzLiteral { get; init; } = "TIMESTAMP_NTZ ";

    public Func<SparkType, string> TypeName { get; init; } = type => type.SqlText;

    /// <summary>Overrides keyed by lower-case Spark function name.</summary>
    public FrozenDictionary<string, FunctionRule> Functions { get; init; } = FrozenDictionary<string, FunctionRule>.Empty;

    /// <summary>Functions with no entry in <see cref="Functions"/> are printed as they are (Spark);
    /// otherwise they are unsupported, since a namesake may behave differently.</summary>
    public bool PassUnknownFunctions { get; init; } = true;

    public string QuoteIdentifier(string name)
    {
        if (IdentifierQuote == '`')
        {
            return SqlIdentifiers.Quote(name);
        }

        var quote = IdentifierQuote.ToString();
        return SqlIdentifiers.NeedsQuotes(name) ? quote + name.Replace(quote, quote + quote, StringComparison.Ordinal) + quote : name;
    }

    public UnsupportedConstructException Unsupported(string construct) => new(Name, construct);

    public static Dialect Spark { get; } = new() { Name = "Spark SQL" };

    public static Dialect DuckDb { get; } = DuckDbDialect.Create();
}
