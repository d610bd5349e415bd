using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>ITR03: a loop over rows that updates/inserts/merges one row at a time (SCD by hand).</summary>
internal sealed class Itr03RowAtATimeUpsert : IRule
{
    public string Id => "ITR03";

    public string Title => "Row-at-a-time upsert or SCD";

    public string Why => "One UPDATE/INSERT/MERGE per row rewrites Delta files per row: minutes become hours, and a failure half way leaves the target half updated.";

    public string Replacement => "One MERGE INTO with the whole change set (SCD2: union of closing updates and new current rows, or MERGE with a staged key), inside one transaction.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<LoopFact>()
            .Where(l => context.RowLevelLoops.Contains((l.File, l.Line)))
            .DistinctBy(l => (l.File, l.Line))
            .Select(l =>
            {
                var targets = context.Of<WriteFact>().Where(w => RuleContext.IsInside(w, l) && RuleContext.IsRowLevelWrite(w)).Select(w => w.Table).Distinct();
                return new RuleHit(l.File, l.Line, l.EndLine, $"rows from {l.Origin} are upserted one at a time into {string.Join(", ", targets)}", l.Function);
            });
}
