using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements;

/// <summary>Requirements from the Code Reviewer's findings: every suspected defect is a requirement to
/// reproduce the actual behaviour (P1), and every assumption is a requirement with its alternatives.
/// Both start at the reviewer's confidence; below the consultation floor they are resolved against data.</summary>
internal static class AnalysisRequirements
{
    public static void Add(InferenceContext context)
    {
        foreach (var defect in context.Inputs.Analysis.SuspectedDefects)
        {
            var span = $"{defect.File}:{defect.Line.ToString(CultureInfo.InvariantCulture)}";
            var near = SitesNear(context, defect.File, defect.Line);
            context.Add(RequirementKind.BusinessRule, "suspected_defect",
                $"Reproduced as the legacy job behaves (suspected defect {defect.Kind}, {defect.Id}): {defect.Description}. {defect.Reasoning}",
                defect.Confidence,
                [RequirementEvidence.Code(span, context.Inputs.Line(new SpanRef(defect.File, defect.Line)).Trim())],
                r => r with
                {
                    Columns = [.. near.SelectMany(ContractRequirements.SiteColumns).Select(c => c.Qualified).Distinct(StringComparer.Ordinal)],
                    Origin = new RequirementOrigin(near.FirstOrDefault()?.Id, defect.Id, null, null),
                });
        }

        foreach (var assumption in context.Inputs.Analysis.Assumptions)
        {
            var span = $"{assumption.File}:{assumption.Line.ToString(CultureInfo.InvariantCulture)}";
            var near = SitesNear(context, assumption.File, assumption.Line);
            context.Add(RequirementKind.BusinessRule, "assumption",
                $"Assumed ({assumption.Id}): {assumption.Statement}; {assumption.Rationale}.",
                assumption.Confidence,
                [RequirementEvidence.Code(span, assumption.Line > 0 ? context.Inputs.Line(new SpanRef(assumption.File, assumption.Line)).Trim() : assumption.Statement)],
                r => r with
                {
                    Columns = [.. near.SelectMany(ContractRequirements.SiteColumns).Select(c => c.Qualified).Distinct(StringComparer.Ordinal)],
                    Origin = new RequirementOrigin(near.FirstOrDefault()?.Id, null, assumption.Id, null),
                });
        }
    }

    /// <summary>Plan sites written on the line (or, for a multi-line construct, just above it).</summary>
    public static ImmutableArray<PlanSite> SitesNear(InferenceContext context, string file, int line) =>
        [.. context.Inputs.Sites
            .Where(s => s.Span.File == file && s.Span.Line > 0 && line - s.Span.Line is >= 0 and <= 3 && s is not WriteSite)
            .OrderBy(s => line - s.Span.Line)];
}
