using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;

namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>
/// App Service Authentication as infra/app/api.bicep configures it: Entra ID on, every anonymous route of the
/// function app excluded, no staff route or console page excluded. The routes are read from the app's functions.
/// </summary>
public sealed class StaffSignInInfrastructureTests
{
    private static readonly string[] _staffPrefixes = ["staff/", "equipe"];

    [Fact]
    public async Task EntraIdSignInIsRequiredOverHttpsWithTheTokenStoreOn()
    {
        var auth = await AuthSettingsAsync();
        var aad = auth["identityProviders"]!["azureActiveDirectory"]!;

        Assert.True((bool?)auth["platform"]!["enabled"]);
        Assert.True((bool?)auth["globalValidation"]!["requireAuthentication"]);
        Assert.Equal("RedirectToLoginPage", (string?)auth["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.True((bool?)auth["httpSettings"]!["requireHttps"]);
        Assert.True((bool?)auth["login"]!["tokenStore"]!["enabled"]);
        Assert.True((bool?)aad["enabled"]);
        Assert.Contains("staffAuthClientId", (string?)aad["registration"]!["clientId"], StringComparison.Ordinal);
        Assert.Contains("staffAuthTenantId", (string?)aad["registration"]!["openIdIssuer"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAnonymousRouteIsExcludedAndNoStaffRouteIs()
    {
        var excluded = (await AuthSettingsAsync())["globalValidation"]!["excludedPaths"]!.AsArray()
            .Select(p => (string)p!).ToList();
        var routes = HttpRoutes().ToList();
        var publicRoutes = routes.Where(r => !IsStaff(r)).ToList();
        var staffRoutes = routes.Where(IsStaff).ToList();

        Assert.NotEmpty(publicRoutes);
        Assert.NotEmpty(staffRoutes);
        Assert.All(publicRoutes, route => Assert.True(excluded.Any(p => Matches(p, route)), $"/api/{route} is anonymous but App Service Authentication would ask for a sign-in: add it to excludedPaths."));
        Assert.All(staffRoutes, route => Assert.False(excluded.Any(p => Matches(p, route)), $"/api/{route} is a staff route: it must not be in excludedPaths."));
    }

    private static async Task<JsonNode> AuthSettingsAsync()
    {
        var resource = Assert.Single(
            await BicepTemplate.ResourcesAsync(),
            r => BicepTemplate.IsOfType(r, "Microsoft.Web/sites/config") && ((string?)r["name"] ?? "").Contains("authsettingsV2", StringComparison.Ordinal));
        return resource["properties"]!;
    }

    private static bool IsStaff(string route) => _staffPrefixes.Any(p => route.StartsWith(p, StringComparison.Ordinal));

    /// <summary>An excluded path matches exactly, or by its trailing <c>/*</c>; route parameters stand for one segment.</summary>
    private static bool Matches(string excludedPath, string route)
    {
        var path = "/api/" + System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", "x");
        return excludedPath.EndsWith("/*", StringComparison.Ordinal)
            ? path.StartsWith(excludedPath[..^1], StringComparison.Ordinal)
            : path == excludedPath;
    }

    private static IEnumerable<string> HttpRoutes() =>
        typeof(ResoSolidaireApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
}
