using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>ITR05: DataFrames accumulated with union inside a loop.</summary>
internal sealed class Itr05UnionAccumulation : IRule
{
    public string Id => "ITR05";

    public string Title => "Union accumulation in a loop";

    public string Why => "The plan grows with every iteration (deep union trees, repeated scans of the same input).";

    public string Replacement => "One query over the loop's values: join with the list (or explode an array) and filter, or a single groupBy.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<FrameOpFact>()
            .Where(f => f.Operation == "union" && f.InLoop)
            .DistinctBy(f => (f.File, f.Line))
            .Select(f => new RuleHit(f.File, f.Line, f.Line, $"union() accumulates one DataFrame per iteration of the loop at line {f.InnermostLoop!.Line}", f.Function));
}
