using System.Globalization;
using Modernizer.Portfolio.Ingestion;
using Spectre.Console;

namespace Modernizer.Cli.Commands.Portfolio;

/// <summary>The rows of the catalog and finops exports that tier 1 left out (unreadable values, lines
/// the reader rejected, duplicate job ids), said on the console: the total, the count per file (they
/// add up to the total) and the first few with their file and line.</summary>
internal static class IngestionSummary
{
    private const int Listed = 5;

    public static void Write(IAnsiConsole console, IngestionReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        if (report.BadRowCount == 0)
        {
            return;
        }

        var files = report.Files.Where(f => f.RowsBad > 0).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.File}: {f.RowsBad}"));
        var others = report.BadRowCount - report.Files.Sum(f => f.RowsBad);
        var perFile = string.Join(", ", others > 0 ? files.Append(string.Create(CultureInfo.InvariantCulture, $"job folders: {others}")) : files);
        console.MarkupLine($"[yellow]{report.BadRowCount.ToString(CultureInfo.InvariantCulture)} bad export rows left out[/] ({Markup.Escape(perFile)}); all are listed in .modernize/portfolio/inventory.json (ingestion.bad_rows)");
        foreach (var row in report.BadRows.Take(Listed))
        {
            var line = row.Line is { } l ? ":" + l.ToString(CultureInfo.InvariantCulture) : string.Empty;
            console.MarkupLine(Markup.Escape($"  {row.File}{line}: {row.Problem}"));
        }

        if (report.BadRowCount > Listed)
        {
            console.MarkupLine(Markup.Escape($"  ... and {(report.BadRowCount - Listed).ToString(CultureInfo.InvariantCulture)} more"));
        }
    }
}
