using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>UDF02: a Python UDF used as a filter predicate.</summary>
internal sealed class Udf02UdfInFilter : IRule
{
    public string Id => "UDF02";

    public string Title => "UDF in a filter";

    public string Why => "A UDF predicate cannot be pushed down to the scan: every row is read and sent to Python before filtering.";

    public string Replacement => "Rewrite the predicate with built-in column expressions so it pushes down to the Delta scan.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<UdfFact>().Where(u => u.Use == "filter")
            .Select(u => new RuleHit(u.File, u.Line, u.Line, $"filter predicate calls a Python UDF: {u.Name}", u.Function));
}
