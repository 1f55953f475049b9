using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using ResoSolidaire.LocalHost;
using ResoSolidaire.MailSink;

namespace ResoSolidaire.Testing;

/// <summary>
/// The whole backend as the run command starts it, for end-to-end tests: Azurite, the local SendGrid
/// sink and the local functions host running the real function app in its own worker process.
/// Each backend has its own storage name prefix, so tests never see each other's data.
/// </summary>
public sealed class Backend : IAsyncDisposable
{
    private readonly AzuriteServer? _ownedAzurite;

    private Backend(FunctionsHost host, MailSinkServer mail, AzuriteServer azurite, string prefix, IReadOnlyDictionary<string, string> keys, AzuriteServer? owned)
    {
        Host = host;
        Mail = mail;
        Azurite = azurite;
        NamePrefix = prefix;
        Keys = keys;
        _ownedAzurite = owned;
        Client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        AdminClient = CreateClient(MasterKey);
        StaffClient = CreateClient(null, AdministrationToken);
        TeamClient = CreateClient(null, TeamToken);
        Tables = azurite.Tables();
        Blobs = azurite.Blobs();
    }

    public FunctionsHost Host { get; }

    public MailSinkServer Mail { get; }

    public AzuriteServer Azurite { get; }

    public string NamePrefix { get; }

    public IReadOnlyDictionary<string, string> Keys { get; }

    public string MasterKey => Keys["Master"];

    /// <summary>Dominique Lefèvre of local.settings.sample.json: roles « Équipe » and « Administration ».</summary>
    public const string AdministrationName = "Dominique Lefèvre";

    public const string AdministrationToken = "local-dominique-token-change-me";

    /// <summary>Dominique's Entra object id in local.settings.sample.json: what changes record beside the name.</summary>
    public const string AdministrationObjectId = "2ecf208b-9591-43f4-94d2-cb61ffe92b15";

    /// <summary>Camille Martin of local.settings.sample.json: role « Équipe » only.</summary>
    public const string TeamName = "Camille Martin";

    public const string TeamToken = "local-camille-token-change-me";

    public const string TeamObjectId = "fdb4efa6-505a-4588-a961-32ff22327897";

    /// <summary>Anonymous client, as the website calls.</summary>
    public HttpClient Client { get; }

    /// <summary>Client carrying the host's master key, for its admin API (timers, status).</summary>
    public HttpClient AdminClient { get; }

    /// <summary>
    /// A staff member with both roles, as a script calls: the bearer token the local host turns into the
    /// principal App Service Authentication would give (<see cref="AdministrationName"/>).
    /// </summary>
    public HttpClient StaffClient { get; }

    /// <summary>A staff member with the « Équipe » role only (<see cref="TeamName"/>).</summary>
    public HttpClient TeamClient { get; }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public TableClient Table(string name) => Tables.GetTableClient(NamePrefix + name);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient($"{NamePrefix}-{name}");

    /// <summary>A client carrying a function key, or a development bearer token of local.settings.json, or neither.</summary>
    public HttpClient CreateClient(string? key, string? bearerToken = null)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    public static async Task<Backend> StartAsync(BackendOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new BackendOptions();
        var azurite = options.Azurite ?? await AzuriteServer.SharedAsync().ConfigureAwait(false);
        var mail = await MailSinkServer.StartAsync(new MailSinkOptions { Port = 0 }).ConfigureAwait(false);
        try
        {
            var prefix = AzuriteServer.UniquePrefix();
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage__ConnectionString"] = azurite.ConnectionString,
                ["Storage__NamePrefix"] = prefix,
                ["SendGrid__Host"] = mail.BaseAddress.ToString().TrimEnd('/'),
            };
            foreach (var (name, value) in options.Settings)
            {
                settings[name] = value;
            }

            var sample = RepoPaths.Combine("local.settings.sample.json");
            var host = await FunctionsHost.StartAsync(
                new LocalHostOptions
                {
                    AppDirectory = RepoPaths.BuildOutput(Path.Combine("functions", "ResoSolidaire.Functions")),
                    SettingsFile = sample,
                    SettingOverrides = settings,
                    HttpPort = 0,
                    EnableTimers = options.EnableTimers,
                },
                loggerFactory).ConfigureAwait(false);
            return new Backend(host, mail, azurite, prefix, ReadKeys(sample), options.Azurite);
        }
        catch
        {
            await mail.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a non-HTTP function (a timer) now, as an operator would, and waits until the host accepted it.</summary>
    public async Task RunFunctionAsync(string name)
    {
        using var response = await AdminClient.PostAsJsonAsync($"admin/functions/{name}", new { input = "" }).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Running {name} answered {(int)response.StatusCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AdminClient.Dispose();
        StaffClient.Dispose();
        TeamClient.Dispose();
        await Host.DisposeAsync().ConfigureAwait(false);
        await Mail.DisposeAsync().ConfigureAwait(false);
        if (_ownedAzurite is not null)
        {
            await _ownedAzurite.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Sections of local.settings.json that the local host reads its keys from.
    private const string KeysSection = "Keys";
    private const string HostKeysSection = "Host";

    private static Dictionary<string, string> ReadKeys(string settingsFile)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var root = JsonNode.Parse(File.ReadAllText(settingsFile))?[KeysSection];
        if (root?["Master"]?.GetValue<string>() is { } master)
        {
            keys["Master"] = master;
        }

        foreach (var (name, value) in root?[HostKeysSection]?.AsObject() ?? [])
        {
            keys[name] = value!.GetValue<string>();
        }

        return keys;
    }
}
