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

    // Azure/azure-functions-host v4, Middleware/FunctionInvocationMiddleware.cs (GetResultAsync): "If the function is
    // disabled, return 'NotFound', unless the request is being made with Admin credentials"; Microsoft's "How to
    // disable functions" says the same of any other key.
    [Theory]
    [InlineData(null)]
    [InlineData(TestApp.HostKey)]
    public async Task ADisabledFunctionIsNotFoundWithoutTheMasterKey(string? key)
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "api/disabled", key));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(Assert.Single(fixture.Host.Functions, f => f.Name == "Disabled").IsDisabled);
    }

    // Same source: the master key still reaches a disabled HTTP function.
    [Fact]
    public async Task ADisabledFunctionIsServedToTheMasterKey()
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Get, "api/disabled", TestApp.MasterKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("disabled, served to the master key", await response.Content.ReadAsStringAsync());
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

    // Azure/azure-functions-host v4, Controllers/FunctionsController.cs (Invoke): GetFunctionOrNull, then NotFound().
    [Fact]
    public async Task RunningAnUnknownFunctionThroughTheAdminApiIsNotFound()
    {
        using var response = await _client.SendAsync(AdminRun("NoSuchFunction"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // Same source: the invocation is [FromBody] FunctionInvocation; an empty body binds null, and Invoke answers
    // BadRequest() before it looks for the function.
    [Theory]
    [InlineData("TestTimer")]
    [InlineData("NoSuchFunction")]
    public async Task RunningThroughTheAdminApiWithAnEmptyJsonBodyIsABadRequest(string name)
    {
        using var content = new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json");

        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Post, $"admin/functions/{name}", TestApp.MasterKey, content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    // Same source: FromBody needs an input formatter, and MVC's JSON formatters read JSON media types only
    // (UnsupportedContentTypeFilter answers 415 for the rest).
    [Fact]
    public async Task RunningThroughTheAdminApiWithoutAJsonContentTypeIsUnsupported()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain");

        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Post, "admin/functions/TestTimer", TestApp.MasterKey, content));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    // Same source: FunctionInvocation has a single optional Input, so {} is a complete invocation.
    [Fact]
    public async Task AnEmptyJsonObjectIsEnoughToRunATimer()
    {
        var before = Directory.GetFiles(fixture.TimerOutput).Length;
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Post, "admin/functions/TestTimer", TestApp.MasterKey, content));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await TestApp.EventuallyAsync(
            () => Directory.GetFiles(fixture.TimerOutput).Length > before,
            TimeSpan.FromSeconds(10),
            "the timer function should have written its run file");
    }

    // Same source: Invoke looks the function up among all the host's functions, disabled ones included (a disabled
    // timer never fires, but "Disabled functions can still be run by calling the REST endpoint using a master key",
    // Microsoft's "How to disable functions in Azure Functions").
    [Fact]
    public async Task ADisabledTimerStillRunsThroughTheAdminApi()
    {
        var output = Path.Combine(fixture.TimerOutput, "disabled");

        using var response = await _client.SendAsync(AdminRun("DisabledTimer"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await TestApp.EventuallyAsync(
            () => Directory.Exists(output) && Directory.GetFiles(output).Length > 0,
            TimeSpan.FromSeconds(10),
            "the disabled timer should have run once through the admin API");
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
