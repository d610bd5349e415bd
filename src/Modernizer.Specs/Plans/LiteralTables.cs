using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Code.Notebooks;
using Modernizer.Code.Python;

namespace Modernizer.Specs.Plans;

/// <summary>A module-level list of literal tuples in the job's Python (<c>BANDS = [("low", 0.0, 1.0), ...]</c>),
/// and, when the job turns it into a DataFrame (<c>spark.createDataFrame(BANDS, "severity string, lo double, hi double")</c>),
/// its column names. Such tables are business rules written as data: each row is a requirement.</summary>
public sealed record LiteralTable(string Name, SpanRef Span, ImmutableArray<string> Columns, ImmutableArray<ImmutableArray<object?>> Rows, ImmutableArray<int> RowLines);

public static partial class LiteralTables
{
    /// <summary>Parses the job's Python files (CPython's own parser) and returns the literal tables it defines.</summary>
    public static async Task<ImmutableArray<LiteralTable>> ReadAsync(string jobFolder, IEnumerable<string> files, IReadOnlyDictionary<string, ImmutableArray<string>> codeLines, CancellationToken cancellationToken)
    {
        var sources = new List<PythonSource>();
        foreach (var file in files.Where(f => f.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)))
        {
            var path = Path.Combine(jobFolder, file);
            if (File.Exists(path))
            {
                sources.Add(new PythonSource(file, NotebookReader.Read(file, await File.ReadAllTextAsync(path, cancellationToken)).PythonView));
            }
        }

        if (sources.Count == 0)
        {
            return [];
        }

        var tables = ImmutableArray.CreateBuilder<LiteralTable>();
        foreach (var parsed in await new PythonAstBridge(workers: 1).ParseAsync(sources, cancellationToken))
        {
            if (parsed.Module is null)
            {
                continue;
            }

            foreach (var statement in parsed.Module.Nodes("body").Where(n => n.Is("Assign")))
            {
                var target = statement.Nodes("targets").FirstOrDefault();
                var value = statement.Node("value");
                if (target is null || !target.Is("Name") || value is null || !(value.Is("List") || value.Is("Tuple")))
                {
                    continue;
                }

                var rows = value.Nodes("elts");
                if (rows.IsEmpty || !rows.All(r => r.Is("Tuple") || r.Is("List")))
                {
                    continue;
                }

                var literalRows = rows.Select(r => r.Nodes("elts").Select(Constant).ToImmutableArray()).ToImmutableArray();
                if (literalRows.Any(r => r.Any(v => v is Unknown)) || literalRows.Select(r => r.Length).Distinct().Count() != 1)
                {
                    continue;
                }

                var name = target.Str("id") ?? string.Empty;
                var columns = ColumnsOf(name, parsed.File, codeLines, literalRows[0].Length);
                tables.Add(new LiteralTable(name, new SpanRef(parsed.File, statement.Line), columns, literalRows, [.. rows.Select(r => r.Line)]));
            }
        }

        return tables.ToImmutable();
    }

    private sealed record Unknown;

    private static object? Constant(PyNode node)
    {
        if (node.Is("Constant"))
        {
            return node.Const();
        }

        if (node.Is("UnaryOp") && node.Node("op") is { } op && op.Is("USub") && node.Node("operand") is { } operand && operand.Is("Constant"))
        {
            return operand.Const() switch
            {
                long l => -l,
                double d => -d,
                _ => new Unknown(),
            };
        }

        return new Unknown();
    }

    /// <summary>Column names from <c>createDataFrame(NAME, "a string, b double")</c> or <c>createDataFrame(NAME, ["a", "b"])</c>; else c1, c2...</summary>
    private static ImmutableArray<string> ColumnsOf(string name, string file, IReadOnlyDictionary<string, ImmutableArray<string>> codeLines, int width)
    {
        if (codeLines.TryGetValue(file, out var lines))
        {
            foreach (var line in lines)
            {
                var match = CreateDataFrame().Match(line);
                if (match.Success && match.Groups["name"].Value == name)
                {
                    var names = match.Groups["schema"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(part => part.Trim('"', '\'', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty)
                        .ToImmutableArray();
                    if (names.Length == width && names.All(n => n.Length > 0))
                    {
                        return names;
                    }
                }
            }
        }

        return [.. Enumerable.Range(1, width).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"createDataFrame\(\s*(?<name>[A-Za-z_]\w*)\s*,\s*[\[""'](?<schema>[^\]""']*)[\]""']", RegexOptions.CultureInvariant)]
    private static partial Regex CreateDataFrame();
}
