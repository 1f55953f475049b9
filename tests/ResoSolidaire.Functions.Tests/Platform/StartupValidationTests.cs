using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Platform;

public class StartupValidationTests
{
    /// <summary>The Values of local.settings.sample.json, as configuration keys: a newcomer's settings.</summary>
    private static readonly Dictionary<string, string?> CompleteSettings = SampleSettings();

    [Fact]
    public void TheSampleSettingsPassStartupValidation() => Validate(CompleteSettings);

    [Theory]
    [InlineData("SendGrid:ApiKey", "SendGrid:ApiKey")]
    [InlineData("Mail:FromAddress", "Mail:FromAddress")]
    [InlineData("Mail:StaffRecipients", "Mail:StaffRecipients")]
    [InlineData("Storage:ConnectionString", "Storage:ConnectionString")]
    public void AMissingSettingStopsStartupNamingIt(string removed, string named)
    {
        var settings = new Dictionary<string, string?>(CompleteSettings) { [removed] = null };

        var error = Assert.Throws<OptionsValidationException>(() => Validate(settings));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureServiceUrisReplaceTheConnectionString()
    {
        var settings = new Dictionary<string, string?>(CompleteSettings)
        {
            ["Storage:ConnectionString"] = null,
            ["Storage:TableServiceUri"] = "https://example.table.core.windows.net",
            ["Storage:BlobServiceUri"] = "https://example.blob.core.windows.net",
        };

        Validate(settings);
    }

    private static Dictionary<string, string?> SampleSettings()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!.AsObject();
        return values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value!.GetValue<string>());
    }

    private static void Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddResoSolidaireServices(configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}
