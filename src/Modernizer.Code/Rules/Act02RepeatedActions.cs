using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>ACT02: a count()/show() on an uncached DataFrame followed by another action over the
/// same lineage: the whole plan runs twice.</summary>
internal sealed class Act02RepeatedActions : IRule
{
    public string Id => "ACT02";

    public string Title => "Repeated actions without cache";

    public string Why => "Each action recomputes the DataFrame from the source tables; a count() for a log line doubles the job's work.";

    public string Replacement => "Drop diagnostic counts (or read them from the write metrics), or compute once: cache/persist the DataFrame before several actions.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        var actions = context.Of<ActionFact>().ToArray();
        var reported = new HashSet<int>();
        for (var i = 0; i < actions.Length; i++)
        {
            var first = actions[i];
            // show() computes only the rows it prints; a count() computes the whole DataFrame,
            // which a later action computes again.
            if (first.Action is not "count" || first.Frame.Has(FrameTraits.Cached) || context.EmptinessChecks.Contains((first.File, first.Line)))
            {
                continue;
            }

            for (var j = i + 1; j < actions.Length; j++)
            {
                var next = actions[j];
                // Showing data again is output, not repeated ETL work; a count or collect after a
                // diagnostic show or count is the second computation this rule is about.
                if (next.Action is "display" or "show" or "describe" or "summary" || ReferenceEquals(next, first) || !DerivesFrom(next.Frame, first.Frame.Id))
                {
                    continue;
                }

                if (reported.Add(RootOf(first.Frame)))
                {
                    yield return new RuleHit(next.File, next.Line, next.Line, $"{next.Action}() recomputes the DataFrame already computed by {first.Action}() at line {first.Line} (not cached)", next.Function);
                }

                break;
            }
        }
    }

    private static bool DerivesFrom(DataFrameValue frame, int ancestor)
    {
        // Frames form a DAG (self-joins, unions of branches): visit each once, or shared
        // ancestors are walked once per path.
        var stack = new Stack<DataFrameValue>();
        var visited = new HashSet<int>();
        stack.Push(frame);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!visited.Add(current.Id))
            {
                continue;
            }

            if (current.Id == ancestor)
            {
                return true;
            }

            if (current.Has(FrameTraits.Cached))
            {
                continue;
            }

            foreach (var input in current.Inputs)
            {
                stack.Push(input);
            }
        }

        return false;
    }

    private static int RootOf(DataFrameValue frame)
    {
        var current = frame;
        while (!current.Inputs.IsEmpty)
        {
            current = current.Inputs[0];
        }

        return current.Id;
    }
}
