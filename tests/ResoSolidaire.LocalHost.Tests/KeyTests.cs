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

        // Only the status: Azure's 401 has an empty body (FunctionInvocationMiddleware returns UnauthorizedResult).
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AFunctionLevelFunctionRefusesAWrongKey()
    {
        using var response = await _client.SendAsync(Get("api/secured", "not-a-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
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

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AnAdminLevelFunctionRefusesAHostKeyAndAcceptsTheMasterKey()
    {
        using var withHostKey = await _client.SendAsync(Get("api/admin-only", TestApp.HostKey));
        using var withMasterKey = await _client.SendAsync(Get("api/admin-only", TestApp.MasterKey));

        Assert.Equal(HttpStatusCode.Unauthorized, withHostKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withMasterKey.StatusCode);
    }

    // Azure/azure-functions-host v4: FunctionsController.Invoke carries [Authorize(Policy = PolicyNames.AdminAuthLevel)];
    // AuthenticationLevelHandler gives no identity for a missing or unknown key (challenge: 401) and looks function
    // keys up only inside their function (SecretManager.GetAuthorizationLevelAsync), so one is unknown here too.
    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData(TestApp.SecuredKey)]
    public async Task TheAdminApiRefusesAMissingOrUnknownKeyWith401(string? key)
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Post, "admin/functions/TestTimer", key, JsonContent.Create(new { input = string.Empty })));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // Same policy: a host key is a valid identity at Function level, so the policy forbids it (403), not 401.
    [Fact]
    public async Task TheAdminApiRefusesAHostKeyWith403()
    {
        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Post, "admin/functions/TestTimer", TestApp.HostKey, JsonContent.Create(new { input = string.Empty })));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    // Azure/azure-functions-host v4, Security/Authentication/Keys/AuthenticationLevelHandler.cs: a key becomes claims
    // of the host's own principal (auth level, key name), never a request header; only App Service Authentication
    // sets X-MS-CLIENT-PRINCIPAL-NAME, for a signed-in caller or a bearer token (see AuthenticationTests).
    [Theory]
    [InlineData(TestApp.HostKey)]
    [InlineData(TestApp.MasterKey)]
    public async Task AKeyAuthorizedRequestReachesTheAppWithoutAnyPrincipalHeader(string key)
    {
        using var response = await _client.SendAsync(Get("api/whoami", key));

        var principal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(string.Empty, principal.GetProperty("name").GetString());
        Assert.Equal(string.Empty, principal.GetProperty("idp").GetString());
    }

    // In front of the host, App Service Authentication (emulated here) removes every X-MS-CLIENT-PRINCIPAL*
    // header a caller sends, whatever key the request carries: "External requests aren't allowed to set
    // these headers" (Learn, "Work with user identities in Azure App Service authentication").
    [Fact]
    public async Task ACallersOwnPrincipalHeadersNeverReachTheAppEvenWithAKey()
    {
        using var request = Get("api/whoami", TestApp.HostKey);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "sent-by-the-caller");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-IDP", "aad");

        using var response = await _client.SendAsync(request);

        var principal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(string.Empty, principal.GetProperty("name").GetString());
        Assert.Equal(string.Empty, principal.GetProperty("idp").GetString());
    }

    [Fact]
    public async Task AnAnonymousFunctionNeverSeesACallersPrincipalHeader()
    {
        using var request = Get("api/whoami-anonymous");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "sent-by-the-caller");

        using var response = await _client.SendAsync(request);

        var principal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(string.Empty, principal.GetProperty("name").GetString());
    }
}
