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
        await Assertions.Expect(page.Locator(".creneau").First).ToContainTextAsync("14 h – 16 h");
        await CheckOnTabletAsync(page, "salles-calendrier-mois");
    }

    [Fact]
    public async Task AVisitorFindsARoomOnTheSiteAndRequestsAWeeklySlotWithADateTakenNamed()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var name = "Salle " + Guid.NewGuid().ToString("N")[..5];
        var (roomId, _) = await PublishedRoomWithPhotoAsync(site.Backend, contact, name);
        var day = NextOctoberChange().AddDays(-5);
        using var other = Visitor(site.Backend);
        using var first = await other.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request($"autre-{Guid.NewGuid():N}@exemple.fr", day.AddDays(7), "10:00", "11:00", "Collectif Vélo"));
        var taken = (await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var firstMail = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains(taken, StringComparison.Ordinal), MailWait);
        await FollowAsync(site.Backend, LinkIn(firstMail, "Accepter la demande"));
        var page = await site.NewPageAsync(javaScript: true);

        await page.GotoAsync(new Uri(site.Origin, "salles.html").AbsoluteUri);
        await page.GetByLabel("Nombre de personnes", new() { Exact = true }).First.FillAsync("15");
        await page.GetByLabel("Vidéoprojecteur").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher" }).ClickAsync();

        // The room shows its photo (drawn: the route gave a real picture) and its hours as French readers write them.
        var photo = page.GetByAltText($"Photo 1 de la salle « {name} »");
        await Assertions.Expect(photo).ToBeVisibleAsync();
        await Assertions.Expect(photo).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await photo.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The photo was not drawn.");
        await Assertions.Expect(page.Locator(".salles li").Filter(new() { HasText = name })).ToContainTextAsync("lundi 9 h – 12 h, 14 h – 18 h ; mardi 9 h – 18 h");
        await CheckPageAsync(page, "site-salles-resultats");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Demander « {name} »" }).ClickAsync();
        await page.Locator("#date").FillAsync(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#start").FillAsync("09:30");
        await page.Locator("#end").FillAsync("11:30");
        await page.Locator("#recurrence").SelectOptionAsync("hebdomadaire");
        await page.Locator("#until").FillAsync(day.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#people").FillAsync("12");
        await page.GetByLabel("Objet de la réservation").FillAsync("Assemblée générale du collectif");
        await page.GetByLabel("Nom et prénom").FillAsync("Awa Diallo");
        await page.Locator("#structure").FillAsync("Les Jardins partagés");
        await page.GetByLabel("Adresse e-mail").FillAsync($"awa-{Guid.NewGuid():N}@exemple.fr");
        await page.Locator("#consent").CheckAsync();
        await CheckPageAsync(page, "site-salles-demande");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("Dates indisponibles, non demandées");
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("la salle est déjà réservée sur ce créneau");
        await CheckPageAsync(page, "site-salles-demande-envoyee");
    }

    [Fact]
    public async Task StaffSeeAnOffersPhotoThenProposeAnotherSlotFromTheConsole()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var name = "Salle " + Guid.NewGuid().ToString("N")[..5];
        var (roomId, _) = await PublishedRoomWithPhotoAsync(site.Backend, contact, name);
        var requester = $"yann-{Guid.NewGuid():N}@exemple.fr";
        var tuesday = NextOctoberChange().AddDays(-5);
        using var visitor = Visitor(site.Backend);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(requester, tuesday, "10:00", "12:00", "Repair café"));
        var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend($"api/equipe/salles/{roomId}"));
        await SignInAsync(page, "Camille Martin");

        var photo = page.GetByAltText($"Photo 1 de la salle « {name} » (ouvrir en grand)");
        await Assertions.Expect(photo).ToBeVisibleAsync();
        await Assertions.Expect(photo).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await photo.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The photo was not drawn.");
        await CheckPageAsync(page, "salles-salle-photos");

        // The proposal with its hours missing comes back with the error summary (a plain form: no script on the page), then goes.
        await page.GotoAsync(Backend($"api/equipe/salles/demandes/{reference}"));
        await page.GetByLabel("Date proposée").FillAsync(tuesday.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer ce créneau" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("Indiquez l'heure de début");
        await CheckOnTabletAsync(page, "salles-demande-proposer-erreurs");
        await page.GetByLabel("Heure de début").FillAsync("14:00");
        await page.GetByLabel("Heure de fin").FillAsync("15:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer ce créneau" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("L'autre créneau est proposé");
        await Assertions.Expect(page.Locator("dl")).ToContainTextAsync("de 14 h à 15 h 30");
        await CheckPageAsync(page, "salles-demande-proposee");
        await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(requester) && m.Subject.StartsWith("Un autre créneau vous est proposé", StringComparison.Ordinal), MailWait);
    }

    [Fact]
    public async Task AVisitorWithoutJavaScriptSearchesFromTheSiteAndRequestsARoomFromTheResultsPage()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var name = "Salle " + Guid.NewGuid().ToString("N")[..5];
        await PublishedRoomWithPhotoAsync(site.Backend, contact, name);
        var day = NextOctoberChange().AddDays(-5);
        var page = await site.NewPageAsync(javaScript: false);

        await page.GotoAsync(new Uri(site.Origin, "salles.html").AbsoluteUri);
        await Assertions.Expect(page.Locator("#sans-script")).ToContainTextAsync("ouvre les résultats sur une page");
        await page.GetByLabel("Nombre de personnes", new() { Exact = true }).First.FillAsync("15");
        await page.GetByLabel("Vidéoprojecteur").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher" }).ClickAsync();

        // The API answers the browser's navigation with a page: the search kept, the room with its photo, hours in French.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Salles à partager", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#capacite")).ToHaveValueAsync("15");
        await Assertions.Expect(page.GetByLabel("Vidéoprojecteur")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Accessible aux personnes à mobilité réduite")).Not.ToBeCheckedAsync();
        var room = page.Locator("article.salle").Filter(new() { HasText = name });
        await Assertions.Expect(room.GetByAltText($"Photo 1 de la salle « {name} »")).ToBeVisibleAsync();
        await Assertions.Expect(room).ToContainTextAsync("lundi 9 h – 12 h, 14 h – 18 h");
        Assert.Contains("/api/rooms?", page.Url, StringComparison.Ordinal);

        // The results page carries no script: it is the same with JavaScript, which Playwright needs for the axe scan
        // and to fill date and time fields.
        var results = page.Url;
        page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(results);
        room = page.Locator("article.salle").Filter(new() { HasText = name });
        await Assertions.Expect(page.Locator("script")).ToHaveCountAsync(0);
        await CheckPageAsync(page, "salles-recherche-sans-javascript");
        await room.GetByText($"Demander « {name} »").ClickAsync();
        await room.GetByLabel("Date", new() { Exact = true }).FillAsync(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await room.GetByLabel("Heure de début").FillAsync("14:00");
        await room.GetByLabel("Heure de fin").FillAsync("16:00");
        await room.GetByLabel("Nombre de personnes").FillAsync("12");
        await room.GetByLabel("Objet de la réservation").FillAsync("Assemblée générale du collectif");
        await room.GetByLabel("Nom et prénom").FillAsync("Awa Diallo");
        var email = $"awa-{Guid.NewGuid():N}@exemple.fr";
        await room.GetByLabel("Adresse e-mail").FillAsync(email);
        await room.GetByLabel("J'accepte que mes coordonnées").CheckAsync();
        await CheckOnTabletAsync(page, "salles-recherche-sans-javascript-demande");
        await room.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("merci.html", StringComparison.Ordinal) && url.Contains("formulaire=reservation", StringComparison.Ordinal));
        var request = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.StartsWith("Demande de réservation", StringComparison.Ordinal), MailWait);
        Assert.Equal(email, request.ReplyTo);
        Assert.Contains("de 14 h à 16 h", request.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStructureOffersARoomFromTheSiteAndStaffFindItToModerate()
    {
        var name = "Bureau " + Guid.NewGuid().ToString("N")[..5];
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(new Uri(site.Origin, "proposer-salle.html").AbsoluteUri);
        await page.GetByLabel("Structure qui prête la salle").FillAsync("Les Ateliers du Vent");
        await page.GetByLabel("Nom de la salle").FillAsync(name);
        await page.GetByLabel("Type de salle").SelectOptionAsync("bureau");
        await page.GetByLabel("Capacité (nombre de personnes)").FillAsync("4");
        await page.GetByLabel("Wifi").CheckAsync();
        await page.Locator("#address").FillAsync("59 rue Alexandre Duval");
        await page.Locator("#commune").FillAsync("Rennes");
        await page.GetByLabel("Code postal").FillAsync("35000");
        await page.GetByLabel("Lundi").FillAsync("lundi matin");
        await page.GetByLabel("Nom et prénom").FillAsync("Lou Garnier");
        await page.GetByLabel("Adresse e-mail").FillAsync($"lou-{Guid.NewGuid():N}@ateliers.example");
        await page.Locator("#consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer la salle" }).ClickAsync();

        // Hours that cannot be read come back beside the field, in French; corrected, the offer is taken.
        await Assertions.Expect(page.Locator("#erreur-monday")).ToContainTextAsync("n'est pas une plage horaire");
        await CheckPageAsync(page, "site-proposer-salle-erreurs");
        await page.GetByLabel("Lundi").FillAsync("9h-12h");
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer la salle" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("L'équipe de Réso Solidaire la relira");
        await CheckPageAsync(page, "site-proposer-salle-envoyee");
        var pending = await site.Backend.StaffClient.GetFromJsonAsync<JsonArray>("api/staff/rooms?status=pending");
        Assert.Contains(pending!, r => r!["room"]!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task StaffEnterARoomOfAStructureOfTheDirectoryThenChangeItsCapacity()
    {
        var structure = "Ressourcerie " + Guid.NewGuid().ToString("N")[..6];
        await CreateActorAsync(site.Backend, structure);
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/salles"));
        await SignInAsync(page, "Camille Martin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ajouter une salle" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter la salle" }).ClickAsync();

        // Nothing typed: the error summary lists each field, each message sits beside its field.
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("Le nom de la salle est obligatoire.");
        await Assertions.Expect(page.Locator("#capacity-erreur")).ToContainTextAsync("La capacité est obligatoire");
        await CheckPageAsync(page, "salles-ajout-erreurs");

        await page.Locator("#structure").FillAsync(structure);
        await page.Locator("#name").FillAsync("Atelier vélo");
        await page.Locator("#kind").SelectOptionAsync("atelier");
        await page.Locator("#capacity").FillAsync("8");
        await page.GetByLabel("Parking").CheckAsync();
        await page.Locator("#address").FillAsync("12 rue de Paris");
        await page.Locator("#commune").FillAsync("35238");
        await page.Locator("#wednesday").FillAsync("14h-19h");
        await page.Locator("#contactName").FillAsync("Yann Le Bihan");
        await page.Locator("#contactEmail").FillAsync($"yann-{Guid.NewGuid():N}@ressourcerie.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter la salle" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("La salle est ajoutée et publiée.");
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync(structure);

        await page.GetByRole(AriaRole.Link, new() { Name = "Modifier la salle" }).ClickAsync();
        await Assertions.Expect(page.Locator("#wednesday")).ToHaveValueAsync("14 h – 19 h");
        await CheckOnTabletAsync(page, "salles-modifier");
        await page.Locator("#capacity").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les changements" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Les changements de la salle sont enregistrés.");
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("10 personnes");
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("Mercredi : 14 h – 19 h");
    }
}
