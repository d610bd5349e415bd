using Modernizer.Code.Frontend;
using Modernizer.Code.Notebooks;
using Modernizer.Code.Python;

namespace Modernizer.Code.Analysis;

/// <summary>Complexity measures of a job (R1.3's code complexity factor): size, branching
/// (McCabe over the Python syntax), loops over rows, Spark and SQL operations, tables touched.
/// The score in [0, 1] weighs them against typical values of a 250-line job.</summary>
internal static class ComplexityMeter
{
    public static ComplexityMeasures Measure(IReadOnlyDictionary<string, PyNode> modules, IReadOnlyList<Fact> facts, IReadOnlyList<Notebook> notebooks, int tables)
    {
        var lines = notebooks.Sum(n => n.Cells.Sum(c => c.Text.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#') && !l.TrimStart().StartsWith("--", StringComparison.Ordinal))));
        var nodes = modules.Values.SelectMany(m => m.Walk()).ToArray();
        var functions = nodes.Count(n => n.Kind is "FunctionDef" or "AsyncFunctionDef" or "Lambda");
        var branches = nodes.Count(n => n.Kind is "If" or "IfExp" or "ExceptHandler" or "comprehension" or "match_case")
            + nodes.Where(n => n.Is("BoolOp")).Sum(n => Math.Max(0, n.Nodes("values").Length - 1));
        var loops = nodes.Count(n => n.Kind is "For" or "While" or "AsyncFor");
        var rowLoops = facts.OfType<LoopFact>().Where(l => l.Kind == LoopKind.Rows).Select(l => (l.File, l.Line)).Distinct().Count();
        var sparkOps = facts.Count(f => f is FilterFact or JoinFact or AggregateFact or WindowFact or FrameOpFact or WriteFact or ActionFact);
        var sql = facts.OfType<SqlFact>().Count();
        var cyclomatic = 1 + branches + loops;
        var score = Math.Clamp(
            0.25 * Math.Min(1, lines / 400.0) + 0.25 * Math.Min(1, cyclomatic / 40.0) + 0.2 * Math.Min(1, rowLoops / 3.0)
            + 0.15 * Math.Min(1, (sparkOps + sql) / 40.0) + 0.15 * Math.Min(1, tables / 10.0),
            0,
            1);
        return new ComplexityMeasures(notebooks.Count, lines, functions, branches, loops, rowLoops, sparkOps, sql, tables, cyclomatic, Math.Round(score, 3));
    }
}
