using System.Collections.Immutable;

namespace Modernizer.Domain.Roles;

/// <summary>Whether a stage runs once for the whole portfolio or once per selected job.</summary>
public enum StageScope
{
    Portfolio,
    Job,
}

/// <summary>A role as the mission defines it: the stage it performs, where it sits in the phasing
/// (R5.2), and the artifacts it reads and writes (paths relative to <c>.modernize/</c>, with
/// <c>{job}</c> standing for the job id).</summary>
public sealed record RoleDefinition(
    RoleId Role,
    string DisplayName,
    string RequirementId,
    int Tier,
    int Phase,
    StageId Stage,
    StageScope Scope,
    ImmutableArray<StageId> DependsOn,
    ImmutableArray<string> Reads,
    ImmutableArray<string> Writes);
