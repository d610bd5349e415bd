using System.Collections.Immutable;
using Modernizer.Specs.Data;

namespace Modernizer.Specs.Requirements;

/// <summary>The kinds of requirement a functional specification states (R2.3).</summary>
public enum RequirementKind
{
    BusinessRule,
    InputContract,
    OutputContract,
    ErrorHandling,
    Sla,
    EdgeCase,
}

/// <summary>Verified: a data query confirmed the statement (or the statement is a fact of the code
/// and the catalog alone). Unverified: only the code says so, or the data could not be queried (P1).</summary>
public enum RequirementStatus
{
    Verified,
    Unverified,
}

/// <summary>What a piece of evidence is (spec.json <c>evidence[].kind</c>).</summary>
public enum EvidenceSource
{
    Code,
    SourceData,
    OutputData,
}

/// <summary>One piece of evidence: a code span, or a query over the source or output data with its
/// result. <see cref="Query"/> is null for code spans.</summary>
public sealed record RequirementEvidence(EvidenceSource Kind, string Reference, string Detail)
{
    public QueryRecord? Query { get; init; }

    /// <summary>False when the data contradicts the statement (kept as evidence, never counted as support).</summary>
    public bool Supports { get; init; } = true;

    public static RequirementEvidence Code(string span, string detail) => new(EvidenceSource.Code, span, detail);
}

/// <summary>One reading of an ambiguous requirement, the query run against the legacy output to test it,
/// its result, and whether the data supports it (null: the data cannot tell).</summary>
public sealed record Interpretation(string Id, string Statement, bool? Supported, bool Chosen, string Reading)
{
    public QueryRecord? Query { get; init; }
}

/// <summary>Where a requirement comes from: a plan site, a suspected defect, an assumption, an
/// anti-pattern, the profile, the catalog.</summary>
public sealed record RequirementOrigin(string? Site, string? Defect, string? Assumption, string? AntiPattern);

/// <summary>One inferred requirement (R2.3): an id, a statement, a confidence, a status and its evidence.</summary>
public sealed record Requirement(
    string Id,
    RequirementKind Kind,
    string Category,
    string Statement,
    double Confidence,
    RequirementStatus Status,
    ImmutableArray<RequirementEvidence> Evidence)
{
    /// <summary>SOX, GDPR, HIPAA... when the requirement is regulatory logic of a compliance-critical job.</summary>
    public string? Regulation { get; init; }

    /// <summary>Input or output columns the requirement is about (<c>raw.orders.status</c>).</summary>
    public ImmutableArray<string> Columns { get; init; } = [];

    public RequirementOrigin Origin { get; init; } = new(null, null, null, null);

    /// <summary>For a requirement first inferred below the consultation floor: each reading and its test.</summary>
    public ImmutableArray<Interpretation> Interpretations { get; init; } = [];

    /// <summary>Requirements this one contradicts in a way that changes output.</summary>
    public ImmutableArray<string> Contradicts { get; init; } = [];

    /// <summary>The confidence before consultation, when consultation changed it.</summary>
    public double? InitialConfidence { get; init; }
}

/// <summary>Two or more requirements that cannot all hold, and why the output depends on which one does.</summary>
public sealed record Contradiction(string Id, ImmutableArray<string> Requirements, string Reason, bool ChangesOutput, ImmutableArray<RequirementEvidence> Evidence);

/// <summary>A question the Inferencer asked another role's artifact (X1) and the answer.</summary>
public sealed record Consultation(string Requirement, string To, string Question, string Answer, ImmutableArray<RequirementEvidence> Evidence);

/// <summary>requirements.json: everything the Requirements Inferencer inferred for one job.</summary>
public sealed record RequirementSet(
    string JobId,
    string Purpose,
    string? Regulation,
    ImmutableArray<Requirement> Requirements,
    ImmutableArray<Contradiction> Contradictions,
    ImmutableArray<Consultation> Consultations)
{
    /// <summary>Plan sites (filters, joins, aggregations, CASEs, derived columns...) and the requirements covering them.</summary>
    public ImmutableArray<SiteCoverage> Sites { get; init; } = [];

    public ImmutableArray<string> Notes { get; init; } = [];

    public Requirement? Find(string id) => Requirements.FirstOrDefault(r => r.Id == id);
}

/// <summary>A plan site (kind, text, span) and the requirement ids that state it.</summary>
public sealed record SiteCoverage(string Site, string Kind, string Span, string Text, ImmutableArray<string> Requirements);
