using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements;

/// <summary>Requirements that cannot all hold and whose disagreement changes output (R2.3): rows of a
/// range table whose ranges overlap with different labels — a value in the overlap matches both rows,
/// so the job writes it once per label. The output query shows how many rows fall in the overlap.</summary>
internal static class ContradictionDetector
{
    public static async Task<ImmutableArray<Contradiction>> DetectAsync(InferenceContext context, CancellationToken cancellationToken)
    {
        var result = ImmutableArray.CreateBuilder<Contradiction>();
        var rules = context.Requirements.Where(r => r.Category == "range_rule").ToList();
        foreach (var band in RangeTable.Find(context.Inputs))
        {
            var bandRules = rules.Where(r => r.Origin.Site == band.Filter.Id).ToList();
            for (var i = 0; i < band.Rows.Length; i++)
            {
                for (var j = i + 1; j < band.Rows.Length; j++)
                {
                    var (a, b) = (band.Rows[i], band.Rows[j]);
                    if (!a.Overlaps(b) || a.Label == b.Label || bandRules.Count <= j)
                    {
                        continue;
                    }

                    var low = Math.Max(a.Low, b.Low).ToString("R", CultureInfo.InvariantCulture);
                    var high = Math.Min(a.High, b.High).ToString("R", CultureInfo.InvariantCulture);
                    var measure = Predicates.ToSpark(band.Measure);
                    var evidence = new List<RequirementEvidence>
                    {
                        RequirementEvidence.Code(new SpanRef(band.Table.Span.File, band.Table.RowLines[i]).ToString(), $"{a.Label} [{a.Low}, {a.High})"),
                        RequirementEvidence.Code(new SpanRef(band.Table.Span.File, band.Table.RowLines[j]).ToString(), $"{b.Label} [{b.Low}, {b.High})"),
                    };
                    var duck = Predicates.ToDuckDb(band.Measure);
                    foreach (var target in band.Filter.Targets.Where(t => context.HasTable(t) && context.HasColumn(t, band.LabelColumn)))
                    {
                        if (duck is not null && await context.QueryAsync(
                            $"SELECT count(*) FILTER (WHERE {SqlText.Identifier(band.LabelColumn)} = {SqlText.Literal(a.Label)}) AS {SqlText.Identifier(a.Label)}, count(*) FILTER (WHERE {SqlText.Identifier(band.LabelColumn)} = {SqlText.Literal(b.Label)}) AS {SqlText.Identifier(b.Label)} FROM {SqlText.Table(target)} WHERE {duck} >= {low} AND {duck} < {high}",
                            cancellationToken) is { } overlap)
                        {
                            evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                                $"rows of {target} with {measure} in [{low}, {high}): {overlap.Summary()}")
                            { Query = overlap });
                        }
                    }

                    var pair = ImmutableArray.Create(bandRules[i].Id, bandRules[j].Id);
                    result.Add(new Contradiction(
                        "CON-" + (result.Count + 1).ToString("00", CultureInfo.InvariantCulture),
                        pair,
                        $"{band.Table.Name} gives {band.LabelColumn} '{a.Label}' for [{a.Low}, {a.High}) and '{b.Label}' for [{b.Low}, {b.High}): a value of {measure} in [{low}, {high}) matches both rows, so the job writes it once as '{a.Label}' and once as '{b.Label}'. Which one is meant changes the output.",
                        true,
                        [.. evidence]));
                    context.Replace(bandRules[i] with { Contradicts = [.. bandRules[i].Contradicts, bandRules[j].Id] });
                    context.Replace(bandRules[j] with { Contradicts = [.. bandRules[j].Contradicts, bandRules[i].Id] });
                    bandRules[i] = context.Requirements.First(r => r.Id == bandRules[i].Id);
                    bandRules[j] = context.Requirements.First(r => r.Id == bandRules[j].Id);
                }
            }
        }

        return result.ToImmutable();
    }
}
