using System.Net;
using System.Net.Sockets;
using ResoSolidaire.LocalHost.Configuration;

namespace ResoSolidaire.LocalHost.Tests;

public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task AMalformedSettingsFileIsRefusedNamingTheFileAndLine()
    {
        var path = Path.Combine(TestApp.NewTempDirectory(), "local.settings.json");
        await File.WriteAllTextAsync(path, "{\n  \"Values\": {\n    \"A\": \"b\"\n    \"C\": \"d\"\n  }\n}\n");

        var error = await Assert.ThrowsAsync<LocalHostException>(() => TestApp.StartAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("ligne 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingBuildOutputSaysHowToBuild()
    {
        var error = await Assert.ThrowsAsync<LocalHostException>(() => FunctionsHost.StartAsync(
            new LocalHostOptions { AppDirectory = TestApp.NewTempDirectory(), HttpPort = 0 }));

        Assert.Contains("worker.config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet build functions/ResoSolidaire.Functions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortAlreadyInUseIsNamed()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<LocalHostException>(() => FunctionsHost.StartAsync(
            new LocalHostOptions { AppDirectory = TestApp.Directory, HttpPort = port }));

        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    private const string Oid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    [Theory]
    [InlineData("""{ "Users": {} }""", "LocalAuthentication.Users doit être une liste")]
    [InlineData("""{ "Utilisateurs": [] }""", "LocalAuthentication : propriété inconnue « Utilisateurs »")]
    [InlineData("""{ "Users": [ { "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301" } ] }""", "LocalAuthentication.Users[0].Name est obligatoire")]
    [InlineData("""{ "Users": [ { "Name": "Camille", "ObjectId": "pas-un-guid" } ] }""", "LocalAuthentication.Users[0].ObjectId doit être un GUID")]
    [InlineData("""{ "Users": [ { "Name": "Camille" } ] }""", "LocalAuthentication.Users[0].ObjectId doit être un GUID")]
    [InlineData("""{ "Users": [ { "Name": "Camille", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Email": "camille chez exemple" } ] }""", "LocalAuthentication.Users[0].Email « camille chez exemple » n'est pas une adresse")]
    [InlineData("""{ "Users": [ { "Name": "Camille", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Role": ["Equipe"] } ] }""", "LocalAuthentication.Users[0] : propriété inconnue « Role »")]
    [InlineData("""{ "Users": [ { "Name": "Camille", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Roles": "Equipe" } ] }""", "LocalAuthentication.Users[0].Roles doit être une liste")]
    [InlineData("""{ "Users": [ { "Name": "Camille", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Roles": ["Equipe, Administration"] } ] }""", "LocalAuthentication.Users[0].Roles : chaque rôle")]
    [InlineData("""{ "Users": [ { "Name": "Script", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Token": "court" } ] }""", "LocalAuthentication.Users[0].Token doit faire au moins 16 caractères")]
    [InlineData("""{ "Users": [ { "Name": "Script d'élection", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301" } ] }""", "doit être en ASCII")]
    [InlineData("""{ "Users": [ { "Name": "A", "ObjectId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }, { "Name": "B", "ObjectId": "3F2504E0-4F89-41D3-9A0C-0305E82C3301" } ] }""", "LocalAuthentication.Users[0] et LocalAuthentication.Users[1] ont le même ObjectId")]
    public async Task AnInvalidLocalAuthenticationSectionIsRefusedSayingWhatToFix(string section, string expected)
    {
        var path = Path.Combine(TestApp.NewTempDirectory(), "local.settings.json");
        await File.WriteAllTextAsync(path, $$"""{ "Values": {}, "LocalAuthentication": {{section}} }""");

        var error = await Assert.ThrowsAsync<LocalHostException>(() => TestApp.StartAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoUsersWithTheSameTokenAreRefusedWithoutShowingTheToken()
    {
        const string token = "the-same-secret-token-twice";
        var path = Path.Combine(TestApp.NewTempDirectory(), "local.settings.json");
        await File.WriteAllTextAsync(path, $$"""
            { "LocalAuthentication": { "Users": [
                { "Name": "Script A", "ObjectId": "{{Oid}}", "Token": "{{token}}" },
                { "Name": "Script B", "ObjectId": "0c6d1a52-7e3b-4f28-9a41-d5b8e2f71c36", "Token": "{{token}}" } ] } }
            """);

        var error = await Assert.ThrowsAsync<LocalHostException>(() => TestApp.StartAsync(path));

        Assert.Contains("ont le même Token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSampleSettingsDeclarePeopleAndAnApplicationTheHostAccepts()
    {
        var root = new DirectoryInfo(TestApp.Directory);
        while (!File.Exists(Path.Combine(root.FullName, "ResoSolidaire.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Repository root not found above the test app.");
        }

        var users = LocalSettings.Load(Path.Combine(root.FullName, "local.settings.sample.json")).Authentication.Users;

        Assert.Contains(users, u => !u.IsApplication && u.Roles.Contains("Administration"));
        Assert.Contains(users, u => !u.IsApplication && u.Roles.SequenceEqual(["Equipe"]));
        Assert.Contains(users, u => u.IsApplication && u.Token is not null);
    }
}
