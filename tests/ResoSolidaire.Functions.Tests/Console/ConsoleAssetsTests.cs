using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>The console's vendored libraries are exactly the files npm installs for package.json's versions, and the app serves them.</summary>
public sealed class ConsoleAssetsTests
{
    private static readonly string Assets = RepoPaths.Combine("functions", "ResoSolidaire.Functions", "Platform", "Console", "Assets");

    [Theory]
    [InlineData(ConsoleAssets.Htmx, "htmx.org/dist/htmx.min.js")]
    [InlineData(ConsoleAssets.Charts, "chart.js/dist/chart.umd.min.js")]
    public void AVendoredLibraryIsTheFileNpmInstalls(string asset, string package)
    {
        var installed = RepoPaths.Combine(["node_modules", .. package.Split('/')]);

        Assert.Equal(File.ReadAllBytes(installed), File.ReadAllBytes(Path.Combine(Assets, asset)));
        Assert.Equal(File.ReadAllBytes(installed), ConsoleAssets.Find(asset)!.Content);
    }

    [Fact]
    public void OnlyTheListedFilesAreServed()
    {
        Assert.NotNull(ConsoleAssets.Find(ConsoleAssets.StyleSheet));
        Assert.Null(ConsoleAssets.Find("../host.json"));
        Assert.Null(ConsoleAssets.Find("htmx.LICENSE.txt"));
    }
}
