using System.Globalization;
using System.Text;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain.Configuration;

namespace Modernizer.Delivery.Analysis;

/// <summary>The <c>.sqlfluff</c> shipped in every bundle: the Spark dialect, named parameter markers
/// (<c>:name</c>) filled with their defaults so the linter parses real SQL, and one capitalisation
/// policy (keywords and functions upper case, identifiers lower case).</summary>
public static class SqlfluffConfig
{
    public const string FileName = ".sqlfluff";

    public static string Render(StaticAnalysisSettings settings, IEnumerable<RewriteParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder();
        text.AppendLine("# Written by Modernizer: the lint configuration of this bundle's SQL (sqlfluff).");
        text.AppendLine("[sqlfluff]");
        text.AppendLine(CultureInfo.InvariantCulture, $"dialect = {settings.SqlfluffDialect}");
        text.AppendLine("templater = placeholder");
        text.AppendLine(CultureInfo.InvariantCulture, $"max_line_length = {settings.MaxLineLength}");
        text.AppendLine();
        text.AppendLine("[sqlfluff:templater:placeholder]");
        text.AppendLine("param_style = colon");
        foreach (var parameter in parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{parameter.Name} = {Literal(parameter)}");
        }

        text.AppendLine();
        text.AppendLine("[sqlfluff:rules]");
        text.AppendLine("capitalisation_policy = upper");
        text.AppendLine("extended_capitalisation_policy = upper");
        text.AppendLine();
        // The placeholder templater also fills :name inside comments (the rewrite's header lists its
        // parameters), which makes comment lines look long: only code lines are measured.
        text.AppendLine("[sqlfluff:rules:L016]");
        text.AppendLine("ignore_comment_lines = True");
        text.AppendLine();
        text.AppendLine("[sqlfluff:rules:L014]");
        text.AppendLine("extended_capitalisation_policy = lower");
        text.AppendLine();
        text.AppendLine("[sqlfluff:rules:L030]");
        text.AppendLine("extended_capitalisation_policy = upper");
        return text.ToString();
    }

    /// <summary>A value the linter can parse in place of the marker: numbers and booleans as written,
    /// anything else (and null) as a string literal.</summary>
    private static string Literal(RewriteParameter parameter)
    {
        var value = parameter.Default;
        if (value is null)
        {
            return "NULL";
        }

        var numeric = parameter.Type.ToUpperInvariant() is "INT" or "INTEGER" or "BIGINT" or "LONG" or "DOUBLE" or "FLOAT" or "DECIMAL" or "SMALLINT" or "TINYINT"
            || parameter.Type.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase);
        if (numeric && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        return parameter.Type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase) && bool.TryParse(value, out var b)
            ? (b ? "TRUE" : "FALSE")
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
