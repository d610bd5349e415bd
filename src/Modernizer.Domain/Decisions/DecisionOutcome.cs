namespace Modernizer.Domain.Decisions;

public enum DecisionOutcome
{
    Autonomous,
    Escalated,
}
