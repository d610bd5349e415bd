using Modernizer.Code.Defects;
using Modernizer.Code.Frontend;

namespace Modernizer.Code.Analysis;

/// <summary>Finds tables a job treats as keeping several rows per key: it joins the table back to
/// its own max(version column) per key ("keep the latest row"). Such a table fans out wherever
/// another job joins it without the same step.</summary>
internal static class VersionedTableDetector
{
    public static IEnumerable<KeyValuePair<string, string>> Detect(IReadOnlyList<Fact> facts)
    {
        foreach (var join in facts.OfType<JoinFact>())
        {
            var table = TableKeys.DirectTable(join.Left);
            if (table is null || !join.Right.Has(FrameTraits.Aggregated) || !join.Right.Sources.SetEquals([table]))
            {
                continue;
            }

            foreach (var key in join.Keys)
            {
                if (join.Right.Columns.TryGetValue(key, out var sources) && sources.Any(s => s.Subtype == LineageSubtype.Aggregation && s.Column.Table == table))
                {
                    yield return KeyValuePair.Create(table, key);
                }
            }
        }
    }
}
