using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>MAT01: cache/persist/checkpoint of a DataFrame that is used by at most one action or write.</summary>
internal sealed class Mat01UnnecessaryMaterialization : IRule
{
    public string Id => "MAT01";

    public string Title => "Unnecessary materialization";

    public string Why => "Caching or checkpointing data that is read once costs memory and a full extra pass without saving any work.";

    public string Replacement => "Remove the cache/checkpoint; keep one only where the same DataFrame feeds several actions.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        // Uses are counted in the order the job runs, not by line in one file: a notebook that
        // caches may be included (%run) by the one that uses the cache.
        var order = new Dictionary<Fact, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < context.Facts.Count; i++)
        {
            order[context.Facts[i]] = i;
        }

        foreach (var cache in context.Of<FrameOpFact>().Where(f => f.Operation is "cache" or "persist" or "checkpoint" or "localCheckpoint"))
        {
            var at = order[cache];
            var uses = context.Of<ActionFact>().Count(a => order[a] > at && Uses(a.Frame, cache.Result.Id))
                + context.Of<WriteFact>().Count(w => order[w] > at && w.Frame is not null && Uses(w.Frame, cache.Result.Id));
            // A cached frame a function returns escapes: its uses are the caller's, unseen here.
            var escapes = context.Of<ReturnFact>().Any(r => order[r] > at && Uses(r.Frame, cache.Result.Id));
            if (uses <= 1 && !cache.InLoop && !escapes)
            {
                yield return new RuleHit(cache.File, cache.Line, cache.Line, $"{cache.Operation}() of a DataFrame used {uses} time(s) afterwards", cache.Function);
            }
        }
    }

    private static bool Uses(DataFrameValue frame, int id)
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

            if (current.Id == id)
            {
                return true;
            }

            foreach (var input in current.Inputs)
            {
                stack.Push(input);
            }
        }

        return false;
    }
}
