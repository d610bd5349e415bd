using System.Collections.Immutable;
using Modernizer.Code.Frontend;
using Modernizer.Code.Notebooks;
using Modernizer.Code.Python;

namespace Modernizer.Code.Analysis;

/// <summary>Tells "not understood" apart from "nothing found" (R2.1): a file that was not parsed
/// or failed, SQL that was not parsed, or a file that plainly is Spark code (it imports pyspark,
/// awsglue or dlt, or names a session) in which the frontend recognised no Spark operation.
/// Files with no Spark in them at all (setup scripts, plain helpers) are not listed.</summary>
internal static class Understanding
{
    private static readonly string[] SparkMarkers =
    [
        "pyspark", "awsglue", "import dlt", "spark.", "SparkSession", "sqlContext", "glueContext", "DataFrame", "spark_session", "dbutils",
    ];

    public static ImmutableArray<NotUnderstoodFile> Assess(IReadOnlyList<Notebook> notebooks, IReadOnlyDictionary<string, PyNode> modules, IReadOnlyList<Fact> facts, IReadOnlySet<string> sparkFiles, IReadOnlyList<AnalysisProblem> problems)
    {
        var result = new Dictionary<string, NotUnderstoodFile>(StringComparer.Ordinal);
        foreach (var problem in problems.Where(p => p.Kind is not null and not ProblemKinds.Configuration))
        {
            result.TryAdd(problem.File, new NotUnderstoodFile(problem.File, problem.Kind!, problem.Message));
        }

        var active = facts.Where(IsSparkOperation).Select(f => f.File).Concat(sparkFiles).ToHashSet(StringComparer.Ordinal);
        foreach (var notebook in notebooks)
        {
            if (result.ContainsKey(notebook.File) || !modules.ContainsKey(notebook.File) || active.Contains(notebook.File))
            {
                continue;
            }

            // A file that calls nothing (imports, constants: a package's __init__) does no data work.
            if (!modules[notebook.File].Walk().Any(n => n.Is("Call")))
            {
                continue;
            }

            var hasSql = notebook.Cells.Any(c => c.Language == CellLanguage.Sql && c.Text.Trim().Length > 0);
            var mentionsSpark = hasSql || SparkMarkers.Any(m => notebook.PythonView.Contains(m, StringComparison.Ordinal));
            if (mentionsSpark)
            {
                result[notebook.File] = new NotUnderstoodFile(notebook.File, ProblemKinds.NoSparkOperation,
                    "the file uses Spark but no read, write, transformation, action or SQL statement was recognised in it");
            }
        }

        return [.. result.Values.OrderBy(n => n.File, StringComparer.Ordinal)];
    }

    private static bool IsSparkOperation(Fact fact) =>
        fact is ReadFact or WriteFact or ActionFact or FrameOpFact or SqlFact or UdfFact or RddFact or JoinFact or FilterFact
            or AggregateFact or MergeFact or TempViewFact or CreateDataFrameFact or WindowFact or RepartitionFact
        || (fact is LoopFact loop && loop.Kind == LoopKind.Rows);
}

/// <summary>Finds the notebook cell of a file line.</summary>
internal sealed class CellLocator
{
    private readonly Dictionary<string, Notebook> _notebooks;

    public CellLocator(IEnumerable<Notebook> notebooks) =>
        _notebooks = notebooks.Where(n => n.Format != NotebookFormat.Plain).ToDictionary(n => n.File, StringComparer.Ordinal);

    public (int Cell, int Line)? Locate(string file, int line)
    {
        if (line <= 0 || !_notebooks.TryGetValue(file, out var notebook) || notebook.CellAt(line) is not { } cell)
        {
            return null;
        }

        return (cell.Index + 1, line - cell.FirstLine + 1);
    }
}
