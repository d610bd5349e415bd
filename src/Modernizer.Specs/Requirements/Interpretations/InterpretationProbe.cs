using System.Collections.Immutable;

namespace Modernizer.Specs.Requirements.Interpretations;

/// <summary>What a probe concluded: each reading with its query against the legacy output (or the
/// source) and whether the data supports it; the confidence it leaves; a restated requirement when the
/// data supports another reading than the code's first one.</summary>
internal sealed record ProbeResult(ImmutableArray<Interpretation> Interpretations, double Confidence, string Reading, string? Statement = null)
{
    public ImmutableArray<RequirementEvidence> Evidence { get; init; } = [];
}

/// <summary>One kind of ambiguity and how actual data decides it (R2.3, X1): one query per interpretation,
/// run against the legacy output. A probe that finds nothing to query says the data cannot tell.</summary>
internal interface IInterpretationProbe
{
    bool Applies(InferenceContext context, Requirement requirement);

    Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken);
}
