namespace ResoSolidaire.Testing;

public sealed class BackendOptions
{
    /// <summary>Settings added to (or replacing) the Values of local.settings.sample.json.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>An Azurite of the test's own (e.g. to stop it for an outage test); the shared one otherwise.</summary>
    public AzuriteServer? Azurite { get; init; }

    /// <summary>Timers fire on their schedules when true; otherwise only through /admin/functions/{name}.</summary>
    public bool EnableTimers { get; init; }
}
