using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

/// <summary>Where the test function app was built, and small helpers to set up a host around it.</summary>
internal static class TestApp
{
    public const string MasterKey = "master-key-for-tests";
    public const string HostKey = "host-key-for-tests";
    public const string HostKeyName = "ci-robot";
    public const string SecuredKey = "secured-function-key";
    public const string SecuredKeyName = "staff-alice";
    public const string AllowedOrigin = "https://benevoles.example.org";

    public const string CamilleObjectId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    public const string CamilleName = "Camille Martin";
    public const string CamilleEmail = "camille.martin@reso-solidaire.example";
    public const string DominiqueObjectId = "9b2f7c1e-58a4-4d6b-b0e3-2c7a1f4d8e90";
    public const string DominiqueName = "Dominique Lefèvre";
    public const string DominiqueEmail = "dominique.lefevre@reso-solidaire.example";
    public const string DominiqueToken = "dominique-bearer-token-for-tests";
    public const string ImportObjectId = "0c6d1a52-7e3b-4f28-9a41-d5b8e2f71c36";
    public const string ImportName = "Script d'import";
    public const string ImportToken = "import-script-bearer-token-for-tests";

    /// <summary>A schedule that never fires during a test run: the first second of the year.</summary>
    public const string DormantSchedule = "0 0 0 1 1 *";

    public static string Directory { get; } = typeof(TestApp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestAppDirectory").Value!;

    /// <summary>Writes a local.settings.json in a fresh temporary folder and returns its path.</summary>
    public static string WriteSettings(string timerOutput, string schedule = DormantSchedule, string? cors = AllowedOrigin)
    {
        var settings = new
        {
            IsEncrypted = false,
            Values = new Dictionary<string, string>
            {
                ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
                ["TestTimerSchedule"] = schedule,
                ["TestTimerOutput"] = timerOutput,
                ["Greeting"] = "bonjour",
                ["AzureWebJobs.Disabled.Disabled"] = "true",
                ["AzureWebJobs.DisabledTimer.Disabled"] = "true",
            },
            ConnectionStrings = new Dictionary<string, string> { ["Tables"] = "UseDevelopmentStorage=true" },
            Host = new { CORS = cors, CORSCredentials = true },
            Keys = new
            {
                Master = MasterKey,
                Host = new Dictionary<string, string> { [HostKeyName] = HostKey },
                Functions = new Dictionary<string, Dictionary<string, string>>
                {
                    ["Secured"] = new() { [SecuredKeyName] = SecuredKey },
                },
            },
            LocalAuthentication = new
            {
                Users = new object[]
                {
                    new { Name = CamilleName, ObjectId = CamilleObjectId, Email = CamilleEmail, Roles = new[] { "Equipe" } },
                    new { Name = DominiqueName, ObjectId = DominiqueObjectId, Email = DominiqueEmail, Roles = new[] { "Equipe", "Administration" }, Token = DominiqueToken },
                    new { Name = ImportName, ObjectId = ImportObjectId, Roles = new[] { "Administration" }, Token = ImportToken },
                },
            },
        };
        var path = Path.Combine(NewTempDirectory(), "local.settings.json");
        File.WriteAllText(path, JsonSerializer.Serialize(settings));
        return path;
    }

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "localhost-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static Task<FunctionsHost> StartAsync(string settingsFile, bool enableTimers = false, IReadOnlyDictionary<string, string?>? overrides = null) =>
        FunctionsHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = Directory,
            SettingsFile = settingsFile,
            HttpPort = 0,
            EnableTimers = enableTimers,
            SettingOverrides = overrides ?? new Dictionary<string, string?>(),
        });

    /// <summary>A request carrying <paramref name="key"/> in x-functions-key (none when null).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return request;
    }

    public static HttpClient ClientFor(FunctionsHost host) => new() { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(50);
        }
    }
}

/// <summary>One host for every test that only reads from it.</summary>
public sealed class SharedHostFixture : IAsyncLifetime
{
    public const string OverriddenSetting = "OverriddenByTest";

    public FunctionsHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string TimerOutput { get; } = TestApp.NewTempDirectory();

    public async Task InitializeAsync()
    {
        Host = await TestApp.StartAsync(
            TestApp.WriteSettings(TimerOutput),
            overrides: new Dictionary<string, string?> { [OverriddenSetting] = "from-overrides", ["Greeting"] = "bonjour" });
        Client = TestApp.ClientFor(Host);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedHostGroup : ICollectionFixture<SharedHostFixture>
{
    public const string Name = "Shared host";
}
