namespace ResoSolidaire.LocalHost;

/// <summary>A problem an operator can fix (configuration, build output, port): the message says how.</summary>
public sealed class LocalHostException : Exception
{
    public LocalHostException()
    {
    }

    public LocalHostException(string message)
        : base(message)
    {
    }

    public LocalHostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
