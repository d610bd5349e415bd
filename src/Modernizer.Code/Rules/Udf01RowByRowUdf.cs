using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>UDF01: a row-by-row Python UDF or an RDD row function.</summary>
internal sealed class Udf01RowByRowUdf : IRule
{
    public string Id => "UDF01";

    public string Title => "Row-by-row Python UDF or rdd.map";

    public string Why => "Every row is serialized to a Python worker and back; the optimizer cannot see inside the function.";

    public string Replacement => "Built-in functions (when/otherwise, arithmetic, date functions) in a select; a pandas UDF only where no built-in exists.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<UdfFact>()
            .Where(u => u.Kind is "udf" or "rdd" or "foreach" && u.Use is "definition" or "row function" or "registered for SQL")
            .Select(u => new RuleHit(u.File, u.Line, u.Line, u.Kind == "udf" ? $"Python UDF '{u.Name}' runs once per row" : $"{u.Name} runs a Python function once per row", u.Function));
}
