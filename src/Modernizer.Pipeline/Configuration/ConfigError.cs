namespace Modernizer.Pipeline.Configuration;

/// <summary>One precise configuration problem: where (file and line, or the environment variable),
/// which key (dotted path) and what is expected.</summary>
public sealed record ConfigError(string Source, int? Line, string Key, string Message)
{
    public override string ToString() =>
        Line is { } line ? $"{Source}:{line}: {Key}: {Message}" : $"{Source}: {Key}: {Message}";
}

/// <summary>Thrown when a workspace's configuration cannot be used; carries every error found.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigError> errors)
        : base("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public ConfigurationException()
        : this([])
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ConfigError> Errors { get; } = [];
}
