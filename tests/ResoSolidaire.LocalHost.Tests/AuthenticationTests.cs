using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

/// <summary>
/// The emulated App Service Authentication (Easy Auth v2, Microsoft Entra ID): the development sign-in
/// page, <c>/.auth/me</c>, <c>/.auth/logout</c>, and the X-MS-CLIENT-PRINCIPAL* headers the app receives.
/// </summary>
[Collection(SharedHostGroup.Name)]
public sealed class AuthenticationTests(SharedHostFixture fixture) : IDisposable
{
    private const string EmailClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string RoleClaimType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    // No cookie jar and no redirects followed: every test sees the Set-Cookie and Location it gets.
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = fixture.Host.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public void Dispose() => _client.Dispose();

    private Task<HttpResponseMessage> SignInAsync(params (string Name, string Value)[] fields) =>
        _client.PostAsync(
            new Uri("/.auth/login/aad", UriKind.Relative),
            new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    private async Task<string> SessionOfAsync(string objectId)
    {
        using var response = await SignInAsync(("utilisateur", objectId), ("post_login_redirect_uri", "/"));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return SessionCookie(response);
    }

    private static string SetCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("AppServiceAuthSession=", StringComparison.Ordinal));

    private static string SessionCookie(HttpResponseMessage response) => SetCookie(response).Split(';')[0];

    private static HttpRequestMessage Get(string path, string? cookie = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {bearer}");
        }

        return request;
    }

    /// <summary>The X-MS-CLIENT-PRINCIPAL* and X-MS-TOKEN-* headers the function received, by upper-case name.</summary>
    private async Task<Dictionary<string, string>> SeenByTheAppAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        }
    }

    private static JsonElement Decode(string principal) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(principal))).RootElement.Clone();

    private static List<(string Type, string Value)> Claims(JsonElement claims) =>
        [.. claims.EnumerateArray().Select(c => (c.GetProperty("typ").GetString()!, c.GetProperty("val").GetString()!))];

    [Fact]
    public async Task TheSignInPageIsAFrenchFormListingTheConfiguredPeople()
    {
        using var response = await _client.GetAsync(new Uri("/.auth/login/aad?post_login_redirect_uri=/staff/accueil", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\">", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Connexion de développement</h1>", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{TestApp.CamilleObjectId}\"", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"utilisateur-0\">Camille Martin</label>", page, StringComparison.Ordinal);
        Assert.Contains(TestApp.CamilleEmail, page, StringComparison.Ordinal);
        Assert.Contains(TestApp.DominiqueName, page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"nom\">Nom</label>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"courriel\">Adresse électronique</label>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"role-0\">Équipe</label>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"role-1\">Administration</label>", page, StringComparison.Ordinal);
        Assert.Contains("rôle : Équipe", page, StringComparison.Ordinal);
        Assert.Contains("name=\"post_login_redirect_uri\" value=\"/staff/accueil\"", page, StringComparison.Ordinal);
        // An application signs in with its token, not on this page.
        Assert.DoesNotContain(TestApp.ImportObjectId, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInPageCarriesOnlyALocalReturnPath()
    {
        using var response = await _client.GetAsync(new Uri("/.auth/login/aad?post_login_redirect_uri=https://evil.example/", UriKind.Relative));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("name=\"post_login_redirect_uri\" value=\"/\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningInSetsAnOpaqueHttpOnlyLaxSessionCookieAndRedirectsToTheLocalPath()
    {
        using var response = await SignInAsync(("utilisateur", TestApp.CamilleObjectId), ("post_login_redirect_uri", "/staff/accueil?onglet=suivi"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/staff/accueil?onglet=suivi", response.Headers.Location?.OriginalString);
        var attributes = SetCookie(response).Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("httponly", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/", attributes, StringComparer.OrdinalIgnoreCase);
        var value = attributes[0]["AppServiceAuthSession=".Length..];
        Assert.True(value.Length >= 40, "the session id is long and random");
        Assert.DoesNotContain(TestApp.CamilleObjectId, value, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("camille", value, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task SigningInNeverRedirectsOffTheSite(string target)
    {
        using var response = await SignInAsync(("utilisateur", TestApp.CamilleObjectId), ("post_login_redirect_uri", target));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task MeAnswersTheSignedInPersonInAzuresFormat()
    {
        var cookie = await SessionOfAsync(TestApp.CamilleObjectId);

        using var response = await _client.SendAsync(Get("/.auth/me", cookie));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var me = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Equal("aad", me.GetProperty("provider_name").GetString());
        Assert.Equal(TestApp.CamilleEmail, me.GetProperty("user_id").GetString());
        var claims = Claims(me.GetProperty("user_claims"));
        Assert.Contains(("name", TestApp.CamilleName), claims);
        Assert.Contains((ObjectIdClaim, TestApp.CamilleObjectId), claims);
        Assert.Contains(("preferred_username", TestApp.CamilleEmail), claims);
        Assert.Contains((EmailClaim, TestApp.CamilleEmail), claims);
        Assert.Equal(["Equipe"], claims.Where(c => c.Type == "roles").Select(c => c.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AppServiceAuthSession=not-a-session-this-host-opened")]
    public async Task MeIs401WithoutASession(string? cookie)
    {
        using var response = await _client.SendAsync(Get("/.auth/me", cookie));

        var problem = await TestApp.ProblemAsync(response, 401);
        Assert.Equal("Non connecté", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task SigningOutEndsTheSessionClearsTheCookieAndRedirectsLocally()
    {
        var cookie = await SessionOfAsync(TestApp.CamilleObjectId);

        using var logout = await _client.SendAsync(Get("/.auth/logout?post_logout_redirect_uri=/au-revoir", cookie));
        using var me = await _client.SendAsync(Get("/.auth/me", cookie));
        var seen = await SeenByTheAppAsync(Get("api/principal", cookie));

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal("/au-revoir", logout.Headers.Location?.OriginalString);
        Assert.Contains("expires=Thu, 01 Jan 1970", SetCookie(logout), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task SigningOutNeverRedirectsOffTheSite()
    {
        using var logout = await _client.SendAsync(Get("/.auth/logout?post_logout_redirect_uri=//evil.example/"));

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal("/", logout.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ASignedInPersonReachesTheFunctionWithThePlatformsPrincipalHeaders()
    {
        var cookie = await SessionOfAsync(TestApp.CamilleObjectId);

        var seen = await SeenByTheAppAsync(Get("api/principal", cookie));

        Assert.Equal(TestApp.CamilleObjectId, seen["X-MS-CLIENT-PRINCIPAL-ID"]);
        Assert.Equal(TestApp.CamilleEmail, seen["X-MS-CLIENT-PRINCIPAL-NAME"]);
        Assert.Equal("aad", seen["X-MS-CLIENT-PRINCIPAL-IDP"]);
        var principal = Decode(seen["X-MS-CLIENT-PRINCIPAL"]);
        Assert.Equal("aad", principal.GetProperty("auth_typ").GetString());
        Assert.Equal(EmailClaim, principal.GetProperty("name_typ").GetString());
        Assert.Equal(RoleClaimType, principal.GetProperty("role_typ").GetString());
        var claims = Claims(principal.GetProperty("claims"));
        Assert.Contains(("name", TestApp.CamilleName), claims);
        Assert.Contains((ObjectIdClaim, TestApp.CamilleObjectId), claims);
        Assert.Contains(("preferred_username", TestApp.CamilleEmail), claims);
        Assert.Equal(["Equipe"], claims.Where(c => c.Type == "roles").Select(c => c.Value));
    }

    [Fact]
    public async Task AnApplicationsBearerTokenReachesTheFunctionAsThatApplication()
    {
        var seen = await SeenByTheAppAsync(Get("api/principal", bearer: TestApp.ImportToken));

        Assert.Equal(TestApp.ImportObjectId, seen["X-MS-CLIENT-PRINCIPAL-ID"]);
        Assert.Equal(TestApp.ImportName, seen["X-MS-CLIENT-PRINCIPAL-NAME"]);
        Assert.Equal("aad", seen["X-MS-CLIENT-PRINCIPAL-IDP"]);
        var claims = Claims(Decode(seen["X-MS-CLIENT-PRINCIPAL"]).GetProperty("claims"));
        Assert.Contains((ObjectIdClaim, TestApp.ImportObjectId), claims);
        Assert.Equal(["Administration"], claims.Where(c => c.Type == "roles").Select(c => c.Value));
        // An application's token names no user: no e-mail, no preferred_username.
        Assert.DoesNotContain(claims, c => c.Type is "preferred_username" or EmailClaim);
    }

    [Fact]
    public async Task APersonsBearerTokenCarriesTheirNameAndEveryRole()
    {
        var seen = await SeenByTheAppAsync(Get("api/principal", bearer: TestApp.DominiqueToken));

        Assert.Equal(TestApp.DominiqueEmail, seen["X-MS-CLIENT-PRINCIPAL-NAME"]);
        var claims = Claims(Decode(seen["X-MS-CLIENT-PRINCIPAL"]).GetProperty("claims"));
        Assert.Contains(("name", TestApp.DominiqueName), claims);
        Assert.Equal(["Equipe", "Administration"], claims.Where(c => c.Type == "roles").Select(c => c.Value));
    }

    [Theory]
    [InlineData("api/principal")]
    [InlineData("/.auth/me")]
    public async Task AnUnknownBearerTokenIsRefusedBeforeTheApp(string path)
    {
        using var response = await _client.SendAsync(Get(path, bearer: "a-token-nobody-was-given-0123"));

        var problem = await TestApp.ProblemAsync(response, 401);
        Assert.Equal("Non autorisé", problem.GetProperty("title").GetString());
        Assert.Contains("LocalAuthentication.Users", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Forged(HttpRequestMessage request)
    {
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"Administration"}],"name_typ":"name","role_typ":"roles"}"""));
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", forged);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", "00000000-0000-0000-0000-000000000001");
        request.Headers.Add("x-ms-client-principal-name", "forged@evil.example");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-IDP", "aad");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ROLES", "Administration");
        request.Headers.Add("X-MS-TOKEN-AAD-ID-TOKEN", "forged.id.token");
        request.Headers.Add("X-MS-TOKEN-AAD-ACCESS-TOKEN", "forged.access.token");
        return request;
    }

    [Fact]
    public async Task ForgedPrincipalHeadersFromAnAnonymousCallerNeverReachTheApp()
    {
        var seen = await SeenByTheAppAsync(Forged(Get("api/principal")));

        Assert.Empty(seen);
    }

    [Fact]
    public async Task ForgedPrincipalHeadersFromASignedInCallerAreReplacedByThePlatformsOwn()
    {
        var cookie = await SessionOfAsync(TestApp.CamilleObjectId);

        var seen = await SeenByTheAppAsync(Forged(Get("api/principal", cookie)));

        Assert.Equal(
            ["X-MS-CLIENT-PRINCIPAL", "X-MS-CLIENT-PRINCIPAL-ID", "X-MS-CLIENT-PRINCIPAL-IDP", "X-MS-CLIENT-PRINCIPAL-NAME"],
            seen.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TestApp.CamilleObjectId, seen["X-MS-CLIENT-PRINCIPAL-ID"]);
        Assert.Equal(TestApp.CamilleEmail, seen["X-MS-CLIENT-PRINCIPAL-NAME"]);
        var claims = Claims(Decode(seen["X-MS-CLIENT-PRINCIPAL"]).GetProperty("claims"));
        Assert.Equal(["Equipe"], claims.Where(c => c.Type == "roles").Select(c => c.Value));
    }

    [Fact]
    public async Task AnotherPersonCanSignInWithTheRolesTheyTickAndKeepsTheSameObjectId()
    {
        (string, string)[] form = [("utilisateur", "autre"), ("nom", "Hélène Durand"), ("courriel", "helene.durand@exemple.fr"), ("roles", "Equipe"), ("post_login_redirect_uri", "/staff/")];
        using var first = await SignInAsync(form);
        using var second = await SignInAsync(form);

        var seen = await SeenByTheAppAsync(Get("api/principal", SessionCookie(first)));
        var again = await SeenByTheAppAsync(Get("api/principal", SessionCookie(second)));

        Assert.Equal("/staff/", first.Headers.Location?.OriginalString);
        Assert.Equal("helene.durand@exemple.fr", seen["X-MS-CLIENT-PRINCIPAL-NAME"]);
        Assert.True(Guid.TryParse(seen["X-MS-CLIENT-PRINCIPAL-ID"], out _));
        Assert.Equal(seen["X-MS-CLIENT-PRINCIPAL-ID"], again["X-MS-CLIENT-PRINCIPAL-ID"]);
        var claims = Claims(Decode(seen["X-MS-CLIENT-PRINCIPAL"]).GetProperty("claims"));
        Assert.Contains(("name", "Hélène Durand"), claims);
        Assert.Equal(["Equipe"], claims.Where(c => c.Type == "roles").Select(c => c.Value));
    }

    [Fact]
    public async Task AnotherPersonWithoutNameOrValidEmailSeesTheErrorsBesideTheFields()
    {
        using var response = await SignInAsync(("utilisateur", "autre"), ("nom", ""), ("courriel", "<script>alert(1)</script>"), ("post_login_redirect_uri", "/staff/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Erreur : ", page, StringComparison.Ordinal);
        Assert.Contains("Il y a un problème", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#nom\">Indiquez le nom.</a>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#courriel\">", page, StringComparison.Ordinal);
        Assert.Contains("id=\"courriel-erreur\"", page, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("name=\"post_login_redirect_uri\" value=\"/staff/\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARoleThatIsNotOfferedCannotBeTicked()
    {
        using var response = await SignInAsync(("utilisateur", "autre"), ("nom", "Hélène Durand"), ("courriel", "helene.durand@exemple.fr"), ("roles", "SuperAdmin"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#role-0\">Choisissez des rôles de la liste.</a>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"roles-erreur\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownAccountIsRefusedOnThePage()
    {
        using var response = await SignInAsync(("utilisateur", TestApp.ImportObjectId), ("post_login_redirect_uri", "/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choisissez un des comptes configurés.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownAuthPathIsNotFound()
    {
        using var response = await _client.GetAsync(new Uri("/.auth/login/github", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
