using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Domain.Decisions;

/// <summary>What a policy check asks a human to look at. Only the named job waits.</summary>
public sealed record EscalationRequest(
    JobId? JobId,
    StageId Stage,
    RoleId Role,
    EscalationKind Kind,
    string Summary,
    ImmutableArray<Evidence> Evidence);
