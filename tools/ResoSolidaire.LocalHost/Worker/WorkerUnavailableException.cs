namespace ResoSolidaire.LocalHost.Worker;

/// <summary>The worker went away (crash, restart, shutdown) before it answered.</summary>
internal sealed class WorkerUnavailableException : Exception
{
    public WorkerUnavailableException()
    {
    }

    public WorkerUnavailableException(string message)
        : base(message)
    {
    }

    public WorkerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
