namespace Modernizer.Code.Rules;

using Modernizer.Code.Frontend;

/// <summary>ITR01: a Python loop over rows brought to the driver.</summary>
internal sealed class Itr01LoopOverCollectedRows : IRule
{
    public string Id => "ITR01";

    public string Title => "Loop over collect() / toLocalIterator() / toPandas().iterrows()";

    public string Why => "Every row crosses to the driver and is processed one at a time in Python: no parallelism, driver memory bound, and the logic hides from the optimizer.";

    public string Replacement => "Express the loop body as DataFrame/SQL operations: joins instead of dict lookups, groupBy().agg or window functions instead of accumulators, one write of the result.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<LoopFact>()
            .Where(l => l.Kind == LoopKind.Rows && !context.RowLevelLoops.Contains((l.File, l.Line)))
            .Select(l => new RuleHit(l.File, l.Line, l.EndLine, $"loop over rows from {l.Origin} processes data one row at a time on the driver", l.Function));
}
