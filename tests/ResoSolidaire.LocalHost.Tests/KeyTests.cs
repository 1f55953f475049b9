using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

[Collection(SharedHostGroup.Name)]
public sealed class KeyTests(SharedHostFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    private static HttpRequestMessage Get(string path, string? headerKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (headerKey is not null)
        {
            request.Headers.Add("x-functions-key", headerKey);
        }

        return request;
    }

    [Fact]
    public async Task AFunctionLevelFunctionRefusesARequestWithoutKey()
    {
        using var response = await _client.SendAsync(Get("api/secured"));

        var problem = await TestApp.ProblemAsync(response, 401);
        Assert.Equal("Non autorisé", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AFunctionLevelFunctionRefusesAWrongKey()
    {
        using var response = await _client.SendAsync(Get("api/secured", "not-a-key"));

        await TestApp.ProblemAsync(response, 401);
    }

    [Theory]
    [InlineData(TestApp.SecuredKey)]
    [InlineData(TestApp.HostKey)]
    [InlineData(TestApp.MasterKey)]
    public async Task AFunctionLevelFunctionAcceptsItsKeyAHostKeyOrTheMasterKeyInTheHeader(string key)
    {
        using var response = await _client.SendAsync(Get("api/secured", key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(TestApp.SecuredKey)]
    [InlineData(TestApp.HostKey)]
    public async Task AFunctionLevelFunctionAcceptsAKeyInTheCodeParameter(string key)
    {
        using var response = await _client.SendAsync(Get($"api/secured?code={key}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnotherFunctionsKeyIsRefused()
    {
        using var response = await _client.SendAsync(Get("api/whoami", TestApp.SecuredKey));

        await TestApp.ProblemAsync(response, 401);
    }

    [Fact]
    public async Task AnAdminLevelFunctionRefusesAHostKeyAndAcceptsTheMasterKey()
    {
        using var withHostKey = await _client.SendAsync(Get("api/admin-only", TestApp.HostKey));
        using var withMasterKey = await _client.SendAsync(Get("api/admin-only", TestApp.MasterKey));

        await TestApp.ProblemAsync(withHostKey, 401);
        Assert.Equal(HttpStatusCode.OK, withMasterKey.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TestApp.HostKey)]
    [InlineData("wrong")]
    public async Task TheAdminApiRefusesAnythingButTheMasterKey(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("admin/functions/TestTimer", UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await _client.SendAsync(request);

        await TestApp.ProblemAsync(response, 401);
    }

    [Fact]
    public async Task AKeyAuthorizedRequestReachesTheAppAsTheKeysPrincipalNotAForgedOne()
    {
        using var request = Get("api/whoami", TestApp.HostKey);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "forged-admin");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-IDP", "aad");

        using var response = await _client.SendAsync(request);

        var principal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TestApp.HostKeyName, principal.GetProperty("name").GetString());
        Assert.Equal("functionkey", principal.GetProperty("idp").GetString());
    }

    [Fact]
    public async Task TheMasterKeyIsNamedMaster()
    {
        using var response = await _client.SendAsync(Get("api/whoami", TestApp.MasterKey));

        var principal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("master", principal.GetProperty("name").GetString());
    }

    [Fact]
    public async Task AnAnonymousFunctionNeverSeesAClientSentPrincipal()
    {
        using var request = Get("api/whoami-anonymous");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "forged-admin");

        using var response = await _client.SendAsync(request);

        var principal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(string.Empty, principal.GetProperty("name").GetString());
    }
}
