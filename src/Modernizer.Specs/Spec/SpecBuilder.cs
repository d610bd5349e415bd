using System.Collections.Immutable;
using Modernizer.Code.Analysis;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Specs.Spec;

/// <summary>The Spec Writer's engine (R2.3): the functional specification from the inferred requirements, the
/// code analysis's findings, and the designed tests (the traceability matrix names them).</summary>
public static class SpecBuilder
{
    private static readonly string[] IterativeFamilies = ["ITR", "UDF", "DRV", "RDD", "ACT", "WIN"];

    public static SpecDocument Build(RequirementSet requirements, JobAnalysis analysis, TestInventory inventory, string? purpose = null)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(inventory);
        var defects = analysis.SuspectedDefects.Select(d =>
        {
            var requirement = requirements.Requirements.FirstOrDefault(r => r.Origin.Defect == d.Id);
            var tests = inventory.Cases.Where(c => c.Tags.Contains($"defect:{d.Id}", StringComparer.Ordinal)).Select(c => c.Id).ToImmutableArray();
            return new SpecDefect(d.Id, d.Kind, d.File, d.Line, d.Description, d.Reasoning, d.Confidence, requirement?.Id, tests);
        }).ToImmutableArray();
        var improvements = analysis.AntiPatterns
            .Select(a => new SpecImprovement(a.RuleId, a.File, a.Line, a.EndLine, a.Message, a.Replacement, IterativeFamilies.Any(f => a.RuleId.StartsWith(f, StringComparison.Ordinal))))
            .ToImmutableArray();
        var traceability = requirements.Requirements.Select(r => new TraceLink(
            r.Id,
            System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Kind.ToString()),
            [.. r.Evidence.Select(e => $"{System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Kind.ToString())}:{e.Reference}")],
            inventory.TestsOf(r.Id))).ToImmutableArray();
        return new SpecDocument(requirements.JobId, purpose ?? requirements.Purpose, requirements.Regulation, requirements.Requirements, defects, improvements, traceability, requirements.Contradictions, requirements.Consultations)
        {
            Sites = requirements.Sites,
        };
    }
}
