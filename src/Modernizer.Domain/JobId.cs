namespace Modernizer.Domain;

/// <summary>Identifies one legacy job. Catalog ids are unique only per workspace in some exports,
/// so callers that ingest such exports compose the id before creating it. An id is data: it becomes
/// a folder name only through <see cref="Workspace.WorkspacePaths.JobFolder"/>.</summary>
public readonly record struct JobId
{
    /// <summary>The longest id a run accepts for tiers 2-5 (<see cref="TryCreate"/>).</summary>
    public const int MaxLength = 1000;

    public JobId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A job id cannot be empty.", nameof(value));
        }

        Value = value;
    }

    public string Value { get; }

    /// <summary>An id from data a run selects jobs from (a backlog, the configuration): refused, with the
    /// reason, when it is empty, longer than <see cref="MaxLength"/>, or holds control characters (a NUL
    /// cannot be stored as text by PostgreSQL) or broken UTF-16.</summary>
    public static bool TryCreate(string? value, out JobId id, out string? problem)
    {
        id = default;
        problem = value switch
        {
            null or "" => "the job id is empty",
            _ when string.IsNullOrWhiteSpace(value) => "the job id is blank",
            { Length: > MaxLength } => $"the job id is {value.Length} characters long (at most {MaxLength})",
            _ when value.Any(char.IsControl) => "the job id holds a control character",
            _ when !IsWellFormed(value) => "the job id is not well-formed text (a lone surrogate)",
            _ => null,
        };
        if (problem is not null)
        {
            return false;
        }

        id = new JobId(value!);
        return true;
    }

    public override string ToString() => Value;

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
