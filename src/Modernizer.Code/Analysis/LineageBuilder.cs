using System.Collections.Immutable;
using Modernizer.Code.Frontend;

namespace Modernizer.Code.Analysis;

/// <summary>Table and column lineage from the frontend's facts. A table is a source when the job
/// reads it before (or without) writing it; temp views and CTEs never appear (they resolve to
/// their own sources); a table read back after the job wrote it is the job's output, not a source.</summary>
internal static class LineageBuilder
{
    public static (ImmutableArray<string> Sources, ImmutableArray<string> Targets, ImmutableArray<TableAccess> Reads, ImmutableArray<TableAccess> Writes) Tables(IReadOnlyList<Fact> facts)
    {
        var firstRead = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var firstWrite = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var views = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var pipeline = facts.OfType<WriteFact>().Where(w => w.Method.StartsWith("dlt.", StringComparison.Ordinal)).Select(w => w.Table).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var reads = ImmutableArray.CreateBuilder<TableAccess>();
        var writes = ImmutableArray.CreateBuilder<TableAccess>();
        for (var i = 0; i < facts.Count; i++)
        {
            switch (facts[i])
            {
                case ReadFact read:
                    firstRead.TryAdd(read.Table, i);
                    reads.Add(Access(read.Table, read.File, read.Line, read.Via, null, read.Confidence) with { Version = read.Version });
                    break;
                case WriteFact write when write.Method is "sql_view":
                    views.TryAdd(write.Table, i);
                    break;
                case WriteFact write:
                    firstWrite.TryAdd(write.Table, i);
                    writes.Add(Access(write.Table, write.File, write.Line, write.Method, write.Mode, write.Confidence));
                    break;
            }
        }

        // A view the job made earlier is never a source (it resolves to its own sources); nor
        // is a DLT dataset of the same pipeline; nor a table read back after the job wrote it.
        var sources = firstRead
            .Where(r => !firstWrite.TryGetValue(r.Key, out var written) || r.Value < written)
            .Where(r => !views.TryGetValue(r.Key, out var made) || r.Value < made)
            .Where(r => !pipeline.Contains(r.Key))
            .OrderBy(r => r.Value)
            .Select(r => r.Key)
            .ToImmutableArray();
        var targets = firstWrite.OrderBy(w => w.Value).Select(w => w.Key).ToImmutableArray();
        return (sources, targets, reads.ToImmutable(), writes.ToImmutable());
    }

    /// <summary>A table access with its name in parts: each part known, or a placeholder for an
    /// expression known only at run time (kept as written), so one table keeps one name.</summary>
    private static TableAccess Access(string table, string file, int line, string via, string? mode, double confidence)
    {
        var parts = table.StartsWith("path:", StringComparison.Ordinal) || table.StartsWith("jdbc:", StringComparison.Ordinal)
            ? [table]
            : JobContext.SplitName(table);
        var structured = parts.Select(p => p.StartsWith('{') && p.EndsWith('}')
                ? new TableNamePart(p, false, p[1..^1])
                : p.Contains('{', StringComparison.Ordinal) ? new TableNamePart(p, false, p) : new TableNamePart(p, true, null))
            .ToImmutableArray();
        return new TableAccess(table, file, line, via, mode, confidence)
        {
            Parts = structured,
            Resolved = structured.All(p => p.Resolved),
        };
    }

    public static ImmutableArray<ColumnLineageEntry> Columns(IReadOnlyList<Fact> facts)
    {
        var entries = new Dictionary<(string, string), Dictionary<(string, string, string, string), LineageInput>>();
        foreach (var write in facts.OfType<WriteFact>().Where(w => w.Frame is not null))
        {
            var frame = write.Frame!;
            var indirect = frame.Indirect.Select(s => Input(s, "INDIRECT")).ToArray();
            foreach (var (column, sources) in frame.Columns)
            {
                var inputs = Get(entries, write.Table, column);
                foreach (var source in sources)
                {
                    var input = Input(source, source.IsDirect ? "DIRECT" : "INDIRECT");
                    inputs[(input.Table, input.Column, input.Type, input.Subtype)] = input;
                }

                foreach (var input in indirect)
                {
                    inputs[(input.Table, input.Column, input.Type, input.Subtype)] = input;
                }
            }

            foreach (var open in frame.OpenTables)
            {
                var inputs = Get(entries, write.Table, "*");
                var input = new LineageInput(open, "*", "DIRECT", "IDENTITY");
                inputs[(input.Table, input.Column, input.Type, input.Subtype)] = input;
            }
        }

        return [.. entries
            .OrderBy(e => e.Key.Item1, StringComparer.Ordinal).ThenBy(e => e.Key.Item2, StringComparer.Ordinal)
            .Select(e => new ColumnLineageEntry(e.Key.Item1, e.Key.Item2, [.. e.Value.Values
                .Where(i => !i.Table.StartsWith('{'))
                .OrderBy(i => i.Type, StringComparer.Ordinal).ThenBy(i => i.Table, StringComparer.Ordinal).ThenBy(i => i.Column, StringComparer.Ordinal)]))];
    }

    private static Dictionary<(string, string, string, string), LineageInput> Get(Dictionary<(string, string), Dictionary<(string, string, string, string), LineageInput>> entries, string table, string column)
    {
        if (!entries.TryGetValue((table, column), out var inputs))
        {
            inputs = [];
            entries[(table, column)] = inputs;
        }

        return inputs;
    }

    private static LineageInput Input(ColumnSource source, string type) =>
        new(source.Column.Table, source.Column.Column, type, source.Subtype switch
        {
            LineageSubtype.Identity => "IDENTITY",
            LineageSubtype.Transformation => "TRANSFORMATION",
            LineageSubtype.Aggregation => "AGGREGATION",
            LineageSubtype.Join => "JOIN",
            LineageSubtype.GroupBy => "GROUP_BY",
            LineageSubtype.Filter => "FILTER",
            LineageSubtype.Sort => "SORT",
            LineageSubtype.Window => "WINDOW",
            LineageSubtype.Conditional => "CONDITIONAL",
            _ => throw new ArgumentOutOfRangeException(nameof(source), source.Subtype, "Unknown lineage subtype."),
        });
}
