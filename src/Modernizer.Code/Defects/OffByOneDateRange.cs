using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>Date windows one day too wide or too narrow: BETWEEN start AND end with start = end - n
/// (n + 1 days), or a strict &gt; against a watermark date.</summary>
internal sealed class OffByOneDateRange : IDefectDetector
{
    public string Kind => "off_by_one_date_range";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        var inclusiveRanges = context.Of<ExpressionFact>().Where(f => f.Operation == "range_between").ToArray();
        foreach (var start in context.Of<DriverOpFact>().Where(f => f.Operation == "date_window_start"))
        {
            if (inclusiveRanges.Any(r => r.File == start.File))
            {
                yield return new DefectHit(start.File, start.Line,
                    "window start computed as end - n days and used in an inclusive BETWEEN",
                    "BETWEEN is inclusive at both ends, so end - n .. end covers n + 1 dates, not n.", 0.6);
            }
        }

        foreach (var comparison in context.Of<ExpressionFact>().Where(f => f.Operation == "range_gt"))
        {
            var column = comparison.Sql.TrimStart('(').Split(' ')[0];
            var bound = comparison.Detail;
            var dateColumn = column.Contains("date", StringComparison.OrdinalIgnoreCase) || column.EndsWith("_day", StringComparison.OrdinalIgnoreCase);
            var plainBound = bound is ":param" || (!bound.Contains('(', StringComparison.Ordinal) && !bound.StartsWith('\'') && !char.IsDigit(bound.FirstOrDefault()));
            if (dateColumn && plainBound)
            {
                yield return new DefectHit(comparison.File, comparison.Line,
                    $"strict > on {column} against a watermark",
                    "A strict > skips rows on the watermark date itself; rows of that day that arrive after the previous run are never loaded.", 0.55);
            }
        }

        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "between_inclusive_window"))
            {
                yield return new DefectHit(sql.File, sql.FileLine(finding.RelativeLine), finding.Detail,
                    "BETWEEN date_sub(d, n) AND d is inclusive at both ends: n + 1 days, not n.", 0.6);
            }
        }
    }
}
