using System.Collections.Immutable;
using Modernizer.Code.Analysis;
using Modernizer.Code.Frontend;
using Modernizer.Code.Python;

namespace Modernizer.Code.Rules;

/// <summary>An anti-pattern rule (docs/rules.md): what it detects, why it hurts, and the
/// set-based replacement the rewrite uses (P2).</summary>
internal interface IRule
{
    string Id { get; }

    string Title { get; }

    string Why { get; }

    string Replacement { get; }

    IEnumerable<RuleHit> Evaluate(RuleContext context);
}

internal sealed record RuleHit(string File, int Line, int EndLine, string Message, string? Function = null);

/// <summary>What rules read: the frontend's facts and the parsed modules.</summary>
internal sealed class RuleContext
{
    private ImmutableHashSet<(string File, int Line)>? _emptiness;

    public RuleContext(IReadOnlyList<Fact> facts, IReadOnlyDictionary<string, PyNode> modules)
    {
        Facts = facts;
        Modules = modules;
        RowLevelLoops = [.. facts.OfType<LoopFact>()
            .Where(l => l.Kind == LoopKind.Rows && facts.OfType<WriteFact>().Any(w => w.File == l.File && IsInside(w, l) && IsRowLevelWrite(w)))
            .Select(l => (l.File, l.Line))
            .Distinct()];
    }

    public IReadOnlyList<Fact> Facts { get; }

    public IReadOnlyDictionary<string, PyNode> Modules { get; }

    /// <summary>Lines where count() only tests for rows (ACT01); ACT02 does not count them twice.</summary>
    public ImmutableHashSet<(string File, int Line)> EmptinessChecks =>
        _emptiness ??= [.. new Act01CountForEmptiness().Evaluate(this).Select(h => (h.File, h.Line))];

    /// <summary>Loops over collected rows that write row by row (ITR03), by file and line.</summary>
    public ImmutableHashSet<(string File, int Line)> RowLevelLoops { get; }

    public static bool IsInside(Fact fact, LoopFact loop) =>
        fact.Loops.Any(l => l.Line == loop.Line) && fact.File == loop.File;

    public static bool IsRowLevelWrite(WriteFact write) =>
        write.Method is "sql_update" or "sql_insert_into" or "sql_merge" or "sql_delete" or "DeltaTable.update" or "DeltaTable.updateExpr" or "DeltaTable.delete" or "merge" or "insertInto"
        || write.Mode is "append";

    public IEnumerable<T> Of<T>() where T : Fact => Facts.OfType<T>();
}

/// <summary>The rules in the order they run (one file per rule).</summary>
internal static class RuleCatalog
{
    public static ImmutableArray<IRule> All { get; } =
    [
        new Itr01LoopOverCollectedRows(),
        new Itr02ActionInLoop(),
        new Itr03RowAtATimeUpsert(),
        new Itr04ColumnOpsInLoop(),
        new Itr05UnionAccumulation(),
        new Drv01UnboundedCollect(),
        new Udf01RowByRowUdf(),
        new Udf02UdfInFilter(),
        new Rdd01RddApi(),
        new Act01CountForEmptiness(),
        new Act02RepeatedActions(),
        new Jn01CrossJoin(),
        new Win01WindowWithoutPartition(),
        new Wr01SinglePartitionWrite(),
        new Sql01SelectStar(),
        new Dyn01DynamicSql(),
        new Prt01MissingPartitioning(),
        new Mat01UnnecessaryMaterialization(),
    ];

    public static ImmutableArray<AntiPatternFinding> Run(RuleContext context)
    {
        var findings = ImmutableArray.CreateBuilder<AntiPatternFinding>();
        var seen = new HashSet<(string, string, int)>();
        foreach (var rule in All)
        {
            foreach (var hit in rule.Evaluate(context))
            {
                if (seen.Add((rule.Id, hit.File, hit.Line)))
                {
                    findings.Add(new AntiPatternFinding(rule.Id, hit.File, hit.Line, Math.Max(hit.EndLine, hit.Line), hit.Message, rule.Replacement));
                }
            }
        }

        return [.. findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.RuleId, StringComparer.Ordinal)];
    }
}
