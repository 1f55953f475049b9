using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Agenda;

public sealed class AgendaEndToEndTests : IAsyncLifetime
{
    private Backend _backend = null!;

    // Each proposer is a client of its own: the tests play the front end, two trusted hops.
    public async Task InitializeAsync() => _backend = await Newsletter.NewsletterBackend.StartAsync(new() { ["Forms__TrustedProxyHops"] = "2" });

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private async Task<string> ProposeAsync(string contactEmail, string title)
    {
        using var client = _backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.8.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        using var response = await client.PostAsJsonAsync("api/agenda/events", new
        {
            title,
            startDate = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            startTime = "18:30",
            place = "Le Tambour",
            commune = "Rennes",
            description = "Une soirée de rencontre entre structures de l'ESS.",
            organiser = "Les Vélos Solidaires",
            contactName = "Camille Martin",
            contactEmail,
            consent = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task AnApprovedEventIsListedAndItsProposerIsTold()
    {
        var id = await ProposeAsync("camille@exemple.fr", "Forum de l'ESS");
        Assert.Empty(await _backend.Client.GetFromJsonAsync<JsonArray>("api/agenda/events") ?? []);

        using var approved = await _backend.StaffClient.PostAsync($"api/staff/agenda/events/{id}/approve", null);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var listed = await _backend.Client.GetFromJsonAsync<JsonArray>("api/agenda/events");
        Assert.Equal("Forum de l'ESS", Assert.Single(listed!)!["title"]!.GetValue<string>());
        var mail = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("camille@exemple.fr"), TimeSpan.FromSeconds(10));
        Assert.Contains("validé", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectionMailsTheReasonToTheProposer()
    {
        var id = await ProposeAsync("dominique@exemple.fr", "Vente privée");

        using var rejected = await _backend.StaffClient.PostAsJsonAsync($"api/staff/agenda/events/{id}/reject", new { reason = "Événement commercial, hors du champ de l'ESS." });
        using var twice = await _backend.StaffClient.PostAsync($"api/staff/agenda/events/{id}/approve", null);

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var mail = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("dominique@exemple.fr"), TimeSpan.FromSeconds(10));
        Assert.Contains("Événement commercial, hors du champ de l'ESS.", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectionWithoutAReasonIsAValidationProblem()
    {
        var id = await ProposeAsync("sacha@exemple.fr", "Atelier");

        using var rejected = await _backend.StaffClient.PostAsJsonAsync($"api/staff/agenda/events/{id}/reject", new { reason = "" });

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.NotNull((await rejected.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["reason"]);
    }

    [Fact]
    public async Task SixRefusedProposalsThenAValidOneTheValidOneIsAccepted()
    {
        using var client = _backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.8.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        var proposal = new JsonObject
        {
            ["title"] = "Café de l'ESS",
            ["startDate"] = DateTimeOffset.UtcNow.AddDays(12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["place"] = "Le Tambour",
            ["commune"] = "Rennes",
            ["description"] = "Un café entre structures de l'ESS.",
            ["organiser"] = "Les Vélos Solidaires",
            ["contactName"] = "Camille Martin",
            ["contactEmail"] = "camille@exemple",
            ["consent"] = true,
        };
        for (var i = 0; i < 6; i++)
        {
            using var refused = await client.PostAsJsonAsync("api/agenda/events", proposal);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        proposal["contactEmail"] = "camille@exemple.fr";
        using var accepted = await client.PostAsJsonAsync("api/agenda/events", proposal);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task APlainFormPostIsSentToTheThankYouPageAndThePendingProposalIsStored()
    {
        using var client = PlainBrowser();
        using var body = new FormUrlEncodedContent(ProposalFields("sans-script@exemple.fr", "Repair café sans script", "on"));

        using var response = await client.PostAsync("api/agenda/events", body);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("http://localhost:8080/merci.html?formulaire=agenda", response.Headers.Location!.AbsoluteUri);
        var pending = await _backend.StaffClient.GetFromJsonAsync<JsonArray>("api/staff/agenda/events?status=pending");
        Assert.Contains(pending!, e => e!["event"]!["title"]!.GetValue<string>() == "Repair café sans script");
    }

    [Fact]
    public async Task APlainFormPostWithErrorsGetsAFrenchPageAndNothingIsStored()
    {
        using var client = PlainBrowser();
        var fields = ProposalFields("camille@exemple", "Proposition erronée", consent: null);
        fields[1] = new("startDate", "20/12/2026");
        using var body = new FormUrlEncodedContent(fields);

        using var response = await client.PostAsync("api/agenda/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<strong>Date de début</strong> : La date doit s&#x27;écrire AAAA-MM-JJ.", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Adresse e-mail du contact</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Consentement</strong>", page, StringComparison.Ordinal);
        var all = await _backend.StaffClient.GetFromJsonAsync<JsonArray>("api/staff/agenda/events");
        Assert.DoesNotContain(all!, e => e!["event"]!["title"]!.GetValue<string>() == "Proposition erronée");
    }

    private HttpClient PlainBrowser()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.8.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    private static List<KeyValuePair<string, string>> ProposalFields(string contactEmail, string title, string? consent)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("title", title),
            new("startDate", DateTimeOffset.UtcNow.AddDays(15).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("startTime", "14:00"),
            new("place", "La Maison de quartier"),
            new("commune", "Rennes"),
            new("description", "Un après-midi pour réparer ensemble vélos et petit électroménager."),
            new("organiser", "Les Vélos Solidaires"),
            new("contactName", "Camille Martin"),
            new("contactEmail", contactEmail),
            new("website", ""),
        };
        if (consent is not null)
        {
            fields.Add(new("consent", consent));
        }

        return fields;
    }

    [Fact]
    public async Task ModerationNeedsTheStaffKey()
    {
        using var response = await _backend.Client.PostAsync("api/staff/agenda/events/x/approve", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
