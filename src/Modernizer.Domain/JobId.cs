namespace Modernizer.Domain;

/// <summary>Identifies one legacy job. Catalog ids are unique only per workspace in some exports,
/// so callers that ingest such exports compose the id before creating it.</summary>
public readonly record struct JobId
{
    public JobId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A job id cannot be empty.", nameof(value));
        }

        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}
