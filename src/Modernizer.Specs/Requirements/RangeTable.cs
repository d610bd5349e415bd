using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements;

/// <summary>One row of a range table: a label for <c>low &lt;= measure &lt; high</c>.</summary>
public sealed record BandRow(string Label, double Low, double High, bool LowInclusive, bool HighInclusive)
{
    public bool Overlaps(BandRow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var low = Math.Max(Low, other.Low);
        var high = Math.Min(High, other.High);
        return low < high;
    }
}

/// <summary>A literal table the job joins on a range (<c>crossJoin(bands).filter(x &gt;= lo &amp; x &lt; hi)</c>):
/// its rows are business rules, and two rows whose ranges overlap with different labels contradict each
/// other — a value in the overlap gets both labels (and the row is written twice).</summary>
public sealed record RangeTable(LiteralTable Table, FilterSite Filter, Expr Measure, string LabelColumn, ImmutableArray<BandRow> Rows, ImmutableArray<string> Conjuncts)
{
    public static ImmutableArray<RangeTable> Find(JobInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var result = ImmutableArray.CreateBuilder<RangeTable>();
        var filters = inputs.Sites.OfType<FilterSite>().ToList();
        foreach (var table in inputs.LiteralTables)
        {
            foreach (var group in filters.GroupBy(f => f.Span))
            {
                var lower = group.Select(f => Bound(f, table, lower: true)).FirstOrDefault(b => b is not null);
                var upper = group.Select(f => Bound(f, table, lower: false)).FirstOrDefault(b => b is not null);
                if (lower is null || upper is null || !lower.Value.Measure.Equals(upper.Value.Measure))
                {
                    continue;
                }

                var lowIndex = table.Columns.IndexOf(lower.Value.Column);
                var highIndex = table.Columns.IndexOf(upper.Value.Column);
                var labelIndex = Enumerable.Range(0, table.Columns.Length).FirstOrDefault(i => i != lowIndex && i != highIndex && table.Rows.All(r => r[i] is string), -1);
                if (labelIndex < 0 || !table.Rows.All(r => Number(r[lowIndex]) is not null && Number(r[highIndex]) is not null))
                {
                    continue;
                }

                var rows = table.Rows.Select(r => new BandRow((string)r[labelIndex]!, Number(r[lowIndex])!.Value, Number(r[highIndex])!.Value, lower.Value.Inclusive, upper.Value.Inclusive)).ToImmutableArray();
                result.Add(new RangeTable(table, group.First(), lower.Value.Measure, table.Columns[labelIndex], rows, [.. group.Select(f => f.Text)]));
            }
        }

        return result.ToImmutable();
    }

    private static (Expr Measure, string Column, bool Inclusive)? Bound(FilterSite filter, LiteralTable table, bool lower)
    {
        if (filter.Predicate is not Binary binary)
        {
            return null;
        }

        // measure OP column, or column OP measure (flipped).
        var (measure, column, op) = binary.Right is ColumnRef right && table.Columns.Contains(right.Name, StringComparer.OrdinalIgnoreCase)
            ? (binary.Left, right.Name, binary.Op)
            : binary.Left is ColumnRef left && table.Columns.Contains(left.Name, StringComparer.OrdinalIgnoreCase)
                ? (binary.Right, left.Name, Flip(binary.Op))
                : (null!, null!, BinaryOp.Or);
        if (column is null)
        {
            return null;
        }

        return (lower, op) switch
        {
            (true, BinaryOp.GtEq) => (measure, column, true),
            (true, BinaryOp.Gt) => (measure, column, false),
            (false, BinaryOp.Lt) => (measure, column, false),
            (false, BinaryOp.LtEq) => (measure, column, true),
            _ => null,
        };
    }

    private static BinaryOp Flip(BinaryOp op) => op switch
    {
        BinaryOp.Lt => BinaryOp.Gt,
        BinaryOp.LtEq => BinaryOp.GtEq,
        BinaryOp.Gt => BinaryOp.Lt,
        BinaryOp.GtEq => BinaryOp.LtEq,
        _ => op,
    };

    private static double? Number(object? value) => value switch
    {
        long l => l,
        double d => d,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
