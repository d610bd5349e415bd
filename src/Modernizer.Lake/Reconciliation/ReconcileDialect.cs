using System.Globalization;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Reconciliation;

/// <summary>The few spellings in which DuckDB and Spark SQL differ, as small overrides over one
/// query definition (the sqlglot way: a dialect is a table of renames, not a second builder).</summary>
internal abstract class ReconcileDialect
{
    public static ReconcileDialect For(SqlDialect dialect) => dialect switch
    {
        SqlDialect.DuckDb => DuckDbReconcileDialect.Instance,
        SqlDialect.SparkSql => SparkReconcileDialect.Instance,
        _ => throw new NotSupportedException($"No reconciliation rendering for dialect {dialect}."),
    };

    public abstract SqlDialect Dialect { get; }

    public abstract string Quote(string identifier);

    public abstract string StringType { get; }

    /// <summary>Null-safe equality: NULL equals NULL, never yields NULL.</summary>
    public abstract string NullSafeEquals(string left, string right);

    public string IsDistinct(string left, string right) => $"(NOT {NullSafeEquals(left, right)})";

    public abstract string EpochMicros(string timestamp);

    public abstract string ByteLength(string text);

    /// <summary>The 128-bit row hash over the concatenated length-prefixed encodings.</summary>
    public abstract string Hash128(string text);

    public abstract string HashType { get; }

    public abstract string Hex(string binary);

    /// <summary>A map in a canonical, key-sorted form that compares structurally.</summary>
    public abstract string CanonicalMap(string map);

    public abstract string ToJson(string value);

    public abstract string Literal(string text);

    /// <summary>A struct value from named members (names are identifiers, quoted here).</summary>
    public abstract string Struct(IEnumerable<(string Name, string Value)> members);

    /// <summary>A member of a struct value.</summary>
    public abstract string Field(string structValue, string name);

    public string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public string CastText(string expression) => $"CAST({expression} AS {StringType})";

    public string Parameter(string name) => Dialect == SqlDialect.DuckDb ? "$" + name : ":" + name;
}

internal sealed class DuckDbReconcileDialect : ReconcileDialect
{
    public static DuckDbReconcileDialect Instance { get; } = new();

    public override SqlDialect Dialect => SqlDialect.DuckDb;

    public override string StringType => "VARCHAR";

    public override string HashType => "UHUGEINT";

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string NullSafeEquals(string left, string right) => $"({left} IS NOT DISTINCT FROM {right})";

    public override string EpochMicros(string timestamp) => $"epoch_us({timestamp})";

    public override string ByteLength(string text) => $"strlen({text})";

    public override string Hash128(string text) => $"md5_number({text})";

    public override string Hex(string binary) => $"hex({binary})";

    public override string CanonicalMap(string map) => $"list_sort(map_entries({map}))";

    public override string ToJson(string value) => $"CAST(to_json({value}) AS VARCHAR)";

    public override string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public override string Struct(IEnumerable<(string Name, string Value)> members) =>
        "struct_pack(" + string.Join(", ", members.Select(m => $"{Quote(m.Name)} := {m.Value}")) + ")";

    public override string Field(string structValue, string name) => $"struct_extract({structValue}, {Literal(name)})";
}

internal sealed class SparkReconcileDialect : ReconcileDialect
{
    public static SparkReconcileDialect Instance { get; } = new();

    public override SqlDialect Dialect => SqlDialect.SparkSql;

    public override string StringType => "STRING";

    public override string HashType => "STRING";

    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    public override string NullSafeEquals(string left, string right) => $"({left} <=> {right})";

    public override string EpochMicros(string timestamp) => $"unix_micros({timestamp})";

    public override string ByteLength(string text) => $"octet_length({text})";

    public override string Hash128(string text) => $"md5({text})";

    public override string Hex(string binary) => $"hex({binary})";

    public override string CanonicalMap(string map) => $"to_json(array_sort(map_entries({map})))";

    public override string ToJson(string value) => $"to_json({value})";

    // Spark string literals take backslash escapes; escape both the backslash and the quote.
    public override string Literal(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    public override string Struct(IEnumerable<(string Name, string Value)> members) =>
        "named_struct(" + string.Join(", ", members.Select(m => $"{Literal(m.Name)}, {m.Value}")) + ")";

    public override string Field(string structValue, string name) => $"{structValue}.{Quote(name)}";
}
