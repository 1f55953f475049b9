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

        var problem = await TestApp.ProblemAsync(response, 404);
        Assert.Equal("Ressource introuvable", problem.GetProperty("title").GetString());
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
    public async Task AnUnknownPathIsAnsweredNotFoundAsAProblem()
    {
        using var response = await _client.GetAsync(new Uri("api/nothing/here", UriKind.Relative));

        await TestApp.ProblemAsync(response, 404);
    }

    [Fact]
    public async Task AKnownRouteWithTheWrongMethodIsAnsweredMethodNotAllowedAsAProblem()
    {
        using var response = await _client.DeleteAsync(new Uri("api/items/5", UriKind.Relative));

        var problem = await TestApp.ProblemAsync(response, 405);
        Assert.Equal("Méthode non autorisée", problem.GetProperty("title").GetString());
        Assert.Contains("GET", response.Content.Headers.Allow);
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
