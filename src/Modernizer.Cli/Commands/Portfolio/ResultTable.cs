using Spectre.Console;

namespace Modernizer.Cli.Commands.Portfolio;

/// <summary>Prints rows as a Spectre table on a terminal, and as plain tab-separated lines (header
/// first) when stdout is redirected, so scripts can read them.</summary>
internal static class ResultTable
{
    public static void Render(IAnsiConsole console, string title, string[] headers, IEnumerable<string[]> rows)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine("# " + title);
            Console.Out.WriteLine(string.Join('\t', headers));
            foreach (var row in rows)
            {
                Console.Out.WriteLine(string.Join('\t', row.Select(c => c.Replace('\t', ' ').Replace('\n', ' '))));
            }

            return;
        }

        var table = new Table().Title(Markup.Escape(title)).AddColumns(headers.Select(h => new TableColumn(Markup.Escape(h))).ToArray());
        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => new Markup(Markup.Escape(c))).ToArray());
        }

        console.Write(table);
    }
}
