using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>DRV01: collect()/toPandas() of a DataFrame with no bound on its size.</summary>
internal sealed class Drv01UnboundedCollect : IRule
{
    public string Id => "DRV01";

    public string Title => "Unbounded collect() / toPandas()";

    public string Why => "The whole result must fit in driver memory; the job fails (or slows to a crawl) as data grows.";

    public string Replacement => "Keep the data distributed: write the result with Spark, or limit/aggregate before bringing anything to the driver.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        var loopLines = context.Of<LoopFact>().Select(l => (l.File, l.Line)).ToHashSet();
        return context.Of<ActionFact>()
            .Where(a => a.Action is "collect" or "toPandas" or "toLocalIterator" or "toJSON" && !a.Bounded && !loopLines.Contains((a.File, a.Line)))
            .Select(a => new RuleHit(a.File, a.Line, a.Line, $"{a.Action}() brings every row of the DataFrame to the driver", a.Function));
    }
}
