using System.Globalization;

namespace Modernizer.Specs.Data;

/// <summary>Quoting for the few names and values the product itself puts into DuckDB statements
/// (table names from the analysis, file paths it wrote). Values a user or the data supplied are
/// bound or come from typed fixtures; identifiers are always quoted.</summary>
public static class SqlText
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary><c>raw.orders</c> → <c>"raw"."orders"</c>.</summary>
    public static string Table(string table) => string.Join('.', table.Split('.').Select(Identifier));

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Path(string path) => Literal(System.IO.Path.GetFullPath(path).Replace('\\', '/'));

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The schema part of a two- or three-part name, when there is one.</summary>
    public static string? SchemaOf(string table)
    {
        var parts = table.Split('.');
        return parts.Length >= 2 ? string.Join('.', parts[..^1]) : null;
    }

    /// <summary>A name safe for a file or folder (<c>raw.orders</c> stays as it is).</summary>
    public static string FileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_'));
}
