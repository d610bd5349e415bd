using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;
using static Modernizer.Specs.Requirements.Interpretations.ProbeHelpers;

namespace Modernizer.Specs.Requirements.Interpretations;

/// <summary>float_equality: a double compared with <c>!= 0.0</c> keeps differences of rounding noise (the code)
/// or uses a tolerance? Output rows whose compared value is tiny but not zero decide it.</summary>
internal sealed class FloatEqualityProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) =>
        DefectOf(context, requirement)?.Kind == "float_equality" && SiteOf<FilterSite>(context, requirement)?.Atom is { } atom && !atom.Column.IsInput;

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var filter = SiteOf<FilterSite>(context, requirement)!;
        var column = filter.Atom!.Column.Column;
        foreach (var target in filter.Targets.Where(t => context.HasTable(t) && context.HasColumn(t, column)))
        {
            var c = SqlText.Identifier(column);
            var query = await context.QueryAsync($"SELECT count(*) AS rows, count(*) FILTER (WHERE abs({c}) > 0 AND abs({c}) < 1e-6) AS tiny_nonzero FROM {SqlText.Table(target)}", cancellationToken);
            if (query is null)
            {
                continue;
            }

            var tiny = query.Long("tiny_nonzero");
            return new ProbeResult(
                [
                    Reading("a", $"{column} is compared exactly, so differences of floating-point noise count (as written)", tiny > 0, true, Invariant($"{tiny} output rows have 0 < |{column}| < 1e-6"), query),
                    Reading("b", $"{column} is compared with a tolerance", tiny > 0 ? false : null, false, tiny > 0 ? "such rows would be absent with a tolerance" : "no tiny difference in the data, so it cannot tell", query),
                ],
                tiny > 0 ? Settled : requirement.Confidence,
                tiny > 0 ? "the legacy output keeps rows whose difference is floating-point noise" : "no row of the output is near zero: the data cannot tell")
            {
                Evidence = [Output(context, target, Invariant($"{tiny} of {query.Long("rows")} rows have a non-zero {column} below 1e-6"), query)],
            };
        }

        return null;
    }
}

/// <summary>overwrite_without_partition_filter / off_by_one_date_range: which days does the output hold?
/// A date column carried from the filtered source column (or counted by it) answers.</summary>
internal sealed partial class DateWindowProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) =>
        DefectOf(context, requirement)?.Kind is "overwrite_without_partition_filter" or "off_by_one_date_range" && DateFilter(context, requirement) is not null;

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var defect = DefectOf(context, requirement)!;
        var filter = DateFilter(context, requirement)!;
        var column = filter.Atom!.Column;
        foreach (var target in filter.Targets.Where(context.HasTable))
        {
            string? sql = null;
            if (context.IdentityOutput(column.Qualified) is { } identity && identity.Table == target)
            {
                sql = $"SELECT count(DISTINCT {SqlText.Identifier(identity.Column)}) AS days, min({SqlText.Identifier(identity.Column)}) AS first_day, max({SqlText.Identifier(identity.Column)}) AS last_day FROM {SqlText.Table(target)}";
            }
            else if (CountedBy(context, target, column.Column) is { } counted)
            {
                sql = $"SELECT max({SqlText.Identifier(counted)}) AS days, min({SqlText.Identifier(counted)}) AS fewest_days FROM {SqlText.Table(target)}";
            }

            if (sql is null || await context.QueryAsync(sql, cancellationToken) is not { } query)
            {
                continue;
            }

            var days = query.Long("days");
            var window = WindowDays(filter);
            var readings = defect.Kind == "off_by_one_date_range"
                ? new[]
                {
                    Reading("a", Invariant($"the range includes both ends ({(window is { } w ? w : "N + 1")} days), as written"), window is null ? null : days == window, window is null || days == window, Invariant($"the output covers {days} distinct days"), query),
                    Reading("b", "the range covers one day less, as the comment or name says", window is null ? null : days == window - 1, window is not null && days == window - 1, Invariant($"the output covers {days} distinct days"), query),
                }
                : new[]
                {
                    Reading("a", "each run replaces the whole table with the recomputed window (as written)", window is null ? null : days <= window, window is null || days <= window, Invariant($"the output holds {days} distinct days"), query),
                    Reading("b", "each run replaces only the recomputed days and keeps older ones", window is null ? null : days > window, window is not null && days > window, Invariant($"the output holds {days} distinct days"), query),
                };
            var settled = readings.Count(r => r.Supported == true) == 1 && readings[0].Supported == true;
            return new ProbeResult([.. readings], settled ? Settled : requirement.Confidence,
                settled ? Invariant($"the legacy output holds {days} days, as the code's reading predicts") : "the output does not settle the readings")
            {
                Evidence = [Output(context, target, Invariant($"{target}: {query.Summary()}"), query, settled)],
            };
        }

        return null;
    }

    /// <summary>The date filter the defect points at: a solvable range atom on a date column.</summary>
    private static FilterSite? DateFilter(InferenceContext context, Requirement requirement)
    {
        var defect = DefectOf(context, requirement);
        if (defect is null)
        {
            return null;
        }

        return context.Inputs.Sites.OfType<FilterSite>()
            .Where(f => f.Atom is { } a && a.Column.IsInput && string.Equals(a.Column.Type, "DATE", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f.Span.File == defect.File ? Math.Abs(f.Span.Line - defect.Line) : int.MaxValue)
            .FirstOrDefault(f => f.Span.File == defect.File && Math.Abs(f.Span.Line - defect.Line) <= 12 || defect.Kind == "overwrite_without_partition_filter");
    }

    /// <summary>Days of the window: <c>BETWEEN d - n AND d</c> covers n + 1 days, <c>&gt;= d - n</c> up to d covers n + 1.</summary>
    private static long? WindowDays(FilterSite filter)
    {
        var text = filter.Text;
        var sub = DateSub().Match(text);
        return sub.Success ? long.Parse(sub.Groups[1].Value, CultureInfo.InvariantCulture) + 1 : null;
    }

    /// <summary>An output column computed as count(DISTINCT column) for the filtered column.</summary>
    private static string? CountedBy(InferenceContext context, string target, string column) =>
        context.Inputs.Sites.OfType<AggregateSite>()
            .Where(a => a.Targets.Contains(target, StringComparer.OrdinalIgnoreCase))
            .SelectMany(a => a.Aggregates)
            .FirstOrDefault(a => a.Sql.Contains("count(DISTINCT", StringComparison.OrdinalIgnoreCase) && a.Inputs.Any(i => string.Equals(i.Column, column, StringComparison.OrdinalIgnoreCase)) && context.HasColumn(target, a.Name))?.Name;

    [GeneratedRegex(@"date_sub\([^,]+,\s*(\d+)\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DateSub();
}

/// <summary>integer_division: floor division yields whole numbers; an output column of an integral type
/// (or with only whole values) holds them.</summary>
internal sealed partial class IntegerDivisionProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) => DefectOf(context, requirement)?.Kind == "integer_division";

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var defect = DefectOf(context, requirement)!;
        var words = Enumerable.Range(defect.Line - 3, 8).Select(l => context.Inputs.Line(new SpanRef(defect.File, l)))
            .SelectMany(l => Identifier().Matches(l).Select(m => m.Value)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var target in context.Inputs.Targets.Where(context.HasTable))
        {
            foreach (var (name, type) in context.ColumnsOf(target).Where(c => words.Contains(c.Name)))
            {
                var c = SqlText.Identifier(name);
                var query = await context.QueryAsync($"SELECT count(*) AS rows, count(*) FILTER (WHERE {c} <> floor({c})) AS fractional, count(*) FILTER (WHERE {c} = 0) AS zero FROM {SqlText.Table(target)}", cancellationToken);
                if (query is null)
                {
                    continue;
                }

                var whole = query.Long("fractional") == 0;
                return new ProbeResult(
                    [
                        Reading("a", $"{name} is a floor division (whole numbers, rounded down), as written", whole, whole, Invariant($"{query.Long("fractional")} fractional values, {query.Long("zero")} zeros in {target}.{name} ({type})"), query),
                        Reading("b", $"{name} is a true division (fractions kept)", !whole, !whole, whole ? "no fractional value in the output" : "fractional values exist", query),
                    ],
                    whole ? Settled : requirement.Confidence,
                    whole ? $"{target}.{name} holds only whole numbers, as floor division gives" : $"{target}.{name} holds fractions")
                {
                    Evidence = [Output(context, target, Invariant($"{target}.{name}: {query.Summary()}"), query, whole)],
                };
            }
        }

        return null;
    }

    [GeneratedRegex(@"[A-Za-z_]\w*", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
