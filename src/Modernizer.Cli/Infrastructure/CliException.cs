namespace Modernizer.Cli.Infrastructure;

/// <summary>A user-facing error: printed without a stack trace, exit code 2.</summary>
public sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
