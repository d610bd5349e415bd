using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>WIN01: a window without PARTITION BY.</summary>
internal sealed class Win01WindowWithoutPartition : IRule
{
    public string Id => "WIN01";

    public string Title => "Window without partition";

    public string Why => "All rows move to a single partition on one executor to be ordered: no parallelism and a memory cliff.";

    public string Replacement => "Partition the window by the business key; for a global rank use a two-step aggregate or accept it only on small, pre-aggregated data.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        foreach (var window in context.Of<WindowFact>().Where(w => !w.Partitioned))
        {
            yield return new RuleHit(window.File, window.Line, window.Line, "window without partitionBy: " + window.Expression, window.Function);
        }

        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "window_without_partition"))
            {
                yield return new RuleHit(sql.File, sql.FileLine(finding.RelativeLine), sql.FileLine(finding.RelativeLine), "SQL window without PARTITION BY: " + finding.Detail, sql.Function);
            }
        }
    }
}
