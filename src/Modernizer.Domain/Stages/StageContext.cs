using Modernizer.Domain.Workspace;

namespace Modernizer.Domain.Stages;

/// <summary>Everything a stage may look at. <see cref="Job"/> is null for portfolio stages.
/// <see cref="Settings"/> is the loaded workspace configuration, typed by its owner.</summary>
public sealed record StageContext(WorkspacePaths Workspace, JobId? Job, object Settings, int Attempt);
