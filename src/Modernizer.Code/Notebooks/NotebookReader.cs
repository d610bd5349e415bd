using System.Collections.Immutable;
using System.Text.Json;

namespace Modernizer.Code.Notebooks;

/// <summary>Reads .py/.sql files (plain or Databricks source notebooks) and .ipynb notebooks into
/// cells, and builds the Python view the syntax bridge parses (magics rewritten before parsing).</summary>
public static class NotebookReader
{
    private const string PythonHeader = "# Databricks notebook source";
    private const string SqlHeader = "-- Databricks notebook source";

    public static Notebook Read(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        if (file.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
        {
            return ReadJupyter(file, text);
        }

        var firstLine = text.AsSpan().TrimStart('\uFEFF');
        var newline = firstLine.IndexOf('\n');
        var head = (newline < 0 ? firstLine : firstLine[..newline]).TrimEnd().ToString();
        if (head == PythonHeader)
        {
            return ReadDatabricks(file, text, "# ");
        }

        if (head == SqlHeader)
        {
            return ReadDatabricks(file, text, "-- ");
        }

        var language = file.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ? CellLanguage.Sql : CellLanguage.Python;
        var cell = new NotebookCell(0, language, text, 1);

        // A plain Python file is Python as it stands: no magics to rewrite.
        return new Notebook(file, NotebookFormat.Plain, [cell], language == CellLanguage.Python ? text : BuildPythonView([cell], CountLines(text)));
    }

    private static Notebook ReadDatabricks(string file, string text, string comment)
    {
        var lines = text.Split('\n');
        var separator = comment + "COMMAND ----------";
        var magic = comment + "MAGIC";
        var baseLanguage = comment == "# " ? CellLanguage.Python : CellLanguage.Sql;
        var cells = ImmutableArray.CreateBuilder<NotebookCell>();
        var start = 1; // skip the header line (line 1)
        for (var i = 1; i <= lines.Length; i++)
        {
            if (i == lines.Length || lines[i].TrimEnd() == separator)
            {
                AddDatabricksCell(cells, lines, start, i, magic, baseLanguage);
                start = i + 1;
            }
        }

        var built = cells.ToImmutable();
        return new Notebook(file, NotebookFormat.DatabricksSource, built, BuildPythonView(built, lines.Length));
    }

    private static void AddDatabricksCell(ImmutableArray<NotebookCell>.Builder cells, string[] lines, int from, int to, string magic, CellLanguage baseLanguage)
    {
        if (from >= to)
        {
            return;
        }

        while (to > from && lines[to - 1].Trim().Length == 0)
        {
            to--;
        }

        var body = lines[from..to];
        var isMagic = body.Where(l => l.Trim().Length > 0).All(l => l.StartsWith(magic, StringComparison.Ordinal))
            && body.Any(l => l.Trim().Length > 0);
        if (!isMagic)
        {
            cells.Add(new NotebookCell(cells.Count, baseLanguage, Dedent(baseLanguage, string.Join('\n', body)), from + 1));
            return;
        }

        var stripped = body.Select(l => StripPrefix(l, magic)).ToArray();
        var first = Array.FindIndex(stripped, l => l.Trim().Length > 0);
        var (language, rest) = ReadMagic(stripped[first]);
        stripped[first] = rest;
        cells.Add(new NotebookCell(cells.Count, language, Dedent(language, string.Join('\n', stripped[first..])), from + first + 1));
    }

    /// <summary>IPython runs a cell whose first line is indented by removing that indentation
    /// from every line that starts with it (its leading_indent clean-up); so does this reader.
    /// Leading blank lines stay, so lines keep their place.</summary>
    internal static string Dedent(CellLanguage language, string text)
    {
        if (language != CellLanguage.Python)
        {
            return text;
        }

        var lines = text.Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0)
        {
            return text;
        }

        var indent = lines[first][..(lines[first].Length - lines[first].TrimStart(' ', '\t').Length)];
        if (indent.Length == 0)
        {
            return text;
        }

        for (var i = first; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(indent, StringComparison.Ordinal))
            {
                lines[i] = lines[i][indent.Length..];
            }
        }

        return string.Join('\n', lines);
    }

    private static string StripPrefix(string line, string magic)
    {
        if (!line.StartsWith(magic, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var rest = line[magic.Length..];
        return rest.StartsWith(' ') ? rest[1..] : rest;
    }

    /// <summary>Reads a leading magic (<c>%sql</c>, <c>%%sql</c>, <c>%python</c>, <c>%md</c>,
    /// <c>%run</c>, others) and returns the cell language and what follows the magic on that line.</summary>
    private static (CellLanguage Language, string Remainder) ReadMagic(string line)
    {
        var trimmed = line.TrimStart();
        if (!trimmed.StartsWith('%'))
        {
            return (CellLanguage.Python, line);
        }

        var word = trimmed.TrimStart('%');
        var end = word.IndexOfAny([' ', '\t']);
        var name = end < 0 ? word : word[..end];
        var rest = end < 0 ? string.Empty : word[(end + 1)..];
        return name.ToLowerInvariant() switch
        {
            "sql" => (CellLanguage.Sql, rest),
            "python" or "py" => (CellLanguage.Python, rest),
            "md" or "md-sandbox" or "markdown" => (CellLanguage.Markdown, rest),
            "run" => (CellLanguage.Run, rest),
            _ => (CellLanguage.Other, rest),
        };
    }

    /// <summary>Cells are numbered as Jupyter shows them (markdown and raw cells count); lines
    /// are those of the script <c>jupyter nbconvert --to script</c> writes for a Python notebook:
    /// a two-line header and a blank line, each markdown cell commented and followed by a blank
    /// line, each code cell after an <c># In[n]:</c> prompt and two blank lines and followed by
    /// a blank line, each raw cell as is.</summary>
    private static Notebook ReadJupyter(string file, string text)
    {
        using var document = JsonDocument.Parse(text);
        var cells = ImmutableArray.CreateBuilder<NotebookCell>();
        var line = 4;
        if (document.RootElement.TryGetProperty("cells", out var jsonCells) && jsonCells.ValueKind == JsonValueKind.Array)
        {
            foreach (var cell in jsonCells.EnumerateArray())
            {
                var type = cell.TryGetProperty("cell_type", out var t) ? t.GetString() : "code";
                var source = ReadSource(cell);
                var sourceLines = source.Split('\n');
                switch (type)
                {
                    case "code":
                        var (language, rest) = ReadMagic(sourceLines[0]);
                        var isCellMagic = IsCellMagic(sourceLines[0]);
                        if (!isCellMagic)
                        {
                            language = CellLanguage.Python;
                        }
                        else
                        {
                            sourceLines[0] = rest;
                        }

                        cells.Add(new NotebookCell(cells.Count, language, Dedent(language, string.Join('\n', sourceLines)), line + 3));
                        line += 3 + sourceLines.Length + 1;
                        break;
                    case "markdown":
                        cells.Add(new NotebookCell(cells.Count, CellLanguage.Markdown, source, line));
                        line += sourceLines.Length + 1;
                        break;
                    default:
                        cells.Add(new NotebookCell(cells.Count, CellLanguage.Other, source, line));
                        line += sourceLines.Length;
                        break;
                }
            }
        }

        var built = cells.ToImmutable();
        return new Notebook(file, NotebookFormat.Jupyter, built, BuildPythonView(built, line - 1));
    }

    /// <summary><c>%%name</c>, or one of Databricks' cell magics; <c>%pip</c> and the like are line magics.</summary>
    private static bool IsCellMagic(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("%%", StringComparison.Ordinal))
        {
            return true;
        }

        var word = trimmed.StartsWith('%') ? trimmed[1..].Split(' ', '\t')[0].ToLowerInvariant() : string.Empty;
        return word is "sql" or "md" or "md-sandbox" or "run" or "python" or "scala" or "r" or "sh" or "fs";
    }

    private static string ReadSource(JsonElement cell)
    {
        if (!cell.TryGetProperty("source", out var source))
        {
            return string.Empty;
        }

        var text = source.ValueKind == JsonValueKind.Array
            ? string.Concat(source.EnumerateArray().Select(s => s.GetString()))
            : source.GetString() ?? string.Empty;
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
    }

    /// <summary>The notebook's Python view without the cells in <paramref name="skip"/> (cells
    /// CPython rejected: Databricks runs the others).</summary>
    public static string BuildPythonView(Notebook notebook, IReadOnlySet<int> skip)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(skip);
        var lineCount = notebook.PythonView.Count(c => c == '\n');
        return BuildPythonView([.. notebook.Cells.Where(c => !skip.Contains(c.Index))], lineCount);
    }

    /// <summary>Lays the cells onto <paramref name="lineCount"/> lines, each at its own line.</summary>
    internal static string BuildPythonView(IReadOnlyList<NotebookCell> cells, int lineCount)
    {
        var view = new string[Math.Max(lineCount, 1)];
        Array.Fill(view, string.Empty);
        foreach (var cell in cells)
        {
            var lines = cell.Text.Split('\n');
            switch (cell.Language)
            {
                case CellLanguage.Python:
                    for (var i = 0; i < lines.Length; i++)
                    {
                        var l = lines[i];
                        var t = l.TrimStart();
                        // IPython line magics and shell escapes are not Python; %run is kept as a
                        // call the interpreter follows into the included notebook.
                        var text = t.StartsWith("%run ", StringComparison.Ordinal) ? RunCall(t[5..])
                            : t.StartsWith('%') || t.StartsWith('!') ? string.Empty
                            : l;
                        Put(view, cell.FirstLine + i, text.Length > 0 && text != l ? l[..(l.Length - t.Length)] + text : text);
                    }

                    break;
                case CellLanguage.Sql:
                    // Each SQL line becomes a Python string literal on its own line; together they
                    // are one implicitly concatenated string, whatever quotes the SQL holds.
                    for (var i = 0; i < lines.Length; i++)
                    {
                        var literal = PythonLiteral(i < lines.Length - 1 ? lines[i] + "\n" : lines[i]);
                        var prefix = i == 0 ? "spark.sql(" : "    ";
                        var suffix = i == lines.Length - 1 ? ")" : string.Empty;
                        Put(view, cell.FirstLine + i, prefix + literal + suffix);
                    }

                    break;
                case CellLanguage.Run:
                    Put(view, cell.FirstLine, RunCall(cell.Text.Trim()));
                    break;
                default:
                    break;
            }
        }

        return string.Join('\n', view) + "\n";
    }

    private static string RunCall(string path) =>
        Frontend.Interpreter.RunMarker + "(" + PythonLiteral(path.Trim()) + ")";

    /// <summary>A double-quoted Python string literal with exactly <paramref name="text"/> as its value.</summary>
    internal static string PythonLiteral(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\0':
                    builder.Append("\\x00");
                    break;
                default:
                    if (char.IsControl(c) && c != '\t')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static void Put(string[] view, int line, string text)
    {
        if (line >= 1 && line <= view.Length)
        {
            view[line - 1] = text;
        }
    }

    private static int CountLines(string text)
    {
        var count = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                count++;
            }
        }

        return count;
    }
}
