using System.Net;
using System.Net.Sockets;

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
}
