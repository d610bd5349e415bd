namespace Modernizer.Code.Rules;

using Modernizer.Code.Frontend;

/// <summary>ITR01: a Python loop over rows brought to the driver.</summary>
internal sealed class Itr01LoopOverCollectedRows : IRule
{
    public string Id => "ITR01";

    public string Title => "Loop over collect() / toLocalIterator() / toPandas().iterrows()";

    public string Why => "Every row crosses to the driver and is processed one at a time in Python: no parallelism, driver memory bound, and the logic hides from the optimizer.";

    public string Replacement => "Express the loop body as DataFrame/SQL operations: joins instead of dict lookups, groupBy().agg or window functions instead of accumulators, one write of the result.";

    /// <summary>Rows of configuration or schema metadata (a control table listing what to
    /// process, a schema description) drive the job; they are not the data it processes
    /// (ITR02 covers Spark work repeated per such row).</summary>
    private static readonly string[] MetadataWords = ["config", "control", "metadata", "schema", "mapping", "setting", "param"];

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<LoopFact>()
            .Where(l => l.Kind == LoopKind.Rows && !context.RowLevelLoops.Contains((l.File, l.Line)) && !IsMetadata(l.Source) && !MetadataWords.Any(w => Root(l.Iterable).Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Select(l => new RuleHit(l.File, l.Line, l.EndLine, $"loop over rows from {l.Origin} processes data one row at a time on the driver", l.Function));

    /// <summary>The variable an iterated expression starts from (<c>schema_df</c> in <c>schema_df.collect()</c>).</summary>
    private static string Root(string? iterable) =>
        iterable is null ? string.Empty : iterable.Split('.', '(', '[')[0];

    private static bool IsMetadata(DataFrameValue? source)
    {
        if (source is null)
        {
            return false;
        }

        var names = new List<string>();
        var stack = new Stack<DataFrameValue>([source]);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            var frame = stack.Pop();
            if (!seen.Add(frame.Id))
            {
                continue;
            }

            names.AddRange(frame.Sources);
            if (frame.Step is { Kind: "parameter", Condition: { } parameter })
            {
                names.Add(parameter);
            }

            foreach (var input in frame.Inputs)
            {
                stack.Push(input);
            }
        }

        return names.Count > 0 && names.All(n => MetadataWords.Any(w => n.Contains(w, StringComparison.OrdinalIgnoreCase)));
    }
}
