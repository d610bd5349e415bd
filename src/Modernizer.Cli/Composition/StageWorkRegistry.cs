using System.Collections.Immutable;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Cli.Composition;

/// <summary>What a role's factory may use to build its stage work.</summary>
public sealed record StageWorkContext(ModernizeSettings Settings, WorkspacePaths Workspace, TimeProvider Clock);

/// <summary>The role implementations the CLI runs: one factory per role. A role of the catalog with
/// no factory here is "not available": its jobs wait at its stage, visibly.</summary>
public sealed class StageWorkRegistry
{
    private readonly Dictionary<RoleId, Func<StageWorkContext, IStageWork>> _factories = [];

    public StageWorkRegistry Add(RoleId role, Func<StageWorkContext, IStageWork> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (role == RoleId.Supervisor)
        {
            throw new ArgumentException("The Supervisor role is the pipeline itself; it has no stage work.", nameof(role));
        }

        _factories[role] = factory;
        return this;
    }

    public IReadOnlySet<RoleId> Roles => _factories.Keys.ToHashSet();

    /// <summary>The stages whose role has an implementation.</summary>
    public IReadOnlySet<StageId> AvailableStages =>
        _factories.Keys.Select(r => RoleCatalog.Get(r).Stage).ToHashSet();

    public ImmutableArray<IStageWork> Create(StageWorkContext context)
    {
        var works = ImmutableArray.CreateBuilder<IStageWork>(_factories.Count);
        foreach (var (role, factory) in _factories.OrderBy(f => f.Key))
        {
            var work = factory(context);
            if (work.Role != role || work.Stage != RoleCatalog.Get(role).Stage)
            {
                throw new InvalidOperationException($"The factory registered for {role} built work for {work.Role}/{work.Stage}.");
            }

            works.Add(work);
        }

        return works.MoveToImmutable();
    }
}
