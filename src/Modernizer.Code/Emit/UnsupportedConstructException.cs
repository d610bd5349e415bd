namespace Modernizer.Code.Emit;

/// <summary>Raised when a dialect cannot express a construct; emitting wrong SQL is never the fallback.</summary>
public sealed class UnsupportedConstructException : Exception
{
    public UnsupportedConstructException(string dialect, string construct)
        : base($"{dialect} cannot express {construct}.")
    {
        Dialect = dialect;
        Construct = construct;
    }

    public UnsupportedConstructException()
        : this("this dialect", "this construct")
    {
    }

    public UnsupportedConstructException(string message)
        : base(message)
    {
        Dialect = string.Empty;
        Construct = message;
    }

    public UnsupportedConstructException(string message, Exception innerException)
        : base(message, innerException)
    {
        Dialect = string.Empty;
        Construct = message;
    }

    public string Dialect { get; }

    public string Construct { get; }
}
