using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Tests.Site;
using static ResoSolidaire.Functions.Tests.Console.ConsoleBrowser;
using static ResoSolidaire.Functions.Tests.Rooms.RoomsBackend;

namespace ResoSolidaire.Functions.Tests.Rooms;

/// <summary>
/// The rooms in headless Chromium: staff publish an offer from the console, the room's contact accepts a request from
/// the page of the mail's link, staff see it in the calendar; every page scanned by axe, screenshots saved.
/// </summary>
public sealed class RoomsBrowserTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    private string Backend(string path) => new Uri(site.Backend.Host.BaseAddress, path).AbsoluteUri;

    [Fact]
    public async Task StaffPublishAnOfferTheContactAcceptsFromTheMailAndTheCalendarShowsIt()
    {
        var structure = "Maison des associations " + Guid.NewGuid().ToString("N")[..6];
        await CreateActorAsync(site.Backend, structure);
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var offer = Offer(contact, "Salle " + Guid.NewGuid().ToString("N")[..4]);
        offer["structure"] = structure;
        using var visitor = Visitor(site.Backend);
        using var offered = await visitor.PostAsJsonAsync("api/rooms/offers", offer);
        Assert.Equal(HttpStatusCode.Accepted, offered.StatusCode);
        var roomId = (await offered.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var page = await site.NewPageAsync(javaScript: true);

        await page.GotoAsync(Backend("api/equipe"));
        await SignInAsync(page, "Camille Martin");
        await Assertions.Expect(page.Locator(".a-traiter")).ToContainTextAsync("à modérer");
        await page.GetByRole(AriaRole.Link, new() { Name = "Salles", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Salles à partager", Level = 1 })).ToBeVisibleAsync();
        await CheckPageAsync(page, "salles-liste");

        await page.GetByRole(AriaRole.Link, new() { Name = offer["name"]!.GetValue<string>() }).ClickAsync();
        await CheckPageAsync(page, "salles-a-moderer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publier la salle" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("Choisissez la structure");
        await CheckPageAsync(page, "salles-publier-erreur");
        await page.GetByLabel(structure, new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Publier la salle" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("La salle est publiée");
        await CheckOnTabletAsync(page, "salles-publiee");

        // A request, and the contact's link opened as from the mail.
        var day = NextOctoberChange().AddDays(-5);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request($"awa-{Guid.NewGuid():N}@exemple.fr", day, "14:00", "16:00", "Les Jardins partagés", until: day.AddDays(14)));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var mail = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        var link = await site.NewPageAsync(javaScript: true);
        await link.GotoAsync(Backend(LinkIn(mail, "Proposer un autre créneau")));
        await Assertions.Expect(link.GetByRole(AriaRole.Heading, new() { Name = "Proposer un autre créneau" })).ToBeVisibleAsync();
        await link.GetByRole(AriaRole.Button, new() { Name = "Proposer ce créneau" }).ClickAsync();
        await Assertions.Expect(link.Locator(".resume-erreurs")).ToContainTextAsync("Choisissez la date proposée");
        await CheckPageAsync(link, "salles-lien-proposer-erreurs");
        await link.GotoAsync(Backend(LinkIn(mail, "Accepter la demande")));
        await Assertions.Expect(link.GetByRole(AriaRole.Heading, new() { Name = "Accepter la demande" })).ToBeVisibleAsync();
        await CheckPageAsync(link, "salles-lien-accepter");
        await link.GetByRole(AriaRole.Button, new() { Name = "Accepter la demande" }).ClickAsync();
        await Assertions.Expect(link.GetByRole(AriaRole.Heading, new() { Name = "Demande acceptée" })).ToBeVisibleAsync();
        await CheckPageAsync(link, "salles-lien-acceptee");

        // Staff see the request and the bookings in the calendar, week and month.
        await page.GotoAsync(Backend($"api/equipe/salles/demandes/{reference}"));
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync("Acceptée");
        await CheckPageAsync(page, "salles-demande");
        await page.GotoAsync(Backend($"api/equipe/salles/{roomId}/calendrier?vue=semaine&date={day:yyyy-MM-dd}"));
        await Assertions.Expect(page.Locator(".creneau")).ToContainTextAsync("Les Jardins partagés");
        await CheckPageAsync(page, "salles-calendrier-semaine");
        await page.GetByRole(AriaRole.Link, new() { Name = "Voir le mois" }).ClickAsync();
        await Assertions.Expect(page.Locator(".creneau").First).ToContainTextAsync("14:00");
        await CheckOnTabletAsync(page, "salles-calendrier-mois");
    }
}
