using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

[Collection(SharedHostGroup.Name)]
public sealed class RoutingTests(SharedHostFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task AnIntConstrainedRouteReachesTheFunctionWithItsValue()
    {
        var item = await _client.GetFromJsonAsync<JsonElement>("api/items/42");

        Assert.Equal(42, item.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task AValueThatFailsTheConstraintIsAnsweredNotFoundByTheHost()
    {
        using var response = await _client.GetAsync(new Uri("api/items/abc", UriKind.Relative));

        // Only the status: Azure's host answers its own 404 with an empty body (see the host's README).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ALiteralSegmentWinsOverAParameter()
    {
        var item = await _client.GetFromJsonAsync<JsonElement>("api/items/by-slug/soupe-populaire");

        Assert.Equal("soupe-populaire", item.GetProperty("slug").GetString());
    }

    [Theory]
    [InlineData("api/archive/2024", null)]
    [InlineData("api/archive/2024/05", "05")]
    public async Task AnOptionalParameterMayBeLeftOutOrGiven(string path, string? month)
    {
        var archive = await _client.GetFromJsonAsync<JsonElement>(path);

        Assert.Equal(2024, archive.GetProperty("year").GetInt32());
        Assert.Equal(month, archive.GetProperty("month").GetString());
    }

    [Fact]
    public async Task ACatchAllParameterTakesTheRestOfThePath()
    {
        var file = await _client.GetFromJsonAsync<JsonElement>("api/files/2024/rapports/bilan.pdf");

        Assert.Equal("2024/rapports/bilan.pdf", file.GetProperty("path").GetString());
    }

    [Fact]
    public async Task AFunctionWithoutRouteIsServedUnderItsName()
    {
        var pong = await _client.GetStringAsync(new Uri("api/Ping", UriKind.Relative));

        Assert.Equal("pong", pong);
    }

    [Fact]
    public async Task AnUnknownPathIsAnsweredNotFound()
    {
        using var response = await _client.GetAsync(new Uri("api/nothing/here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // Azure/azure-functions-host v4, src/WebJobs.Script.WebHost/WebScriptHostHttpRoutesManager.cs: the trigger's
    // methods become an "httpMethod" HttpMethodRouteConstraint, so a method the function does not declare matches
    // no route at all. Nothing in the host answers 405, and HEAD is not taken for GET.
    [Theory]
    [InlineData("DELETE", "api/Ping")]
    [InlineData("HEAD", "api/Ping")]
    [InlineData("PUT", "api/items/5")]
    [InlineData("POST", "api/items/5")]
    public async Task AMethodNoFunctionDeclaresOnAKnownRouteIsNotFoundNeverMethodNotAllowed(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(response.Content.Headers.Allow);
    }

    // Same source: one route template may carry several functions, each under its own method constraint.
    [Fact]
    public async Task TwoFunctionsOnOneRouteEachAnswerTheirOwnMethod()
    {
        var read = await _client.GetFromJsonAsync<JsonElement>("api/items/7");
        using var deleted = await _client.DeleteAsync(new Uri("api/items/7", UriKind.Relative));

        Assert.Equal("item", read.GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("deleted", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task APostedBodyAndTheQueryStringReachTheFunction()
    {
        using var content = new StringContent("colis de Noël", System.Text.Encoding.UTF8, "text/plain");
        using var response = await _client.PostAsync(new Uri("api/items?tag=urgent", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("colis de Noël", created.GetProperty("received").GetString());
        Assert.Equal("urgent", created.GetProperty("query").GetString());
    }

    [Fact]
    public void TheFunctionListGivesRoutesWithTheirPrefixAndMethods()
    {
        var getItem = Assert.Single(fixture.Host.Functions, f => f.Name == "GetItem");

        Assert.Equal("httpTrigger", getItem.TriggerType);
        Assert.Equal("api/items/{id:int}", getItem.Route);
        Assert.Equal(["GET"], getItem.Methods);
        Assert.Equal(FunctionAuthLevel.Anonymous, getItem.AuthLevel);
        var timer = Assert.Single(fixture.Host.Functions, f => f.Name == "TestTimer");
        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Null(timer.Route);
    }
}
