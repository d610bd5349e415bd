using System.Globalization;

namespace Modernizer.Pipeline.Configuration;

/// <summary>One precise configuration problem: where (file, line and, for a syntax error, column; or
/// the environment variable, which has no line), which key (dotted path) and what is expected.</summary>
public sealed record ConfigError(string Source, int? Line, string Key, string Message)
{
    public int? Column { get; init; }

    public override string ToString() => (Line, Column) switch
    {
        ({ } line, { } column) => string.Create(CultureInfo.InvariantCulture, $"{Source}:{line}:{column}: {Key}: {Message}"),
        ({ } line, null) => string.Create(CultureInfo.InvariantCulture, $"{Source}:{line}: {Key}: {Message}"),
        _ => $"{Source}: {Key}: {Message}",
    };
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
