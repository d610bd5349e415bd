using System.Collections.Immutable;
using Modernizer.Specs.Requirements;

namespace Modernizer.Specs.Spec;

/// <summary>Appendix A: a suspected defect, reproduced as the legacy job behaves (P1), with the requirement that
/// states it and its defect-preserving tests (tagged <c>defect:&lt;id&gt;</c>).</summary>
public sealed record SpecDefect(string Id, string Kind, string File, int Line, string Description, string Reasoning, double Confidence, string? Requirement, ImmutableArray<string> Tests)
{
    public bool Reproduced => true;
}

/// <summary>Appendix B: an anti-pattern with its rule id and its set-based replacement (P2).</summary>
public sealed record SpecImprovement(string RuleId, string File, int Line, int EndLine, string Message, string Replacement, bool IterativeToSetBased);

/// <summary>One row of the traceability matrix: requirement → evidence → tests.</summary>
public sealed record TraceLink(string Requirement, string Kind, ImmutableArray<string> Evidence, ImmutableArray<string> Tests);

/// <summary>spec.json (docs/workspace.md): purpose, requirements with their evidence, the suspected-defect and
/// architectural-improvement appendices, the traceability matrix; plus the contradictions and the
/// consultations behind the low-confidence requirements.</summary>
public sealed record SpecDocument(
    string JobId,
    string Purpose,
    string? Regulation,
    ImmutableArray<Requirement> Requirements,
    ImmutableArray<SpecDefect> SuspectedDefects,
    ImmutableArray<SpecImprovement> ArchitecturalImprovements,
    ImmutableArray<TraceLink> Traceability,
    ImmutableArray<Contradiction> Contradictions,
    ImmutableArray<Consultation> Consultations)
{
    public const string FileName = "spec.json";

    /// <summary>Plan sites and the requirements that state them (every filter, join, aggregate and derived column).</summary>
    public ImmutableArray<SiteCoverage> Sites { get; init; } = [];
}
