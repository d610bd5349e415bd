using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Pipeline.Supervision;

/// <summary>The stages a job moves through, from the roles' declared dependencies (R5.2). The
/// Supervisor role is this engine itself, so it is not a stage. Stages are ordered so that each
/// comes after the stages it depends on (ties keep the catalog's pipeline order).</summary>
public sealed class StageGraph
{
    public StageGraph(IEnumerable<RoleDefinition> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        Roles = TopologicalOrder(roles.Where(r => r.Role != RoleId.Supervisor).ToImmutableArray());
    }

    /// <summary>The mission's 16 roles as RoleCatalog defines them.</summary>
    public static StageGraph FromCatalog() => new(RoleCatalog.All);

    public ImmutableArray<RoleDefinition> Roles { get; }

    /// <summary>The stages of one scope whose phase is enabled, in dependency order.</summary>
    public ImmutableArray<RoleDefinition> Stages(StageScope scope, IReadOnlySet<int> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        return Roles.Where(r => r.Scope == scope && phases.Contains(r.Phase)).ToImmutableArray();
    }

    public RoleDefinition? Find(StageId stage) => Roles.FirstOrDefault(r => r.Stage == stage);

    private static ImmutableArray<RoleDefinition> TopologicalOrder(ImmutableArray<RoleDefinition> roles)
    {
        var known = roles.Select(r => r.Stage).ToHashSet();
        var done = new HashSet<StageId>();
        var ordered = ImmutableArray.CreateBuilder<RoleDefinition>(roles.Length);
        while (ordered.Count < roles.Length)
        {
            var next = roles.FirstOrDefault(r => !done.Contains(r.Stage) && r.DependsOn.All(d => done.Contains(d) || !known.Contains(d)))
                ?? throw new InvalidOperationException("The stage graph has a cycle: " + string.Join(", ", roles.Where(r => !done.Contains(r.Stage)).Select(r => r.Stage)));
            ordered.Add(next);
            done.Add(next.Stage);
        }

        return ordered.MoveToImmutable();
    }
}
