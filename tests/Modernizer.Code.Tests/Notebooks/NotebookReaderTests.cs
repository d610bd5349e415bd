using Modernizer.Code.Notebooks;

namespace Modernizer.Code.Tests.Notebooks;

public sealed class NotebookReaderTests
{
    private const string Databricks = """
        # Databricks notebook source
        # MAGIC %md
        # MAGIC # Title

        # COMMAND ----------

        x = 1

        # COMMAND ----------

        # MAGIC %sql
        # MAGIC SELECT *
        # MAGIC FROM raw.orders

        # COMMAND ----------

        # MAGIC %run ./shared/setup
        """;

    [Fact]
    public void Databricks_source_is_split_into_cells_with_their_file_lines()
    {
        var notebook = NotebookReader.Read("nb.py", Databricks);

        Assert.Equal(NotebookFormat.DatabricksSource, notebook.Format);
        Assert.Equal([CellLanguage.Markdown, CellLanguage.Python, CellLanguage.Sql, CellLanguage.Run], notebook.Cells.Select(c => c.Language));
        var sql = notebook.Cells[2];
        Assert.Equal(11, sql.FirstLine);
        Assert.Contains("FROM raw.orders", sql.Text, StringComparison.Ordinal);
        Assert.Equal(["./shared/setup"], notebook.RunReferences.AsEnumerable());
    }

    [Fact]
    public void The_python_view_keeps_every_line_in_place_and_rewrites_sql_cells()
    {
        var notebook = NotebookReader.Read("nb.py", Databricks);
        var lines = notebook.PythonView.Split('\n');

        Assert.Equal("x = 1", lines[6]);
        Assert.StartsWith("spark.sql(", lines[10], StringComparison.Ordinal);
        Assert.Equal("    \"SELECT *\\n\"", lines[11]);
        Assert.Equal("    \"FROM raw.orders\")", lines[12]);
        Assert.Equal(string.Empty, lines[2]);
    }

    [Fact]
    public void Jupyter_cells_are_numbered_as_jupyter_shows_them_and_lines_as_nbconvert_writes_the_script()
    {
        // nbconvert --to script: 2 header lines and a blank; a markdown cell commented and a
        // blank; a code cell after "# In[ ]:" and two blanks, then a blank.
        const string ipynb = """
            {"cells": [
              {"cell_type": "markdown", "source": ["# Title"]},
              {"cell_type": "code", "source": ["%pip install x\n", "df = spark.table('raw.a')"]},
              {"cell_type": "code", "source": "%%sql\nSELECT 1"}
            ], "nbformat": 4}
            """;

        var notebook = NotebookReader.Read("nb.ipynb", ipynb);
        var lines = notebook.PythonView.Split('\n');

        Assert.Equal(NotebookFormat.Jupyter, notebook.Format);
        Assert.Equal([CellLanguage.Markdown, CellLanguage.Python, CellLanguage.Sql], notebook.Cells.Select(c => c.Language));
        Assert.Equal(9, notebook.Cells[1].FirstLine);
        Assert.Equal(string.Empty, lines[8]);
        Assert.Equal("df = spark.table('raw.a')", lines[9]);
        Assert.Equal(15, notebook.Cells[2].FirstLine);
        Assert.Equal(notebook.Cells[1], notebook.CellAt(10));
    }

    [Fact]
    public void A_plain_sql_file_becomes_one_sql_cell()
    {
        var notebook = NotebookReader.Read("job.sql", "SELECT 1;\nSELECT 2;\n");

        Assert.Equal(CellLanguage.Sql, Assert.Single(notebook.Cells).Language);
        Assert.StartsWith("spark.sql(", notebook.PythonView, StringComparison.Ordinal);
    }
}
