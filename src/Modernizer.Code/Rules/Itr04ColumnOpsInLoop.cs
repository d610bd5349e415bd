using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>ITR04: withColumn/drop/withColumnRenamed applied in a loop.</summary>
internal sealed class Itr04ColumnOpsInLoop : IRule
{
    public string Id => "ITR04";

    public string Title => "withColumn / drop / rename in a loop";

    public string Why => "Each call adds a projection to the plan; long chains blow up analysis time and the code hides a single select.";

    public string Replacement => "One select (or withColumns) with all expressions built from the column list.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<FrameOpFact>()
            // The call is written in the loop's body (a helper that builds a fresh frame per call
            // accumulates nothing).
            .Where(f => f.Operation is "withColumn" or "withColumns" or "drop" or "withColumnRenamed" or "withColumnsRenamed" && f.InLoop
                && (f.InnermostLoop!.File.Length == 0 || f.InnermostLoop.File == f.File) && f.Line >= f.InnermostLoop.Line && f.Line <= f.InnermostLoop.EndLine)
            .GroupBy(f => (f.File, f.InnermostLoop!.Line))
            .Where(g => g.Any(f => f.Result.Line < f.InnermostLoop!.Line || f.Result.Line > f.InnermostLoop!.EndLine))
            .Select(g => new RuleHit(g.Key.File, g.Key.Line, g.First().InnermostLoop!.EndLine, $"{g.First().Operation}() called once per item of the loop", g.First().Function));
}
