using Modernizer.Domain.Policy;

namespace Modernizer.Specs.Requirements;

/// <summary>Which requirements are regulatory logic (R2.3): in a job tagged with a compliance regime, a
/// requirement about a column that regime governs — financial columns for SOX and PCI, personal and
/// regulatory columns for GDPR and HIPAA (patterns from <c>tags:</c> in modernize.yaml).</summary>
internal static class RegulationClassifier
{
    public static void Apply(InferenceContext context)
    {
        var regulation = context.Inputs.Regulation;
        if (regulation is null)
        {
            return;
        }

        var tags = context.Inputs.Settings.Tags;
        var governed = regulation is "SOX" or "PCI"
            ? new ColumnPatterns(tags.FinancialColumns)
            : new ColumnPatterns([.. tags.PiiColumns, .. tags.RegulatoryColumns]);
        foreach (var requirement in context.Requirements.ToList())
        {
            if (requirement.Kind is not (RequirementKind.BusinessRule or RequirementKind.EdgeCase))
            {
                continue;
            }

            if (requirement.Columns.Any(c => governed.Matches(c[(c.LastIndexOf('.') + 1)..])))
            {
                context.Replace(requirement with { Regulation = regulation });
            }
        }
    }
}
