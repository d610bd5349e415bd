namespace Modernizer.Domain.Stages;

/// <summary>How a stage run ended. <see cref="Escalated"/> and <see cref="Failed"/> block only
/// their own job; <see cref="NoCode"/> is the visible end of a selected job without code.</summary>
public enum StageStatus
{
    Completed,
    Escalated,
    Rejected,
    NoCode,
    Failed,
}
