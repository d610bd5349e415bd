using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>RDD01: the RDD API used for DataFrame work.</summary>
internal sealed class Rdd01RddApi : IRule
{
    public string Id => "RDD01";

    public string Title => "RDD API";

    public string Why => "RDD code bypasses Catalyst and Tungsten: no pruning, no code generation, Python serialization of every record.";

    public string Replacement => "DataFrame or Spark SQL operations on the same data.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<RddFact>()
            .GroupBy(r => (r.File, r.Line))
            .Select(g => new RuleHit(g.Key.File, g.Key.Line, g.Key.Line, "RDD API: " + string.Join(", ", g.Select(r => r.Operation).Distinct()), g.First().Function));
}
