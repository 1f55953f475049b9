using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

[Collection(SharedHostGroup.Name)]
public sealed class BehaviourTests(SharedHostFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    private static HttpRequestMessage AdminRun(string name, string key = TestApp.MasterKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"admin/functions/{name}", UriKind.Relative))
        {
            Content = JsonContent.Create(new { input = string.Empty }),
        };
        request.Headers.Add("x-functions-key", key);
        return request;
    }

    [Fact]
    public async Task AThrowingFunctionGivesA500ProblemWithoutStackTrace()
    {
        using var response = await _client.GetAsync(new Uri("api/throws", UriKind.Relative));

        var problem = await TestApp.ProblemAsync(response, 500);
        Assert.Equal("Erreur interne", problem.GetProperty("title").GetString());
        var body = problem.GetRawText();
        Assert.DoesNotContain("Boom", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Greeting", "bonjour")]
    [InlineData(SharedHostFixture.OverriddenSetting, "from-overrides")]
    [InlineData("ConnectionStrings:Tables", "UseDevelopmentStorage=true")]
    public async Task SettingsReachTheWorkerAsConfiguration(string name, string expected)
    {
        var setting = await _client.GetFromJsonAsync<JsonElement>($"api/settings/{Uri.EscapeDataString(name)}");

        Assert.Equal(expected, setting.GetProperty("value").GetString());
    }

    [Fact]
    public async Task ADisabledFunctionIsNotServed()
    {
        using var response = await _client.GetAsync(new Uri("api/disabled", UriKind.Relative));

        await TestApp.ProblemAsync(response, 404);
        Assert.True(Assert.Single(fixture.Host.Functions, f => f.Name == "Disabled").IsDisabled);
    }

    [Fact]
    public async Task ATimerRunThroughTheAdminApiIsAcceptedThenRuns()
    {
        var before = Directory.GetFiles(fixture.TimerOutput).Length;

        using var response = await _client.SendAsync(AdminRun("TestTimer"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await TestApp.EventuallyAsync(
            () => Directory.GetFiles(fixture.TimerOutput).Length > before,
            TimeSpan.FromSeconds(10),
            "the timer function should have written its run file");
    }

    [Fact]
    public async Task RunningAnUnknownFunctionThroughTheAdminApiIsNotFound()
    {
        using var response = await _client.SendAsync(AdminRun("NoSuchFunction"));

        await TestApp.ProblemAsync(response, 404);
    }

    [Fact]
    public async Task RunningAnHttpFunctionThroughTheAdminApiIsRefused()
    {
        using var response = await _client.SendAsync(AdminRun("Ping"));

        await TestApp.ProblemAsync(response, 400);
    }

    [Fact]
    public async Task APreflightFromAConfiguredOriginIsGranted()
    {
        using var request = Preflight(TestApp.AllowedOrigin);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(TestApp.AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("content-type", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task APreflightFromAForeignOriginGetsNoAllowOrigin()
    {
        using var request = Preflight("https://ailleurs.example.com");

        using var response = await _client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnActualRequestFromAConfiguredOriginCarriesAllowOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/Ping", UriKind.Relative));
        request.Headers.Add("Origin", TestApp.AllowedOrigin);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestApp.AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri("api/items", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }
}
