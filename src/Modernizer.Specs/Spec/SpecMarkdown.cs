using System.Globalization;
using System.Text;
using Modernizer.Specs.Requirements;

namespace Modernizer.Specs.Spec;

/// <summary>spec.md: the specification for the engineers who rewrite the job and the people who review it.</summary>
public static class SpecMarkdown
{
    private static readonly (RequirementKind Kind, string Title)[] Sections =
    [
        (RequirementKind.BusinessRule, "Business rules"),
        (RequirementKind.InputContract, "Input contracts"),
        (RequirementKind.OutputContract, "Output contract"),
        (RequirementKind.ErrorHandling, "Error handling"),
        (RequirementKind.Sla, "Service level"),
        (RequirementKind.EdgeCase, "Edge cases"),
    ];

    public static string Render(SpecDocument spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        text.Append("# Functional specification: ").Append(spec.JobId).Append("\n\n");
        text.Append("## Purpose\n\n").Append(spec.Purpose).Append("\n\n");
        if (spec.Regulation is not null)
        {
            text.Append("Compliance regime: **").Append(spec.Regulation).Append("**. Requirements marked ").Append(spec.Regulation).Append(" are regulatory logic.\n\n");
        }

        text.Append("Every requirement states what the legacy job does (P1); its evidence is a code span, a query over the source data, or a query over the legacy output, with the result. ")
            .Append("*Unverified* means only the code says so.\n\n");
        foreach (var (kind, title) in Sections)
        {
            var items = spec.Requirements.Where(r => r.Kind == kind).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            text.Append("## ").Append(title).Append("\n\n");
            foreach (var requirement in items)
            {
                AppendRequirement(text, requirement, spec);
            }
        }

        if (!spec.Contradictions.IsEmpty)
        {
            text.Append("## Contradictions\n\n");
            foreach (var contradiction in spec.Contradictions)
            {
                text.Append("- **").Append(contradiction.Id).Append("** (").Append(string.Join(", ", contradiction.Requirements)).Append("): ").Append(contradiction.Reason).Append('\n');
                foreach (var evidence in contradiction.Evidence)
                {
                    text.Append("  - ").Append(Evidence(evidence)).Append('\n');
                }
            }

            text.Append('\n');
        }

        text.Append("## Appendix A: Suspected defects\n\nEach is reproduced exactly (P1) and has a defect-preserving test tagged `defect:<id>`; flip the test when the owner decides to fix the behaviour.\n\n");
        text.Append("| id | kind | where | requirement | tests | why |\n|---|---|---|---|---|---|\n");
        foreach (var defect in spec.SuspectedDefects)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {defect.Id} | {defect.Kind} | {defect.File}:{defect.Line} | {defect.Requirement ?? "-"} | {string.Join(", ", defect.Tests)} | {Cell(defect.Description + ". " + defect.Reasoning)} |\n");
        }

        text.Append("\n## Appendix B: Architectural improvements\n\nEvery iterative-to-set-based opportunity (P2), with its rule and replacement.\n\n");
        text.Append("| rule | where | finding | replacement |\n|---|---|---|---|\n");
        foreach (var improvement in spec.ArchitecturalImprovements)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {improvement.RuleId} | {improvement.File}:{improvement.Line} | {Cell(improvement.Message)} | {Cell(improvement.Replacement)} |\n");
        }

        text.Append("\n## Traceability\n\n| requirement | kind | evidence | tests |\n|---|---|---|---|\n");
        foreach (var link in spec.Traceability)
        {
            text.Append("| ").Append(link.Requirement).Append(" | ").Append(link.Kind).Append(" | ").Append(Cell(string.Join("; ", link.Evidence)))
                .Append(" | ").Append(link.Tests.IsEmpty ? "-" : Cell(string.Join(", ", link.Tests))).Append(" |\n");
        }

        if (!spec.Consultations.IsEmpty)
        {
            text.Append("\n## Consultations (X1)\n\n");
            foreach (var consultation in spec.Consultations)
            {
                text.Append("- ").Append(consultation.Requirement).Append(" asked the ").Append(consultation.To.Replace('_', ' ')).Append(": ").Append(consultation.Question).Append(" — ").Append(consultation.Answer).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void AppendRequirement(StringBuilder text, Requirement requirement, SpecDocument spec)
    {
        text.Append("- **").Append(requirement.Id).Append("** ").Append(requirement.Statement)
            .Append(CultureInfo.InvariantCulture, $" _(confidence {requirement.Confidence:0.00}, {requirement.Status.ToString().ToLowerInvariant()}")
            .Append(requirement.Regulation is null ? string.Empty : ", " + requirement.Regulation)
            .Append(")_\n");
        foreach (var evidence in requirement.Evidence)
        {
            text.Append("  - ").Append(Evidence(evidence)).Append('\n');
        }

        foreach (var interpretation in requirement.Interpretations)
        {
            text.Append("  - reading ").Append(interpretation.Id).Append(interpretation.Chosen ? " (kept)" : string.Empty).Append(": ").Append(interpretation.Statement)
                .Append(" — ").Append(interpretation.Supported switch { true => "supported by the data", false => "contradicted by the data", _ => "the data cannot tell" })
                .Append(" (").Append(interpretation.Reading).Append(")\n");
        }

        if (!requirement.Contradicts.IsEmpty)
        {
            text.Append("  - **contradicts** ").Append(string.Join(", ", requirement.Contradicts)).Append('\n');
        }

        var tests = spec.Traceability.FirstOrDefault(t => t.Requirement == requirement.Id)?.Tests ?? [];
        if (!tests.IsEmpty)
        {
            text.Append("  - tests: ").Append(string.Join(", ", tests)).Append('\n');
        }
    }

    private static string Evidence(RequirementEvidence evidence)
    {
        var kind = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(evidence.Kind.ToString());
        var line = $"{kind} `{evidence.Reference}`: {evidence.Detail}" + (evidence.Supports ? string.Empty : " (contradicts the statement)");
        return evidence.Query is { } query ? line + $" — query: `{Cell(query.Sql)}` → {query.Summary()}" : line;
    }

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
