using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

/// <summary>State shared by every file of one job: facts, temp views, frame ids.</summary>
internal sealed class JobContext
{
    private int _nextFrame;

    public JobContext(FrontendOptions options) => Options = options;

    public FrontendOptions Options { get; }

    public List<Fact> Facts { get; } = [];

    public Dictionary<string, DataFrameValue> TempViews { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Widget defaults declared in the code (dbutils.widgets.text), used when job.yaml has none.</summary>
    public Dictionary<string, string> WidgetDefaults { get; } = new(StringComparer.Ordinal);

    public int NextFrameId() => ++_nextFrame;

    /// <summary>Reads of a table: a temp view resolves to the view's own frame, never to a source.</summary>
    public DataFrameValue ReadTable(string table, int line, string file, string via, double confidence, string? path, Func<Fact, Fact> stamp)
    {
        if (TempViews.TryGetValue(table, out var view))
        {
            return view;
        }

        var name = table.ToLowerInvariant();
        Facts.Add(stamp(new ReadFact(name, via, confidence, path) { File = file, Line = line }));
        var columns = Options.ColumnsOf(name);
        var known = columns is null
            ? ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty
            : columns.ToImmutableDictionary(
                c => c.ToLowerInvariant(),
                c => ImmutableHashSet.Create(new ColumnSource(new ColumnRef(name, c.ToLowerInvariant()), LineageSubtype.Identity)));
        return new DataFrameValue(NextFrameId(), "Read " + name, [], [name], known, columns is null ? [name] : [], [], FrameTraits.None, line)
        {
            Step = new FrameStep("scan", [], [], Table: name),
        };
    }
}
