namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>
/// Keeps three lists in line: the settings the app binds (options classes and <c>%Name%</c> expressions),
/// the <c>Values</c> of local.settings.sample.json, and the app settings infra/app/api.bicep gives the
/// function app in Azure. A feature that adds a setting adds it to all three, or says here why not.
/// </summary>
public sealed class SettingsDriftTests
{
    /// <summary>Bound settings that the local sample leaves out, and why.</summary>
    private static readonly Dictionary<string, string> _notInLocalSample = new(StringComparer.OrdinalIgnoreCase)
    {
        // Azure reaches storage by service URI with the managed identity; locally Storage__ConnectionString
        // (Azurite) takes their place, and the app refuses neither being set.
        ["Storage__TableServiceUri"] = "Azure only: locally Storage__ConnectionString points at Azurite",
        ["Storage__BlobServiceUri"] = "Azure only: locally Storage__ConnectionString points at Azurite",
        ["Storage__ClientId"] = "Azure only: the client id of the user-assigned managed identity",
    };

    /// <summary>Bound settings that the Bicep leaves out, and why.</summary>
    private static readonly Dictionary<string, string> _notInBicep = new(StringComparer.OrdinalIgnoreCase)
    {
        // The storage account refuses shared keys (allowSharedKeyAccess: false): Azure uses the service URIs.
        ["Storage__ConnectionString"] = "local only (Azurite); Azure uses the service URIs and the managed identity",
        // Optional: one environment per storage account in Azure, so no prefix; tests and shared accounts set it.
        ["Storage__NamePrefix"] = "optional, empty in Azure",
        // A dictionary keyed by contact topic; topics without an entry go to Forms__ContactRecipients.
        ["Forms__TopicRecipients"] = "optional, add Forms__TopicRecipients__<topic> lines to api.bicep when staff want them",
    };

    /// <summary>Settings read by the Functions host rather than by the app's code.</summary>
    private static readonly Dictionary<string, string> _readByTheFunctionsRuntime = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureWebJobsStorage"] = "host storage, locally (Azurite)",
        ["FUNCTIONS_WORKER_RUNTIME"] = "worker runtime, locally (functionAppConfig.runtime in Azure)",
        ["AzureWebJobsStorage__accountName"] = "host storage in Azure, identity-based",
        ["AzureWebJobsStorage__credential"] = "host storage in Azure, identity-based",
        ["AzureWebJobsStorage__clientId"] = "host storage in Azure, identity-based",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "telemetry of the host",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "telemetry sent with the managed identity",
    };

    /// <summary>App settings the Bicep provides ahead of the feature that will bind them.</summary>
    private static readonly Dictionary<string, string> _awaitingTheirFeature = new(StringComparer.OrdinalIgnoreCase)
    {
        // Empty: every app setting of the Bicep is bound. A feature whose secret must exist in Key Vault before
        // its code lands lists its setting here, and the test below asks for its removal once it is bound.
    };

    [Fact]
    public void EverySettingTheAppBindsIsInTheLocalSettingsSample()
    {
        var sample = LocalSettingsSample.ValueNames();
        var missing = BoundSettings.All
            .Where(s => !_notInLocalSample.ContainsKey(s.Name) && !sample.Any(s.IsSetBy))
            .ToList();

        AssertNone(missing.Select(Describe),
            $"Settings the app binds but {LocalSettingsSample.FileName} does not list in Values (add them with a local value):");
    }

    [Fact]
    public async Task EverySettingTheAppBindsIsSetByTheBicep()
    {
        var appSettings = await BicepTemplate.AppSettingsAsync();
        var missing = BoundSettings.All
            .Where(s => !_notInBicep.ContainsKey(s.Name)
                && !appSettings.Any(a => s.IsSetBy(a.Key) && !string.IsNullOrWhiteSpace(a.Value)))
            .ToList();

        AssertNone(missing.Select(Describe),
            $"Settings the app binds but {BicepTemplate.AppSettingsFile} does not set (add them to the appsettings there, a secret as a Key Vault reference):");
    }

    [Fact]
    public void EveryValueOfTheLocalSettingsSampleIsReadByTheAppOrTheRuntime()
    {
        var unread = LocalSettingsSample.ValueNames().Where(name => !IsRead(name)).ToList();

        AssertNone(unread.Select(name => $"{name} ({LocalSettingsSample.FileName})"),
            $"Values of {LocalSettingsSample.FileName} that neither the app nor the Functions runtime reads (remove them, or bind them):");
    }

    [Fact]
    public async Task EveryAppSettingOfTheBicepIsReadByTheAppOrTheRuntime()
    {
        var appSettings = await BicepTemplate.AppSettingsAsync();
        var unread = appSettings.Keys.Where(name => !IsRead(name) && !_awaitingTheirFeature.ContainsKey(name)).ToList();

        AssertNone(unread.Select(name => $"{name} ({BicepTemplate.AppSettingsFile})"),
            $"App settings of {BicepTemplate.AppSettingsFile} that neither the app nor the Functions runtime reads (remove them, or bind them):");
    }

    [Fact]
    public void EveryOptionsTypeTheAppTakesDeclaresItsSection()
    {
        var declared = BoundSettings.OptionsTypes().Select(o => o.Type).ToHashSet();
        var undeclared = BoundSettings.ConsumedOptionsTypes()
            .Where(c => !declared.Contains(c.OptionsType))
            .Select(c => $"{c.OptionsType.Name} (taken by {c.Consumer.Name})")
            .Distinct();

        AssertNone(undeclared,
            "Options types without a `public const string Section` (bind them with BindConfiguration(T.Section) so that this test sees their settings):");
    }

    [Fact]
    public void TheAllowListsNameOnlySettingsThatStillExist()
    {
        var bound = BoundSettings.All.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = _notInLocalSample.Keys.Concat(_notInBicep.Keys).Where(name => !bound.Contains(name))
            .Select(name => $"{name}: allow-listed as an exception but the app no longer binds it")
            .Concat(_awaitingTheirFeature.Keys.Where(bound.Contains)
                .Select(name => $"{name}: the app binds it now, take it out of the list of settings awaiting their feature"));

        AssertNone(stale, "Allow-list entries in SettingsDriftTests to remove:");
    }

    [Fact]
    public void TheAppBindsTheSettingsThisTestKnowsAbout()
    {
        // Guards the reflection itself: if it found nothing, every other test here would pass vacuously.
        Assert.Contains(BoundSettings.All, s => s.Name == "Storage__ConnectionString");
        Assert.Contains(BoundSettings.All, s => s.Name == "OutboxRetrySchedule");
    }

    private static bool IsRead(string name) =>
        _readByTheFunctionsRuntime.ContainsKey(name) || BoundSettings.All.Any(s => s.IsSetBy(name));

    private static string Describe(BoundSetting setting) => $"{setting.Name} (read by {setting.Source})";

    private static void AssertNone(IEnumerable<string> problems, string heading)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, heading + Environment.NewLine + string.Join(Environment.NewLine, list.Select(p => "  - " + p)));
    }
}
