using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;
using static Modernizer.Specs.Requirements.Interpretations.ProbeHelpers;

namespace Modernizer.Specs.Requirements.Interpretations;

/// <summary>inner_join_drops_rows: are rows without a match dropped (the code) or kept with nulls? The
/// source says whether unmatched rows exist; the output says whether any row carries nulls for every
/// column from the other side.</summary>
internal sealed class InnerJoinDropsProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) =>
        DefectOf(context, requirement)?.Kind == "inner_join_drops_rows" && SiteOf<JoinSite>(context, requirement) is not null;

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var join = SiteOf<JoinSite>(context, requirement)!;
        var left = join.Keys.Select(k => k.Left.Table).Distinct(StringComparer.Ordinal).SingleOrDefault();
        var right = join.Keys.Select(k => k.Right.Table).Distinct(StringComparer.Ordinal).SingleOrDefault();
        if (left is null || right is null || !context.HasTable(left) || !context.HasTable(right))
        {
            return null;
        }

        var match = await context.QueryAsync(EvidenceQueries.JoinMatch(left, [.. join.Keys.Select(k => k.Left.Column)], right, [.. join.Keys.Select(k => k.Right.Column)]), cancellationToken);
        if (match is null)
        {
            return null;
        }

        var unmatched = match.Long("left_unmatched");
        var evidence = new List<RequirementEvidence> { Source(context, left, Invariant($"{unmatched} of {match.Long("left_rows")} rows of {left} have no match in {right}"), match) };
        bool? dropped = null;
        QueryRecord? outputQuery = null;
        foreach (var target in join.Targets.Where(context.HasTable))
        {
            var rightColumns = OutputColumnsFrom(context, target, join.RightTables);
            if (rightColumns.IsEmpty)
            {
                continue;
            }

            var allNull = string.Join(" AND ", rightColumns.Select(c => SqlText.Identifier(c) + " IS NULL"));
            outputQuery = await context.QueryAsync($"SELECT count(*) AS rows, count(*) FILTER (WHERE {allNull}) AS rows_without_match FROM {SqlText.Table(target)}", cancellationToken);
            if (outputQuery is not null)
            {
                var kept = outputQuery.Long("rows_without_match");
                dropped = unmatched == 0 ? null : kept == 0;
                evidence.Add(Output(context, target, Invariant($"{kept} rows of {target} have no value from {string.Join(", ", join.RightTables)} ({string.Join(", ", rightColumns)} all null)"), outputQuery, dropped != false));
            }

            break;
        }

        var readings = new[]
        {
            Reading("a", $"rows of {left} without a match in {right} are dropped (inner join, as written)", dropped, dropped != false, dropped is null ? "the data does not show it either way" : dropped.Value ? "unmatched source rows exist and no output row lacks the joined columns" : "output rows without joined values exist", outputQuery),
            Reading("b", $"rows of {left} without a match in {right} are kept with nulls", dropped is null ? null : !dropped, dropped == false, dropped == false ? "output rows without joined values exist" : "no output row lacks the joined columns", outputQuery),
        };
        return new ProbeResult([.. readings], dropped is null ? requirement.Confidence : Settled,
            dropped is null
                ? (unmatched == 0 ? "every source row has a match, so the data cannot tell the readings apart; the code's reading stays" : "the output carries no column of the joined side, so it cannot tell")
                : dropped.Value ? "the legacy output confirms that unmatched rows are dropped" : "the legacy output keeps unmatched rows, unlike the code's reading",
            dropped == false ? $"Rows of {left} without a match in {right} are kept with nulls in the legacy output." : null)
        { Evidence = [.. evidence] };
    }
}

/// <summary>fan_out_non_unique_lookup: does a row matching several lookup rows appear once per match
/// (the code) or once? The output is grouped by the columns that come from the driving side.</summary>
internal sealed class FanOutProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) =>
        DefectOf(context, requirement)?.Kind == "fan_out_non_unique_lookup" && SiteOf<JoinSite>(context, requirement) is not null;

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var join = SiteOf<JoinSite>(context, requirement)!;
        foreach (var target in join.Targets.Where(context.HasTable))
        {
            var leftColumns = OutputColumnsFrom(context, target, join.LeftTables).Except(OutputColumnsFrom(context, target, join.RightTables)).ToList();
            var rightColumns = OutputColumnsFrom(context, target, join.RightTables).Except(leftColumns).ToList();
            if (leftColumns.Count == 0)
            {
                continue;
            }

            var group = string.Join(", ", leftColumns.Select(SqlText.Identifier));
            var several = rightColumns.Count == 0 ? "count(*) > 1" : $"count(DISTINCT ({string.Join(", ", rightColumns.Select(SqlText.Identifier))})) > 1";
            var query = await context.QueryAsync(
                $"SELECT count(*) AS driving_rows, count(*) FILTER (WHERE several) AS repeated_with_other_values FROM (SELECT {group}, {several} AS several FROM {SqlText.Table(target)} GROUP BY {group})", cancellationToken);
            if (query is null)
            {
                continue;
            }

            var repeated = query.Long("repeated_with_other_values");
            var fanOut = repeated > 0;
            return new ProbeResult(
                [
                    Reading("a", $"a row of {string.Join(", ", join.LeftTables)} matching several rows of {string.Join(", ", join.RightTables)} appears once per match (as written)", fanOut, fanOut,
                        Invariant($"{repeated} driving rows appear several times with different joined values"), query),
                    Reading("b", "each driving row appears once", !fanOut, !fanOut, fanOut ? "repeated driving rows exist in the output" : "no driving row repeats in the output", query),
                ],
                Settled,
                fanOut ? "the legacy output shows the fan-out: rows repeat once per matching lookup row" : "no row repeats in the legacy output: the lookup is unique on this data",
                fanOut ? null : $"Each row of {string.Join(", ", join.LeftTables)} appears once in {target} (no lookup key repeats in this data).")
            {
                Evidence = [Output(context, target, Invariant($"{repeated} of {query.Long("driving_rows")} driving rows repeat with different joined values"), query)],
            };
        }

        return null;
    }
}
