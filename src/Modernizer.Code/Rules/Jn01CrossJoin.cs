using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>JN01: a cross join or a join without a condition.</summary>
internal sealed class Jn01CrossJoin : IRule
{
    public string Id => "JN01";

    public string Title => "Cross or condition-less join";

    public string Why => "Rows multiply (n × m) before any filter; with a range filter after it, an equi- or range join does the same work on a fraction of the rows.";

    public string Replacement => "A join with the real condition (range join, or a CASE/bucketing expression instead of joining a bands table).";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        // join() without a condition to a side built on the driver (createDataFrame of a few local
        // rows) attaches constants to every row; it does not multiply the data. crossJoin is meant.
        foreach (var join in context.Of<JoinFact>().Where(j => j.JoinType == "cross" && !j.ConditionInWhere
            && (j.Explicit || (!j.Left.Has(FrameTraits.FromDriverData) && !j.Right.Has(FrameTraits.FromDriverData)))))
        {
            yield return new RuleHit(join.File, join.Line, join.Line, join.HasCondition ? "cross join" : "join without a condition (cross join)", join.Function);
        }

        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "cross_join"))
            {
                yield return new RuleHit(sql.File, sql.FileLine(finding.RelativeLine), sql.FileLine(finding.RelativeLine), "SQL " + finding.Detail, sql.Function);
            }
        }
    }
}
