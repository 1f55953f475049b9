namespace ResoSolidaire.LocalHost;

/// <summary>What the local host runs and how.</summary>
public sealed class LocalHostOptions
{
    private readonly int _httpPort = DefaultHttpPort;

    public const int DefaultHttpPort = 7071;

    /// <summary>The function app's build output: the folder that holds <c>worker.config.json</c>.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Path of a <c>local.settings.json</c>; none means no settings file.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Entries added to (or replacing) the settings file's <c>Values</c>.</summary>
    public IReadOnlyDictionary<string, string?> SettingOverrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Port of the public HTTP endpoint; 0 picks a free one. When it is not set, the settings
    /// file's <c>Host.LocalHttpPort</c> applies, else 7071.
    /// </summary>
    public int HttpPort
    {
        get => _httpPort;
        init
        {
            _httpPort = value;
            HttpPortSpecified = true;
        }
    }

    /// <summary>False leaves timer schedules off; <c>POST /admin/functions/{name}</c> still runs them.</summary>
    public bool EnableTimers { get; init; } = true;

    /// <summary>How long in-flight requests may take to finish when the host stops.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal bool HttpPortSpecified { get; private init; }
}
