namespace Modernizer.Delivery;

/// <summary>Delivery could not do what was asked: bad input (named with its file), a missing tool, a
/// refused remote call. The message says what and where.</summary>
public sealed class DeliveryException : Exception
{
    public DeliveryException()
    {
    }

    public DeliveryException(string message)
        : base(message)
    {
    }

    public DeliveryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
