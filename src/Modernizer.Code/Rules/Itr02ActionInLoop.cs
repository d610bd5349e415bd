using Modernizer.Code.Frontend;
using Modernizer.Code.Python;

namespace Modernizer.Code.Rules;

/// <summary>ITR02: an action, a write or spark.sql inside a loop (one finding per loop).</summary>
internal sealed class Itr02ActionInLoop : IRule
{
    public string Id => "ITR02";

    public string Title => "Action, write or spark.sql() inside a loop";

    public string Why => "Each iteration launches its own Spark job: N scans of the same data, N small writes, N query compilations.";

    public string Replacement => "Compute all iterations in one query (join with the list of keys, groupBy the loop variable) and write once, partitioned by the loop variable if needed.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        var loopNodes = new Dictionary<(string File, int Line), PyNode>();
        foreach (var (file, module) in context.Modules)
        {
            foreach (var node in module.Walk().Where(n => n.Kind is "For" or "While"))
            {
                loopNodes.TryAdd((file, node.Line), node);
            }
        }

        // One pass over the facts, then a lookup per loop. A fact counts for the innermost loop
        // around it (not a retry loop): that loop is the one that repeats it.
        var byLoop = new Dictionary<(string File, int Line), List<Fact>>();
        foreach (var fact in context.Facts)
        {
            var innermost = fact.Loops.Reverse().FirstOrDefault(l => !IsRetryLoop(loopNodes.GetValueOrDefault((File(l, fact), l.Line))));
            if (innermost is null)
            {
                continue;
            }

            if (!byLoop.TryGetValue((File(innermost, fact), innermost.Line), out var list))
            {
                byLoop[(File(innermost, fact), innermost.Line)] = list = [];
            }

            list.Add(fact);
        }

        foreach (var loop in context.Of<LoopFact>().DistinctBy(l => (l.File, l.Line)))
        {
            if (IsRetryLoop(loopNodes.GetValueOrDefault((loop.File, loop.Line))))
            {
                continue;
            }

            Fact[] inside = byLoop.TryGetValue((loop.File, loop.Line), out var found) ? [.. found] : [];
            var rowLevel = context.RowLevelLoops.Contains((loop.File, loop.Line));
            // Not per-iteration work: DLT dataset declarations made in a loop (one table per
            // item, declared once), writes to a table named by the item (one table per item),
            // and statements that run no query (USE, SET, OPTIMIZE, DDL).
            var writes = inside.OfType<WriteFact>().Where(w => !rowLevel && !w.Method.StartsWith("dlt.", StringComparison.Ordinal) && !w.Table.Contains('{', StringComparison.Ordinal)).Cast<Fact>();
            var queries = inside.Where(f => f is SqlFact s && IsQuery(s) && (!rowLevel || s.Summary.Writes.IsEmpty) || f is ActionFact { Action: not "display" and not "show" }).Cast<Fact>();
            var first = writes.OrderBy(f => f.Line).FirstOrDefault() ?? queries.OrderBy(f => f.Line).FirstOrDefault();
            if (first is null)
            {
                continue;
            }

            var end = first is SqlFact sql ? sql.EndLine : first.Line;
            var what = first switch
            {
                WriteFact w => $"write to {w.Table}",
                SqlFact => "spark.sql()",
                ActionFact a => a.Action + "()",
                _ => "action",
            };
            yield return new RuleHit(first.File, first.Line, end, $"{what} runs once per iteration of the loop at line {loop.Line}", first.Function);
        }
    }

    private static bool IsQuery(SqlFact sql)
    {
        var keyword = sql.Text.Render().TrimStart().Split([' ', '\n', '\t', '\r', '('], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant();
        return keyword is "SELECT" or "WITH" or "INSERT" or "MERGE" or "UPDATE" or "DELETE" or "FROM" or "VALUES" or "TABLE" or null;
    }

    private static string File(LoopContext loop, Fact fact) => loop.File.Length > 0 ? loop.File : fact.File;

    /// <summary>A retry loop (a try in the body that returns or breaks on success) repeats one
    /// action on failure; it is not iterative processing.</summary>
    private static bool IsRetryLoop(PyNode? node) =>
        node is not null && node.Nodes("body").Any(s => s.Is("Try") && s.Nodes("body").Any(b => b.Kind is "Return" or "Break") && !s.Nodes("handlers").IsEmpty);
}
