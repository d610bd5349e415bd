using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Analysis;
using Modernizer.Code.Frontend;
using Modernizer.Code.Rules;

namespace Modernizer.Code.Defects;

/// <summary>A suspected-defect detector (P1): it records what looks wrong and why; the rewrite
/// still reproduces the behaviour.</summary>
internal interface IDefectDetector
{
    string Kind { get; }

    IEnumerable<DefectHit> Detect(DefectContext context);
}

internal sealed record DefectHit(string File, int Line, string Description, string Reasoning, double Confidence);

internal sealed class DefectContext
{
    public DefectContext(RuleContext rules, AnalyzerOptions options)
    {
        Rules = rules;
        Options = options;
    }

    public RuleContext Rules { get; }

    public AnalyzerOptions Options { get; }

    public IEnumerable<T> Of<T>() where T : Fact => Rules.Of<T>();
}

/// <summary>The detectors in the order they run (one file per kind).</summary>
internal static class DefectCatalog
{
    public static ImmutableArray<IDefectDetector> All { get; } =
    [
        new InnerJoinDropsRows(),
        new IntegerDivision(),
        new RoundHalfEven(),
        new Truthiness(),
        new DriverLocalTimezone(),
        new OffByOneDateRange(),
        new FanOutNonUniqueLookup(),
        new OverwriteWithoutPartitionFilter(),
        new FloatEquality(),
        new SwallowedException(),
    ];

    public static ImmutableArray<SuspectedDefect> Run(DefectContext context)
    {
        var defects = new List<(IDefectDetector Detector, DefectHit Hit)>();
        var seen = new HashSet<(string, string, int)>();
        foreach (var detector in All)
        {
            foreach (var hit in detector.Detect(context))
            {
                if (seen.Add((detector.Kind, hit.File, hit.Line)))
                {
                    defects.Add((detector, hit));
                }
            }
        }

        return [.. defects
            .OrderBy(d => d.Hit.File, StringComparer.Ordinal).ThenBy(d => d.Hit.Line)
            .Select((d, i) => new SuspectedDefect(
                "D" + (i + 1).ToString("00", CultureInfo.InvariantCulture),
                d.Detector.Kind,
                d.Hit.File,
                d.Hit.Line,
                d.Hit.Description,
                d.Hit.Reasoning,
                d.Hit.Confidence))];
    }
}

/// <summary>Naming conventions for table keys (a lookup by its own id is unique).</summary>
internal static class TableKeys
{
    private static readonly string[] VersionMarkers = ["updated_at", "valid_from", "effective_from", "effective_date", "version", "ingested_at", "loaded_at", "source", "snapshot_date", "load_ts"];

    public static string Singular(string table)
    {
        var name = table[(table.LastIndexOf('.') + 1)..].ToLowerInvariant();
        if (name.EndsWith("ies", StringComparison.Ordinal))
        {
            return name[..^3] + "y";
        }

        if (name.EndsWith("sses", StringComparison.Ordinal) || name.EndsWith("xes", StringComparison.Ordinal))
        {
            return name[..^2];
        }

        return name.EndsWith('s') ? name[..^1] : name;
    }

    public static ImmutableHashSet<string> IdColumns(string table)
    {
        var name = table[(table.LastIndexOf('.') + 1)..].ToLowerInvariant();
        var singular = Singular(table);
        return [singular + "_id", name + "_id", singular + "_key", singular + "_code", "id"];
    }

    /// <summary>Columns that show a table keeps several rows per business key.</summary>
    public static ImmutableArray<string> VersionColumns(IReadOnlyList<string>? columns) =>
        columns is null ? [] : [.. columns.Where(c => VersionMarkers.Contains(c.ToLowerInvariant()))];

    /// <summary>A frame that is a table read (plus projections), with nothing that makes keys unique.</summary>
    public static string? DirectTable(DataFrameValue frame)
    {
        if (frame.Sources.Count != 1 || frame.Has(FrameTraits.Aggregated) || frame.Has(FrameTraits.Deduplicated) || frame.Has(FrameTraits.FromDriverData))
        {
            return null;
        }

        var current = frame;
        while (!current.Inputs.IsEmpty)
        {
            if (current.Inputs.Length > 1 || current.Operator.StartsWith("Join", StringComparison.Ordinal) || current.Operator.StartsWith("Aggregate", StringComparison.Ordinal))
            {
                return null;
            }

            current = current.Inputs[0];
        }

        return current.Operator.StartsWith("Read ", StringComparison.Ordinal) ? frame.Sources.First() : null;
    }
}
