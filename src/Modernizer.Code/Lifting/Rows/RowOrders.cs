using System.Collections.Immutable;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>The order a loop visits collected rows in, as sort keys (SEMANTICS: collect() order is
/// whatever Spark produced). A sort gives its keys; ties and unsorted results need a choice, which is
/// recorded as an assumption: the scan order of a table read without a shuffle (what Spark returns
/// for one file), else ascending by every column.</summary>
internal static class RowOrders
{
    /// <summary>The name of the column a lifted loop numbers its rows with.</summary>
    public const string Position = "__mz_pos";

    public static ImmutableArray<SortItem> SortItems(DriverInterpreter interpreter, Frame frame, PyNode site)
    {
        var items = ImmutableArray.CreateBuilder<SortItem>();
        Add(interpreter, frame, frame.Order, items, site);
        return items.ToImmutable();
    }

    private static void Add(DriverInterpreter interpreter, Frame frame, RowOrder order, ImmutableArray<SortItem>.Builder items, PyNode site)
    {
        switch (order)
        {
            case RowOrder.Sorted sorted:
                foreach (var (origin, direction, nulls) in sorted.Keys)
                {
                    var column = frame.FindOrigin(origin) ?? throw interpreter.Refuse("a sort key that is no longer a column", site);
                    items.Add(new SortItem(column.Reference, direction, nulls));
                }

                Add(interpreter, frame, sorted.Ties, items, site);
                return;
            case RowOrder.Physical physical:
                interpreter.Translation.Assume(new RewriteAssumption(
                    "scan-order-" + physical.Table.Replace(' ', '_'),
                    $"Rows of {physical.Table} are visited in the order Spark reads them: the table's files in log order, rows in file order (Spark defines no order; for a single file this is what it returns).",
                    0.7, "ascending by every column", "rewrite.choices", interpreter.File, interpreter.LineOf(site)));
                if (interpreter.Settings.Chose("scan-order-" + physical.Table.Replace(' ', '_'), "ascending by every column"))
                {
                    AllColumns(frame, items);
                    return;
                }

                items.Add(new SortItem(new FunctionCall("mz_scan_position", []), SortDirection.Ascending, NullOrdering.First));
                return;
            case RowOrder.Undefined undefined:
                interpreter.Translation.Assume(new RewriteAssumption(
                    "collect-order-" + site.Line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"The rows of {undefined.Why} come back from collect() in no defined order; the rewrite visits them ascending by every column, nulls first.",
                    0.6, "descending by every column", "rewrite.choices", interpreter.File, interpreter.LineOf(site)));
                AllColumns(frame, items);
                return;
        }
    }

    private static void AllColumns(Frame frame, ImmutableArray<SortItem>.Builder items)
    {
        foreach (var column in frame.Columns)
        {
            items.Add(new SortItem(column.Reference, SortDirection.Ascending, NullOrdering.First));
        }
    }
}
