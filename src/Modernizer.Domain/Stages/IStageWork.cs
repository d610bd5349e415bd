using Modernizer.Domain.Roles;

namespace Modernizer.Domain.Stages;

/// <summary>The work a role performs for one stage. Implementations are deterministic engines
/// first; a role may consult a model for judgment. A stage is idempotent: the supervisor skips it
/// when its input hash equals that of its last completed run.</summary>
public interface IStageWork
{
    RoleId Role { get; }

    StageId Stage { get; }

    /// <summary>A hash over everything the stage reads (files, upstream artifacts, configuration).</summary>
    Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken);

    Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken);
}
