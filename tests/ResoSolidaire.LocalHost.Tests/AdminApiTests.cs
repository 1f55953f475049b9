using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

/// <summary>The admin API that operators' scripts and health probes use, as Azure's host answers it.</summary>
[Collection(SharedHostGroup.Name)]
public sealed class AdminApiTests(SharedHostFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    // Azure/azure-functions-host v4, Controllers/HostController.cs (GetHostStatus) and Models/HostStatus.cs: id, state,
    // version, versionDetails, processUptime (ms) and functionAppContentEditingState; the other members are left out
    // when empty. Its own test: SamplesEndToEndTests_CSharp.HostStatus_AdminLevel_Succeeds.
    [Fact]
    public async Task TheHostStatusAnswersTheMasterKeyWithTheRealHostsFields()
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "admin/host/status", TestApp.MasterKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(status.GetProperty("id").GetString()));
        Assert.True(status.GetProperty("id").GetString()!.Length <= 32);
        Assert.Equal("Running", status.GetProperty("state").GetString());
        Assert.StartsWith("4.", status.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(status.GetProperty("versionDetails").GetString()));
        Assert.True(status.GetProperty("processUptime").GetInt64() > 0);
        Assert.Equal("Unknown", status.GetProperty("functionAppContentEditingState").GetString());
        Assert.False(status.TryGetProperty("errors", out _));
    }

    // Same source: [Authorize(Policy = PolicyNames.AdminAuthLevelOrInternal)]. No key or an unknown one is not
    // authenticated (401); a host key is, at Function level, and is forbidden (403), as in
    // SamplesEndToEndTests_CSharp.AdminIsolation_ReturnsExpectedStatus.
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key", HttpStatusCode.Unauthorized)]
    [InlineData(TestApp.HostKey, HttpStatusCode.Forbidden)]
    public async Task TheHostStatusNeedsTheMasterKey(string? key, HttpStatusCode expected)
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "admin/host/status", key));

        Assert.Equal(expected, response.StatusCode);
    }

    // Same source: Ping takes GET and POST, has no [Authorize] and carries
    // [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]; its test HostPing_Succeeds expects
    // "no-store, no-cache".
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task PingAnswersAnyoneAndIsNeverCached(string method)
    {
        using var response = await _client.SendAsync(TestApp.Request(new HttpMethod(method), "admin/host/ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    // Azure/azure-functions-host v4, Controllers/FunctionsController.cs (List) and
    // Extensions/FunctionMetadataExtensions.cs: one FunctionMetadataResponse per function, its bindings under
    // config.bindings, invoke_url_template for HTTP triggers, isDisabled.
    [Fact]
    public async Task TheFunctionListGivesEveryFunctionWithItsBindings()
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "admin/functions", TestApp.MasterKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var functions = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(fixture.Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal), functions.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        var getItem = functions.Single(f => f.GetProperty("name").GetString() == "GetItem");
        var trigger = getItem.GetProperty("config").GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("items/{id:int}", trigger.GetProperty("route").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.EndsWith("/api/items/{id:int}", getItem.GetProperty("invoke_url_template").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/admin/functions/GetItem", getItem.GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.False(getItem.GetProperty("isDisabled").GetBoolean());

        var timer = functions.Single(f => f.GetProperty("name").GetString() == "TestTimer");
        var timerTrigger = Assert.Single(timer.GetProperty("config").GetProperty("bindings").EnumerateArray());
        Assert.Equal("timerTrigger", timerTrigger.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, timer.GetProperty("invoke_url_template").ValueKind);
        Assert.True(functions.Single(f => f.GetProperty("name").GetString() == "Disabled").GetProperty("isDisabled").GetBoolean());
    }

    // Same source: Get answers one function, NotFound() for a name the host does not know.
    [Fact]
    public async Task OneFunctionIsReadByNameAndAnUnknownOneIsNotFound()
    {
        using var known = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "admin/functions/Ping", TestApp.MasterKey));
        using var unknown = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "admin/functions/NoSuchFunction", TestApp.MasterKey));

        Assert.Equal("Ping", (await known.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    // Same source: [Authorize(Policy = PolicyNames.AdminAuthLevel)] on List.
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(TestApp.HostKey, HttpStatusCode.Forbidden)]
    public async Task TheFunctionListNeedsTheMasterKey(string? key, HttpStatusCode expected)
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "admin/functions", key));

        Assert.Equal(expected, response.StatusCode);
    }

    // Azure/azure-functions-host v4, WebJobsApplicationBuilderExtension.cs: the admin API is served by MVC's legacy
    // router (UseMvc, EnableEndpointRouting = false), which matches path and method before any [Authorize] runs:
    // an admin path or method it does not know is a 404, key or no key, never 401 or 405.
    [Theory]
    [InlineData("GET", "admin/nothing/here")]
    [InlineData("DELETE", "admin/host/status")]
    [InlineData("PUT", "admin/host/ping")]
    public async Task AnAdminRouteTheHostDoesNotServeIsNotFound(string method, string path)
    {
        using var anonymous = await _client.SendAsync(TestApp.Request(new HttpMethod(method), path));
        using var master = await _client.SendAsync(TestApp.Request(new HttpMethod(method), path, TestApp.MasterKey));

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, master.StatusCode);
    }
}
