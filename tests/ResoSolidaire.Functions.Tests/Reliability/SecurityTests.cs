using System.Net;
using System.Net.Http.Headers;
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
        "OfferRoom", "SearchRooms", "GetRoom", "GetRoomPhoto", "RequestBooking", "RoomCalendarFeed", "LenderCalendarFeed",
        "ShowAcceptance", "AcceptRequest", "ShowDecline", "DeclineRequest", "ShowProposal", "ProposeSlot", "ShowTakeProposal", "TakeProposal", "ShowCancellation", "CancelBooking",
    };

    /// <summary>Operations of the « Administration » role: erasure and access requests, exports of personal data.</summary>
    private static readonly HashSet<string> AdministrationFunctions = new(StringComparer.Ordinal)
    {
        "AccessPersonalData", "ErasePersonalData", "ExportDataset",
        "ConsoleExports", "ConsoleExportDataset",
        "ConsolePrivacy", "ConsolePrivacyRequest", "ConsolePrivacyRequestPage", "ConsolePrivacyResume", "ConsolePrivacyDocument", "ConsolePrivacyErasurePreview", "ConsolePrivacyErasure",
        "ConsoleVocabularies", "ConsoleVocabulary", "ConsoleVocabularyAdd", "ConsoleTermStep", "ConsoleTermChange",
    };

    [Fact]
    public async Task OnlyTheReviewedPublicFunctionsAreOpenAndEveryStaffRouteWantsASignedInPersonWithTheRightRole()
    {
        await using var backend = await logs.StartBackendAsync();
        var functions = backend.Host.Functions;
        var http = functions.Where(f => f.IsHttp).ToList();
        Assert.NotEmpty(http);

        // Staff routes are anonymous at the host (App Service Authentication signs people in, the app checks roles):
        // what is not under api/staff/ or api/equipe is public, and must be on the reviewed list.
        static bool IsStaff(HostedFunction f) => f.Route!.StartsWith("api/staff/", StringComparison.Ordinal) || f.Route.StartsWith("api/equipe", StringComparison.Ordinal);
        var open = http.Where(f => !IsStaff(f)).Select(f => f.Name).ToList();
        Assert.True(open.All(PublicFunctions.Contains), "Public functions nobody reviewed: " + string.Join(", ", open.Where(n => !PublicFunctions.Contains(n))));
        Assert.All(http, f => Assert.Equal(FunctionAuthLevel.Anonymous, f.AuthLevel));
        Assert.All(functions.Where(f => !f.IsHttp), f => Assert.Equal(FunctionAuthLevel.Admin, f.AuthLevel));

        // Redirects are not followed: a console page sends a visitor who is not signed in to the sign-in page.
        HttpClient Client(Action<HttpRequestHeaders> headers)
        {
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = backend.Host.BaseAddress };
            headers(client.DefaultRequestHeaders);
            return client;
        }

        using var anonymousClient = Client(_ => { });
        using var oldKey = Client(h => h.Add("x-functions-key", backend.Keys["staff"]));
        using var unknownToken = Client(h => h.Authorization = new AuthenticationHeaderValue("Bearer", "jeton-invente-" + Guid.NewGuid().ToString("N")));
        var checkedRoutes = 0;
        foreach (var function in http.Where(f => IsStaff(f) && f.Name != "ConsoleAsset"))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(function.Route!, @"\{[^}]+\}", "x1");
            var page = function.Route!.StartsWith("api/equipe", StringComparison.Ordinal);
            foreach (var method in function.Methods)
            {
                foreach (var (client, what) in new[] { (anonymousClient, "nothing"), (oldKey, "the former staff key"), (unknownToken, "an unknown token") })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null };
                    using var response = await client.SendAsync(request);
                    var expected = page && client != unknownToken ? HttpStatusCode.Redirect : HttpStatusCode.Unauthorized;
                    Assert.True(response.StatusCode == expected, $"{function.Name} {method} {path} with {what}: {(int)response.StatusCode}, not {(int)expected}");
                    checkedRoutes++;
                }

                if (AdministrationFunctions.Contains(function.Name))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null };
                    using var response = await backend.TeamClient.SendAsync(request);
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{function.Name} {method} {path} as « Équipe »: {(int)response.StatusCode}, not 403");
                    Assert.Contains("Administration", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }
        }

        // Timers and the host's admin API keep the master key: a person's token does not open them.
        using var run = await backend.StaffClient.PostAsync("admin/functions/RetryOutbox", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, run.StatusCode);
        output.WriteLine($"{http.Count} HTTP functions, {open.Count} public (reviewed), {checkedRoutes} calls without a signed-in person refused");
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
