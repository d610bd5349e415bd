using System.Text;
using Modernizer.Code.Frontend;

namespace Modernizer.Code.Analysis;

/// <summary>Indented text of the operator chain that feeds each write (the plan text of analysis.json).</summary>
internal static class PlanPrinter
{
    private const int MaxDepth = 40;

    /// <summary>The shared plan's text (PlanFormatter) per write and row loop; the frontend's operator
    /// chain where a plan could not be formatted.</summary>
    public static string Print(IReadOnlyList<Fact> facts, IReadOnlyList<Plan.PlanNode> plans)
    {
        var formatted = new StringBuilder();
        foreach (var plan in plans)
        {
            try
            {
                formatted.Append(Plan.PlanFormatter.Format(plan)).Append('\n');
            }
            catch (InvalidOperationException)
            {
                return Print(facts);
            }
        }

        return plans.Count == 0 ? Print(facts) : formatted.ToString();
    }

    public static string Print(IReadOnlyList<Fact> facts)
    {
        var builder = new StringBuilder();
        foreach (var write in facts.OfType<WriteFact>())
        {
            builder.Append("Write ").Append(write.Table).Append(" (").Append(write.Method).Append(", mode=").Append(write.Mode ?? "default").Append(") ")
                .Append(write.File).Append(':').Append(write.Line).Append('\n');
            if (write.Frame is not null)
            {
                Append(builder, write.Frame, 1);
            }
        }

        foreach (var loop in facts.OfType<LoopFact>().Where(l => l.Kind == LoopKind.Rows).DistinctBy(l => (l.File, l.Line)))
        {
            builder.Append("Loop over ").Append(loop.Origin).Append(' ').Append(loop.File).Append(':').Append(loop.Line).Append('-').Append(loop.EndLine).Append('\n');
            if (loop.Source is not null)
            {
                Append(builder, loop.Source, 1);
            }
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, DataFrameValue frame, int depth)
    {
        builder.Append(' ', depth * 2).Append(frame.Operator).Append('\n');
        if (depth >= MaxDepth)
        {
            return;
        }

        foreach (var input in frame.Inputs)
        {
            Append(builder, input, depth + 1);
        }
    }
}
