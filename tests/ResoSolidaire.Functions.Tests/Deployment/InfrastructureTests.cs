namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>Security properties of infra/main.bicep that a later edit must not lose, read from the compiled template.</summary>
public sealed class InfrastructureTests
{
    /// <summary>Endings of setting names that hold secrets (a public key is not one).</summary>
    private static readonly string[] _secretNameEndings = ["ApiKey", "SigningKey", "HashKey", "Secret", "Password", "ConnectionString"];

    [Fact]
    public async Task TheStorageAccountAcceptsOnlyEntraIdOverTls12()
    {
        var account = Assert.Single(await BicepTemplate.ResourcesAsync(), r => BicepTemplate.IsOfType(r, "Microsoft.Storage/storageAccounts"));
        var properties = account["properties"]!;

        Assert.False((bool?)properties["allowSharedKeyAccess"], "allowSharedKeyAccess must stay false: clients sign in with Entra ID.");
        Assert.False((bool?)properties["allowBlobPublicAccess"], "allowBlobPublicAccess must stay false.");
        Assert.True((bool?)properties["supportsHttpsTrafficOnly"], "supportsHttpsTrafficOnly must stay true.");
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public async Task TheKeyVaultUsesRbacAndTheAppResolvesReferencesWithItsOwnIdentity()
    {
        var resources = await BicepTemplate.ResourcesAsync();
        var vault = Assert.Single(resources, r => BicepTemplate.IsOfType(r, "Microsoft.KeyVault/vaults"));
        var site = Assert.Single(resources, r => BicepTemplate.IsOfType(r, "Microsoft.Web/sites"));

        Assert.True((bool?)vault["properties"]!["enableRbacAuthorization"], "The Key Vault must use Azure RBAC, not access policies.");
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.False(string.IsNullOrEmpty((string?)site["properties"]!["keyVaultReferenceIdentity"]), "keyVaultReferenceIdentity must name the user-assigned identity.");
    }

    [Fact]
    public async Task TheFunctionAppRunsDotnetIsolated10OnFlexConsumption()
    {
        var resources = await BicepTemplate.ResourcesAsync();
        var plan = Assert.Single(resources, r => BicepTemplate.IsOfType(r, "Microsoft.Web/serverfarms"));
        var config = Assert.Single(resources, r => BicepTemplate.IsOfType(r, "Microsoft.Web/sites"))["properties"]!["functionAppConfig"]!;

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
    }

    [Fact]
    public async Task SecretsReachTheAppAsKeyVaultReferencesOnly()
    {
        var plain = (await BicepTemplate.AppSettingsAsync())
            .Where(s => _secretNameEndings.Any(e => s.Key.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Where(s => !s.Value.Contains("keyVaultReference(", StringComparison.Ordinal)
                && !s.Value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal))
            .Select(s => s.Key)
            .ToList();

        Assert.True(plain.Count == 0,
            $"Secrets set in plain text in {BicepTemplate.AppSettingsFile} (store them in Key Vault and refer to them): {string.Join(", ", plain)}");
    }

    [Fact]
    public async Task CorsAllowsOnlyTheWebsiteOriginsWithoutCredentials()
    {
        var site = Assert.Single(await BicepTemplate.ResourcesAsync(), r => BicepTemplate.IsOfType(r, "Microsoft.Web/sites"));
        var cors = site["properties"]!["siteConfig"]!["cors"]!;

        Assert.DoesNotContain("*", cors["allowedOrigins"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.False((bool?)cors["supportCredentials"], "CORS must not allow credentials.");
    }
}
