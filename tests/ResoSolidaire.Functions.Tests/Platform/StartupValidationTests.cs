using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Platform;

namespace ResoSolidaire.Functions.Tests.Platform;

public class StartupValidationTests
{
    private static readonly Dictionary<string, string?> CompleteSettings = new()
    {
        ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        ["SendGrid:ApiKey"] = "key",
        ["SendGrid:Host"] = "http://127.0.0.1:7072",
        ["Mail:FromAddress"] = "ne-pas-repondre@reso-solidaire.example",
        ["Mail:FromName"] = "Réso Solidaire",
        ["Mail:StaffRecipients"] = "equipe@reso-solidaire.example",
    };

    [Fact]
    public void CompleteSettingsPassStartupValidation() => Validate(CompleteSettings);

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
