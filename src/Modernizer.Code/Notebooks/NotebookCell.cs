using System.Collections.Immutable;

namespace Modernizer.Code.Notebooks;

public enum CellLanguage
{
    Python,
    Sql,
    Markdown,
    Run,
    Other,
}

/// <summary>One notebook cell: its language after magics are read, its text without the magic
/// prefix, and the file line its first text line sits on (1-based), so findings point into the file.</summary>
public sealed record NotebookCell(int Index, CellLanguage Language, string Text, int FirstLine)
{
    public int LineCount { get; } = Text.Count(c => c == '\n') + 1;
}

/// <summary>A notebook split into cells, with the Python view used for parsing: every cell's
/// lines sit at their own line numbers, magics rewritten (a <c>%sql</c> cell becomes a
/// <c>spark.sql(...)</c> call on the same lines; markdown, shell and pip lines become blank).</summary>
public sealed record Notebook(string File, NotebookFormat Format, ImmutableArray<NotebookCell> Cells, string PythonView)
{
    /// <summary>Notebooks inlined with <c>%run</c>, as written (a <c>%run</c> cell, or a
    /// <c>%run</c> line in a Python cell).</summary>
    public ImmutableArray<string> RunReferences =>
    [
        .. Cells.SelectMany(c => c.Language == CellLanguage.Run
            ? [c.Text.Trim()]
            : c.Language == CellLanguage.Python && Format != NotebookFormat.Plain
                ? c.Text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("%run ", StringComparison.Ordinal)).Select(l => l[5..].Trim())
                : []),
    ];

    /// <summary>The cell holding file line <paramref name="line"/>, or null (a separator, a header).</summary>
    public NotebookCell? CellAt(int line)
    {
        NotebookCell? found = null;
        foreach (var cell in Cells)
        {
            if (cell.FirstLine > line)
            {
                break;
            }

            if (line < cell.FirstLine + cell.LineCount)
            {
                found = cell;
            }
        }

        return found;
    }
}

public enum NotebookFormat
{
    /// <summary>Plain Python or SQL file (one cell).</summary>
    Plain,

    /// <summary>Databricks source format (<c># Databricks notebook source</c>); lines map 1:1 to the file.</summary>
    DatabricksSource,

    /// <summary>Jupyter .ipynb: lines are numbered over the code cells concatenated in order, as
    /// <c>jupyter nbconvert --to script</c> would (the .ipynb JSON has no stable lines of its own).</summary>
    Jupyter,
}
