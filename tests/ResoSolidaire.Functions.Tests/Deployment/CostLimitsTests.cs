using System.Globalization;
using System.Text.Json.Nodes;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>The limits docs/cost.md counts on, read from the compiled template and host.json, so that an edit cannot lift them unseen.</summary>
public sealed class CostLimitsTests
{
    private const string Workspace = "Microsoft.OperationalInsights/workspaces";

    [Fact]
    public async Task TheLogAnalyticsWorkspaceStopsIngestingPastADailyCapOfAFewHundredMegabytes()
    {
        var cap = await BicepTemplate.DeployedValueAsync(Workspace, "properties", "workspaceCapping", "dailyQuotaGb");

        Assert.NotNull(cap);
        var gb = cap.GetValue<double>();
        Assert.InRange(gb, 0.05, 0.5);
    }

    [Fact]
    public async Task TheLogAnalyticsWorkspaceKeepsLogsNoLongerThanTheRetentionIncludedInThePrice()
    {
        var retention = await BicepTemplate.DeployedValueAsync(Workspace, "properties", "retentionInDays");

        Assert.NotNull(retention);
        Assert.Equal(30, retention.GetValue<int>());
    }

    [Fact]
    public async Task ApplicationInsightsWritesIntoThatCappedWorkspace()
    {
        var component = Assert.Single(await BicepTemplate.ResourcesAsync(), r => BicepTemplate.IsOfType(r, "Microsoft.Insights/components"));

        Assert.Contains(Workspace, (string?)component["properties"]!["WorkspaceResourceId"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("LogAnalytics", (string?)component["properties"]!["IngestionMode"]);
    }

    [Fact]
    public async Task TheFunctionAppHasNoAlwaysReadyInstanceUnlessTheOperatorAsksForOne()
    {
        var count = await BicepTemplate.MainParameterDefaultAsync("alwaysReadyHttpInstances");
        var site = Assert.Single(await BicepTemplate.ResourcesAsync(), r => BicepTemplate.IsOfType(r, "Microsoft.Web/sites"));
        var alwaysReady = (string?)site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"];

        Assert.Equal(0, count?.GetValue<int>());
        Assert.Contains("parameters('alwaysReadyHttpInstances')", alwaysReady, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStorageAccountIsZoneRedundantByDefault()
    {
        var sku = await BicepTemplate.DeployedValueAsync("Microsoft.Storage/storageAccounts", "sku", "name");

        Assert.Equal("Standard_ZRS", (string?)sku);
    }

    [Fact]
    public void TelemetryIsSampledButEveryRequestAndExceptionIsKept()
    {
        var sampling = HostJson()["logging"]!["applicationInsights"]!["samplingSettings"]!;
        var excluded = ((string?)sampling["excludedTypes"] ?? "").Split(';', StringSplitOptions.TrimEntries);

        Assert.True((bool?)sampling["isEnabled"], "Adaptive sampling must stay on: it bounds a burst of traces.");
        Assert.InRange(int.Parse(sampling["maxTelemetryItemsPerSecond"]!.ToString(), CultureInfo.InvariantCulture), 1, 20);
        Assert.Contains("Request", excluded);
        Assert.Contains("Exception", excluded);
    }

    [Fact]
    public void TheHostLogsItsOwnChatterOnlyFromWarningsButKeepsRequestsAndFunctionLogs()
    {
        var logging = HostJson()["logging"]!;
        var levels = logging["logLevel"]!;

        Assert.False((bool?)logging["applicationInsights"]!["enableDependencyTracking"], "The host's own storage calls (timer status, locks) are not worth a row each.");
        Assert.Equal("Warning", (string?)levels["Host"]);
        Assert.Equal("Information", (string?)levels["Host.Results"]);
        Assert.Equal("Information", (string?)levels["Function"]);
    }

    private static JsonNode HostJson() =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("functions", "ResoSolidaire.Functions", "host.json")))!;
}
