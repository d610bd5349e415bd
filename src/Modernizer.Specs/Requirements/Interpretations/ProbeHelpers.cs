using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements.Interpretations;

internal static class ProbeHelpers
{
    /// <summary>The confidence a reading gets when the legacy output supports it and contradicts the others.</summary>
    public const double Settled = 0.92;

    public static T? SiteOf<T>(InferenceContext context, Requirement requirement)
        where T : PlanSite =>
        requirement.Origin.Site is { } id ? context.Inputs.Sites.OfType<T>().FirstOrDefault(s => s.Id == id) : null;

    public static Code.Analysis.SuspectedDefect? DefectOf(InferenceContext context, Requirement requirement) =>
        requirement.Origin.Defect is { } id ? context.Inputs.Analysis.SuspectedDefects.FirstOrDefault(d => d.Id == id) : null;

    public static Interpretation Reading(string id, string statement, bool? supported, bool chosen, string reading, QueryRecord? query) =>
        new(id, statement, supported, chosen, reading) { Query = query };

    public static RequirementEvidence Output(InferenceContext context, string table, string detail, QueryRecord query, bool supports = true) =>
        new(EvidenceSource.OutputData, context.SourceEvidenceReference(table), detail) { Query = query, Supports = supports };

    public static RequirementEvidence Source(InferenceContext context, string table, string detail, QueryRecord query) =>
        new(EvidenceSource.SourceData, context.SourceEvidenceReference(table), detail) { Query = query };

    /// <summary>Output columns of <paramref name="target"/> whose lineage reads one of <paramref name="tables"/>.</summary>
    public static ImmutableArray<string> OutputColumnsFrom(InferenceContext context, string target, IEnumerable<string> tables)
    {
        var set = tables.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. context.Inputs.Analysis.ColumnLineageMap
            .Where(e => e.Key.StartsWith(target + ".", StringComparison.OrdinalIgnoreCase) && e.Value.Any(s => set.Contains(s[..s.LastIndexOf('.')])))
            .Select(e => e.Key[(target.Length + 1)..])
            .Where(c => context.HasColumn(target, c))];
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
