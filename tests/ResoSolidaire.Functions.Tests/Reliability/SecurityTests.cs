using System.Net;
using ResoSolidaire.LocalHost;
using Xunit.Abstractions;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>Who may call what, read from the host's own metadata; what reaches the logs; who gets a CORS grant.</summary>
[Collection(ReliabilitySuite.Name)]
public sealed class SecurityTests(SuiteLogs logs, ITestOutputHelper output)
{
    /// <summary>The functions anyone may call: the website's forms and pages, the links of mails, SendGrid's signed webhook, health.</summary>
    private static readonly HashSet<string> PublicFunctions = new(StringComparer.Ordinal)
    {
        "GetHealth", "GetTerritory", "PostContactMessage", "PostPorteurDeProjet", "ProposeEvent", "ListAgenda",
        "Subscribe", "ShowConfirmation", "Confirm", "ShowUnsubscribe", "Unsubscribe", "ShowPreferences", "SavePreferences",
        "ListArchive", "ShowArchivedEdition", "ShowSignedPreview", "ReceiveSendGridEvents",
    };

    [Fact]
    public async Task OnlyTheReviewedPublicFunctionsAreAnonymousAndEveryOtherRouteRefusesAMissingOrWrongKey()
    {
        await using var backend = await logs.StartBackendAsync();
        var functions = backend.Host.Functions;
        var http = functions.Where(f => f.IsHttp).ToList();
        Assert.NotEmpty(http);

        var anonymous = http.Where(f => f.AuthLevel == FunctionAuthLevel.Anonymous).Select(f => f.Name).ToList();
        Assert.True(anonymous.All(PublicFunctions.Contains), "Anonymous functions nobody reviewed: " + string.Join(", ", anonymous.Where(n => !PublicFunctions.Contains(n))));
        Assert.All(http.Where(f => f.Route!.StartsWith("api/staff/", StringComparison.Ordinal)), f => Assert.NotEqual(FunctionAuthLevel.Anonymous, f.AuthLevel));
        Assert.All(functions.Where(f => !f.IsHttp), f => Assert.Equal(FunctionAuthLevel.Admin, f.AuthLevel));

        using var anonymousClient = backend.CreateClient(null);
        using var wrongKey = backend.CreateClient("cle-inventee-" + Guid.NewGuid().ToString("N"));
        var checkedRoutes = 0;
        foreach (var function in http.Where(f => f.AuthLevel != FunctionAuthLevel.Anonymous))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(function.Route!, @"\{[^}]+\}", "x1");
            foreach (var method in function.Methods)
            {
                foreach (var client in new[] { anonymousClient, wrongKey })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null };
                    using var response = await client.SendAsync(request);
                    // The status only: this 401 is the platform's, whose body in Azure is empty.
                    Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{function.Name} {method} {path}: {(int)response.StatusCode} without a valid key");
                    checkedRoutes++;
                }
            }
        }

        // Timers and the admin API are for the master key only: the staff key is known but forbidden (403, as Azure's
        // host answers a valid non-admin key on its admin API).
        using var run = await backend.StaffClient.PostAsync("admin/functions/RetryOutbox", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        output.WriteLine($"{http.Count} HTTP functions, {anonymous.Count} anonymous (reviewed), {checkedRoutes} keyless or wrong-key calls refused with 401");
        logs.AssertNoLeak();
    }

    [Fact]
    public async Task AForeignOriginGetsNoCorsGrantOnAnyRoute()
    {
        await using var backend = await logs.StartBackendAsync();
        using var client = backend.CreateClient(null);
        foreach (var function in backend.Host.Functions.Where(f => f.IsHttp))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(function.Route!, @"\{[^}]+\}", "x1");
            foreach (var method in function.Methods)
            {
                using var preflight = new HttpRequestMessage(HttpMethod.Options, path);
                preflight.Headers.Add("Origin", "https://evil.example");
                preflight.Headers.Add("Access-Control-Request-Method", method);
                preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-functions-key");
                using var answer = await client.SendAsync(preflight);
                Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"), $"{function.Name}: preflight from a foreign origin granted");

                using var simple = new HttpRequestMessage(new HttpMethod(method), path);
                simple.Headers.Add("Origin", "https://evil.example");
                using var direct = await client.SendAsync(simple);
                Assert.False(direct.Headers.Contains("Access-Control-Allow-Origin"), $"{function.Name} {method}: answer to a foreign origin carries a CORS grant");
                Assert.False(direct.Headers.Contains("Access-Control-Allow-Credentials"), $"{function.Name} {method}: credentials allowed");
            }
        }

        // The website's own origin still gets its grant on the forms.
        using var allowed = new HttpRequestMessage(HttpMethod.Options, "api/contact");
        allowed.Headers.Add("Origin", "http://localhost:8080");
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        using var granted = await client.SendAsync(allowed);
        Assert.Equal("http://localhost:8080", granted.Headers.GetValues("Access-Control-Allow-Origin").Single());
        logs.AssertNoLeak();
    }

    [Fact]
    public async Task LogsOfTheWholeSuiteCarryNoAddressPhoneKeyOrToken()
    {
        // Each test of the suite checks the lines logged so far (the load and fault tests included); this one runs a few posts of its own.
        await using var backend = await logs.StartBackendAsync();
        using var traffic = new Traffic(backend);
        await traffic.RunAsync(4, 2, TimeSpan.FromSeconds(30), i => i % 2);
        Assert.True(logs.LineCount > 0);
        logs.AssertNoLeak();
    }
}
