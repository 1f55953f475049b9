using System.Net;
using System.Net.Http.Json;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Porteurs.FollowUp;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Inbox;

/// <summary>The contact inbox, on messages posted through the real website form.</summary>
public sealed class ContactInboxTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private const string Messages = "api/staff/inbox/messages";
    private readonly HttpClient _staff = fixture.Backend.StaffClient;

    private Task<string> NewMessageAsync(string topic = "information") =>
        Intakes.SubmitContactAsync(fixture.Backend, $"contact-{Guid.NewGuid():N}@exemple.fr", topic);

    private async Task<List<string>> ListAsync(string query)
    {
        var references = new List<string>();
        string? continuation = null;
        do
        {
            using var response = await _staff.GetAsync($"{Messages}?{query}&pageSize=500" + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            references.AddRange(page["items"]!.AsArray().Select(i => i!["reference"]!.GetValue<string>()));
            continuation = page["continuation"]?.GetValue<string>();
        }
        while (continuation is not null);

        return references;
    }

    [Fact]
    public async Task AMessageMarkedHandledKeepsItsNoteAndAuthorAndLeavesTheToDoList()
    {
        var reference = await NewMessageAsync();
        Assert.Contains(reference, await ListAsync("handled=false"));

        using var response = await _staff.PutAsJsonAsync($"{Messages}/{reference}/handled", new { note = "Rappelée le 3 mars, adhésion envoyée." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await response.JsonAsync();
        Assert.True(message["handled"]!.GetValue<bool>());
        Assert.Equal(Backend.AdministrationName, message["handledBy"]!.GetValue<string>());
        Assert.Equal(Backend.AdministrationObjectId, message["handledByObjectId"]!.GetValue<string>());
        Assert.Equal("Rappelée le 3 mars, adhésion envoyée.", message["handlingNote"]!.GetValue<string>());
        Assert.DoesNotContain(reference, await ListAsync("handled=false"));
        Assert.Contains(reference, await ListAsync("handled=true"));

        using var undo = await _staff.DeleteAsync($"{Messages}/{reference}/handled");
        Assert.False((await undo.JsonAsync())["handled"]!.GetValue<bool>());
        Assert.Contains(reference, await ListAsync("handled=false"));
    }

    [Fact]
    public async Task SearchingAnAddressFindsThatSenderOnlyNotALongerAddressHoldingIt()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var ann = await Intakes.SubmitContactAsync(fixture.Backend, $"ann{unique}@exemple.fr", "information");
        var joann = await Intakes.SubmitContactAsync(fixture.Backend, $"joann{unique}@exemple.fr", "information");

        var found = await ListAsync($"q={Uri.EscapeDataString($"  ANN{unique}@Exemple.FR ")}");

        Assert.Contains(ann, found);
        Assert.DoesNotContain(joann, found);
    }

    [Fact]
    public async Task SearchingWordsIgnoresCaseAndAccentsAndWantsEveryWord()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var wanted = await Intakes.SubmitContactAsync(fixture.Backend, $"c{unique}@exemple.fr", "partenariat", $"Notre coopérative éphémère {unique} cherche un local.");
        var other = await Intakes.SubmitContactAsync(fixture.Backend, $"d{unique}@exemple.fr", "partenariat", $"Notre coopérative {unique} cherche un partenaire.");

        var found = await ListAsync($"q={Uri.EscapeDataString($"COOPERATIVE Ephemere {unique}")}");
        var both = await ListAsync($"q=cooperative+{unique}");

        Assert.Equal([wanted], found);
        Assert.Equal(2, both.Intersect([wanted, other]).Count());
    }

    [Fact]
    public async Task MessagesAreFilteredByTopicAndDate()
    {
        var presse = await NewMessageAsync("presse");
        var adhesion = await NewMessageAsync("adhesion");

        var pressList = await ListAsync("topic=presse&from=2020-01-01");
        Assert.Contains(presse, pressList);
        Assert.DoesNotContain(adhesion, pressList);
        Assert.DoesNotContain(presse, await ListAsync("to=2020-01-01"));
        using var detail = await _staff.GetAsync($"{Messages}/{adhesion}");
        var message = await detail.JsonAsync();
        Assert.Equal("Adhésion", message["topicLabel"]!.GetValue<string>());
        Assert.Equal("Camille Martin", message["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadFiltersAndUnknownMessagesAreProblems()
    {
        using var bad = await _staff.GetAsync($"{Messages}?topic=spam&handled=peut-etre&from=hier");
        using var missing = await _staff.PutAsJsonAsync($"{Messages}/CT-2020-9999/handled", new { note = "x" });
        var reference = await NewMessageAsync();
        using var extra = await _staff.PutAsJsonAsync($"{Messages}/{reference}/handled", new { note = "x", statut = "fait" });

        var problem = await bad.ProblemAsync();
        Assert.NotEmpty(problem.FieldErrors("topic"));
        Assert.NotEmpty(problem.FieldErrors("handled"));
        Assert.NotEmpty(problem.FieldErrors("from"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, extra.StatusCode);
        Assert.NotEmpty((await extra.ProblemAsync()).FieldErrors("statut"));
    }

    [Theory]
    [InlineData("GET", Messages)]
    [InlineData("GET", Messages + "/CT-2026-0001")]
    [InlineData("PUT", Messages + "/CT-2026-0001/handled")]
    [InlineData("DELETE", Messages + "/CT-2026-0001/handled")]
    public async Task InboxRoutesRefuseAMissingOrWrongKey(string method, string url)
    {
        using var wrong = fixture.Backend.CreateClient("pas-la-bonne-cle");
        foreach (var client in new[] { fixture.Backend.Client, wrong })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { note = "x" }) };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
