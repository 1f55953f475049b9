using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ical.Net.CalendarComponents;
using ResoSolidaire.Testing;
using static ResoSolidaire.Functions.Tests.Rooms.RoomsBackend;
using Calendar = Ical.Net.Calendar;

namespace ResoSolidaire.Functions.Tests.Rooms;

/// <summary>
/// The room sharing through the local host, the real worker, Azurite and the mail sink: a structure offers a room,
/// staff publish it, a visitor finds it and asks for a weekly slot with one date already taken, the room's contact
/// accepts from the mail's link, both calendars hold the right Paris times across the October change, then the
/// booking is cancelled.
/// </summary>
public sealed class RoomsEndToEndTests : IAsyncLifetime
{
    private Backend _backend = null!;

    public async Task InitializeAsync() => _backend = await StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task AnOfferedRoomIsModeratedFoundBookedWeeklyAcrossTheOctoberChangeThenCancelled()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var requester = $"awa-{Guid.NewGuid():N}@exemple.fr";
        var (roomId, actorId) = await PublishedRoomAsync(_backend, contact);
        var staffMail = await _backend.Mail.Messages.WaitForAsync(m => m.Subject.Contains("attend votre validation", StringComparison.Ordinal) && m.Text!.Contains(contact, StringComparison.Ordinal), MailWait);
        Assert.Contains("Maison des associations du Blosne", staffMail.Text, StringComparison.Ordinal);
        var published = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains("est publiée", StringComparison.Ordinal), MailWait);
        Assert.Contains($"rooms/{roomId}/calendar.ics", published.Text, StringComparison.Ordinal);

        // The public search finds it by commune, capacity and equipment; not when asking for more people than it holds.
        var found = await _backend.Client.GetFromJsonAsync<JsonArray>("api/rooms?commune=35238&capacite=15&equipements=videoprojecteur&pmr=1");
        var room = Assert.Single(found!, r => r!["id"]!.GetValue<string>() == roomId)!;
        Assert.Equal("Salle de réunion", room["kindLabel"]!.GetValue<string>());
        Assert.Null(room["contactEmail"]);
        Assert.DoesNotContain(await _backend.Client.GetFromJsonAsync<JsonArray>("api/rooms?capacite=25") ?? [], r => r!["id"]!.GetValue<string>() == roomId);

        // Another structure already holds the Tuesday of the change week.
        var change = NextOctoberChange();
        var (before, taken, after) = (change.AddDays(-5), change.AddDays(2), change.AddDays(9));
        await BookAsync(roomId, contact, $"autre-{Guid.NewGuid():N}@exemple.fr", taken, "14:00", "16:00", "Collectif Vélo");

        // The search by EPCI and by slot: Rennes Métropole holds it, Liffré-Cormier does not; on that Tuesday the room is
        // free after the booking until it closes at 18:00, not during the booking, not after closing, not on a Wednesday.
        Assert.True(await FoundAsync(roomId, "epci=243500139"));
        Assert.False(await FoundAsync(roomId, "epci=243500774"));
        Assert.True(await FoundAsync(roomId, $"date={Iso(taken)}&debut=16:00&fin=18:00"));
        Assert.False(await FoundAsync(roomId, $"date={Iso(taken)}&debut=15:00&fin=17:00"));
        Assert.False(await FoundAsync(roomId, $"date={Iso(taken)}&debut=17:00&fin=19:00"));
        Assert.False(await FoundAsync(roomId, $"date={Iso(taken.AddDays(1))}&debut=10:00&fin=11:00"));

        // A weekly request over the three Tuesdays: the taken one is named, the two others are asked for.
        using var visitor = Visitor(_backend);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(requester, before, "14:00", "16:00", "Les Jardins partagés", until: after));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var answer = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        var reference = answer["id"]!.GetValue<string>();
        Assert.Equal([Iso(before), Iso(after)], answer["dates"]!.AsArray().Select(d => d!.GetValue<string>()));
        var clash = Assert.Single(answer["clashes"]!.AsArray())!;
        Assert.Equal(Iso(taken), clash["date"]!.GetValue<string>());
        Assert.Equal("la salle est déjà réservée sur ce créneau", clash["reason"]!.GetValue<string>());
        var acknowledgement = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(requester) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        Assert.Contains("Dates indisponibles", acknowledgement.Html, StringComparison.Ordinal);

        // The room's contact accepts from the mail: the link shows a page, the button decides.
        var request = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        Assert.Equal(requester, request.ReplyTo);
        var (page, accepted) = await FollowAsync(_backend, LinkIn(request, "Accepter la demande"));
        Assert.Contains("Les Jardins partagés", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("Demande acceptée", WebUtility.HtmlDecode(await accepted.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // Both parties get the invitation; it holds 14:00 in Paris on either side of the change (12:00 UTC, then 13:00 UTC).
        var toRequester = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(requester) && m.Subject.StartsWith("Réservation confirmée", StringComparison.Ordinal), MailWait);
        var toLender = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.StartsWith("Réservation confirmée", StringComparison.Ordinal) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        foreach (var mail in new[] { toRequester, toLender })
        {
            Assert.True(mail.IsValid, string.Join("; ", mail.Errors.Select(e => e.Message)));
            var invitation = Calendar.Load(Attachment(mail, "reservation.ics"))!;
            Assert.Equal("PUBLISH", invitation.Method);
            Assert.Equal("Europe/Paris", Assert.Single(invitation.TimeZones).TzId);
            var events = invitation.Events.OrderBy(e => e.DtStart!.Value).ToList();
            Assert.Equal(2, events.Count);
            AssertParisTime(events[0], before, 14, 12);
            AssertParisTime(events[1], after, 14, 13);
        }

        // The room's feed shows the three bookings by structure only, at the same Paris times; so does the lender's.
        var feedText = await _backend.Client.GetStringAsync($"api/rooms/{roomId}/calendar.ics");
        Assert.DoesNotContain(requester, feedText, StringComparison.Ordinal);
        Assert.DoesNotContain("Awa Diallo", feedText, StringComparison.Ordinal);
        var feed = Calendar.Load(feedText)!;
        Assert.Equal(3, feed.Events.Count);
        AssertParisTime(feed.Events.Single(e => e.DtStart!.Date == before), before, 14, 12);
        AssertParisTime(feed.Events.Single(e => e.DtStart!.Date == after), after, 14, 13);
        Assert.Contains("Les Jardins partagés", feed.Events.Single(e => e.DtStart!.Date == after).Summary, StringComparison.Ordinal);
        Assert.Equal(3, Calendar.Load(await _backend.Client.GetStringAsync($"api/rooms/lenders/{actorId}/calendar.ics"))!.Events.Count);

        // The requester cancels from the confirmation: both are told, with the .ics that removes the dates, and the feed lets them go.
        var (cancelPage, cancelled) = await FollowAsync(_backend, LinkIn(toRequester, "Annuler la réservation"));
        Assert.Contains("Annuler la réservation", cancelPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var lenderTold = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.StartsWith("Réservation annulée", StringComparison.Ordinal), MailWait);
        Assert.Contains("Awa Diallo a annulé", lenderTold.Text, StringComparison.Ordinal);
        var cancellation = Calendar.Load(Attachment(lenderTold, "annulation.ics"))!;
        Assert.Equal("CANCEL", cancellation.Method);
        Assert.All(cancellation.Events, e => Assert.Equal("CANCELLED", e.Status));
        Assert.Equal(feed.Events.Where(e => e.Summary!.Contains("Jardins", StringComparison.Ordinal)).Select(e => e.Uid).Order(), cancellation.Events.Select(e => e.Uid).Order());
        Assert.Single(Calendar.Load(await _backend.Client.GetStringAsync($"api/rooms/{roomId}/calendar.ics"))!.Events);

        // The lender's own cancellation link now says the booking has its answer, and changes nothing.
        using var late = Visitor(_backend);
        late.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var again = await late.GetAsync(LinkIn(toLender, "Annuler la réservation"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Annulée", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private async Task<bool> FoundAsync(string roomId, string query) =>
        (await _backend.Client.GetFromJsonAsync<JsonArray>("api/rooms?" + query))!.Any(r => r!["id"]!.GetValue<string>() == roomId);

    [Fact]
    public async Task TwoRequestsRacingForOneSlotEndWithExactlyOneBooking()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var (roomId, _) = await PublishedRoomAsync(_backend, contact, "Salle de la course");
        var day = NextOctoberChange().AddDays(-5);
        var links = new List<string>();
        foreach (var (email, start, end) in new[] { ($"un-{Guid.NewGuid():N}@exemple.fr", "10:00", "12:00"), ($"deux-{Guid.NewGuid():N}@exemple.fr", "11:00", "13:00") })
        {
            using var visitor = Visitor(_backend);
            using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(email, day, start, end, "Structure " + email[..3]));
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
            var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            var mail = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
            links.Add(LinkIn(mail, "Accepter la demande"));
        }

        // Both overlapping requests are accepted at the same moment.
        var answers = await Task.WhenAll(links.Select(async link =>
        {
            using var client = Visitor(_backend);
            using var response = await client.PostAsync(link[..link.IndexOf('?', StringComparison.Ordinal)], new FormUrlEncodedContent([new("token", TokenOf(link))]));
            return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }));

        Assert.Single(answers, a => a.Contains("Demande acceptée", StringComparison.Ordinal));
        Assert.Single(answers, a => a.Contains("Plus aucune date libre", StringComparison.Ordinal));
        var feed = Calendar.Load(await _backend.Client.GetStringAsync($"api/rooms/{roomId}/calendar.ics"))!;
        Assert.Single(feed.Events);
    }

    [Fact]
    public async Task ARequestWhoseEveryDateIsTakenOrClosedIsRefusedWithTheDatesAndStoresNothing()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var (roomId, _) = await PublishedRoomAsync(_backend, contact, "Salle fermée le mercredi");
        var wednesday = NextOctoberChange().AddDays(-4);
        using var visitor = Visitor(_backend);

        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request($"x-{Guid.NewGuid():N}@exemple.fr", wednesday, "10:00", "12:00", null));

        Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
        var problem = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("en dehors des horaires d'ouverture", problem["errors"]!["date"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(contact) && m.Subject.StartsWith("Demande de réservation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheContactProposesAnotherSlotAndTheRequesterTakesItFromTheirMail()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var requester = $"lou-{Guid.NewGuid():N}@exemple.fr";
        var (roomId, _) = await PublishedRoomAsync(_backend, contact, "Salle des propositions");
        var tuesday = NextOctoberChange().AddDays(-5);
        using var visitor = Visitor(_backend);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(requester, tuesday, "10:00", "12:00", "Repair café"));
        var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var request = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);

        // A slot outside the proposal's rules comes back with the errors; a good one is mailed to the requester.
        var link = LinkIn(request, "Proposer un autre créneau");
        var (_, refused) = await FollowAsync(_backend, link, ("date", Iso(tuesday.AddDays(2))), ("debut", "16:00"), ("fin", "15:00"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("L'heure de fin doit suivre l'heure de début.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var (_, proposed) = await FollowAsync(_backend, link, ("date", Iso(tuesday.AddDays(2))), ("debut", "14:00"), ("fin", "15:30"), ("message", "Le mardi matin la salle est prise, le jeudi après-midi est libre."));
        Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
        var proposal = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(requester) && m.Subject.StartsWith("Un autre créneau vous est proposé", StringComparison.Ordinal), MailWait);
        Assert.Contains("le jeudi après-midi est libre", proposal.Text, StringComparison.Ordinal);

        var (takePage, taken) = await FollowAsync(_backend, LinkIn(proposal, "Accepter le créneau proposé"));
        Assert.Contains("Créneau proposé", takePage, StringComparison.Ordinal);
        Assert.Contains("Réservation confirmée", WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var confirmation = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.StartsWith("Réservation confirmée", StringComparison.Ordinal), MailWait);
        var booked = Assert.Single(Calendar.Load(Attachment(confirmation, "reservation.ics"))!.Events);
        Assert.Equal(tuesday.AddDays(2), booked.DtStart!.Date);
        Assert.Equal(14, booked.DtStart.Hour);
        Assert.Equal(30, booked.DtEnd!.Minute);
    }

    [Fact]
    public async Task StaffDeclineARequestFromTheConsoleAndTheRequesterIsTold()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var requester = $"sacha-{Guid.NewGuid():N}@exemple.fr";
        var (roomId, _) = await PublishedRoomAsync(_backend, contact, "Salle de l'équipe");
        using var visitor = Visitor(_backend);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(requester, NextOctoberChange().AddDays(-3), "10:00", "11:00", null));
        var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _backend.Host.BaseAddress };
        noRedirect.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Backend.TeamToken);

        using var declined = await noRedirect.PostAsync($"api/equipe/salles/demandes/{reference}/decliner", new FormUrlEncodedContent([new("message", "La salle est réservée pour l'assemblée générale.")]));
        using var again = await noRedirect.PostAsync($"api/equipe/salles/demandes/{reference}/accepter", new FormUrlEncodedContent([new("jeton", "")]));

        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Equal($"/api/equipe/salles/demandes/{reference}?fait=decliner", declined.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("déjà une réponse", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var told = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(requester) && m.Subject.Contains("n'a pas été acceptée", StringComparison.Ordinal), MailWait);
        Assert.Contains("assemblée générale", told.Text, StringComparison.Ordinal);
        var page = await noRedirect.GetStringAsync($"api/equipe/salles/demandes/{reference}");
        Assert.Contains(Backend.TeamName, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffProposeAnotherSlotFromTheConsoleAndTheRequesterTakesItFromTheirMail()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var requester = $"yann-{Guid.NewGuid():N}@exemple.fr";
        var (roomId, _) = await PublishedRoomAsync(_backend, contact, "Salle proposée par l'équipe");
        var tuesday = NextOctoberChange().AddDays(-5);
        var thursday = tuesday.AddDays(2);
        await BookAsync(roomId, contact, $"autre-{Guid.NewGuid():N}@exemple.fr", thursday, "09:00", "10:30", "Collectif Vélo");
        using var visitor = Visitor(_backend);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(requester, tuesday, "10:00", "12:00", "Repair café"));
        var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var staff = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _backend.Host.BaseAddress };
        staff.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Backend.TeamToken);

        // A slot over a confirmed booking comes back with the booking's hours in French, the values kept; nothing is mailed.
        using var clashing = await staff.PostAsync($"api/equipe/salles/demandes/{reference}/proposer", new FormUrlEncodedContent([new("date", Iso(thursday)), new("debut", "10:00"), new("fin", "12:00"), new("message-creneau", "Le jeudi ?")]));
        Assert.Equal(HttpStatusCode.BadRequest, clashing.StatusCode);
        var clashPage = WebUtility.HtmlDecode(await clashing.Content.ReadAsStringAsync());
        Assert.Contains("La salle est déjà réservée ce jour-là de 9 h à 10 h 30", clashPage, StringComparison.Ordinal);
        Assert.Contains("Le jeudi ?</textarea>", clashPage, StringComparison.Ordinal);

        using var proposed = await staff.PostAsync($"api/equipe/salles/demandes/{reference}/proposer", new FormUrlEncodedContent([new("date", Iso(thursday)), new("debut", "14:00"), new("fin", "15:30"), new("message-creneau", "Le contact nous a appelés : le jeudi après-midi est libre.")]));
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        Assert.Equal($"/api/equipe/salles/demandes/{reference}?fait=proposer", proposed.Headers.Location!.OriginalString);
        var proposal = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(requester) && m.Subject.StartsWith("Un autre créneau vous est proposé", StringComparison.Ordinal), MailWait);
        Assert.Contains("de 14 h à 15 h 30", proposal.Text, StringComparison.Ordinal);
        Assert.Contains("le jeudi après-midi est libre", proposal.Text, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await staff.GetStringAsync($"api/equipe/salles/demandes/{reference}"));
        Assert.Contains("Créneau proposé", page, StringComparison.Ordinal);
        Assert.Contains("de 14 h à 15 h 30", page, StringComparison.Ordinal);
        Assert.Contains(Backend.TeamName, page, StringComparison.Ordinal);

        var (_, taken) = await FollowAsync(_backend, LinkIn(proposal, "Accepter le créneau proposé"));
        Assert.Contains("Réservation confirmée", WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var feed = Calendar.Load(await _backend.Client.GetStringAsync($"api/rooms/{roomId}/calendar.ics"))!;
        Assert.Contains(feed.Events, e => e.DtStart!.Date == thursday && e.DtStart.Hour == 14 && e.Summary!.Contains("Repair café", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffSeeAnOffersPhotoBeforeModerationAndThePublicAfterAndNeitherGetsTheCameraData()
    {
        var contact = $"salle-{Guid.NewGuid():N}@blosne.example";
        var actorId = await CreateActorAsync(_backend, "Maison des associations " + Guid.NewGuid().ToString("N")[..6]);
        using var visitor = Visitor(_backend);
        visitor.DefaultRequestHeaders.Accept.ParseAdd("application/json"); // as the site's script posts: a 202 with the id, not a 303
        using var body = OfferWithPhotos(Offer(contact, "Salle en photo"), ("IMG_2041.jpg", JpegFromAPhone(), "image/jpeg"), ("plan.png", PngWithText(), "application/octet-stream"));
        using var offered = await visitor.PostAsync("api/rooms/offers", body);
        Assert.Equal(HttpStatusCode.Accepted, offered.StatusCode);
        var roomId = (await offered.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // Pending: staff see both photos on the room's page, served with the type read from their content; the public sees none.
        using var staff = new HttpClient { BaseAddress = _backend.Host.BaseAddress };
        staff.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Backend.TeamToken);
        var page = await staff.GetStringAsync($"api/equipe/salles/{roomId}");
        Assert.Contains($"src=\"/api/equipe/salles/{roomId}/photos/1\"", page, StringComparison.Ordinal);
        Assert.Contains($"src=\"/api/equipe/salles/{roomId}/photos/2\"", page, StringComparison.Ordinal);
        using var forStaff = await staff.GetAsync($"api/equipe/salles/{roomId}/photos/2");
        Assert.Equal("image/png", forStaff.Content.Headers.ContentType!.MediaType);
        Assert.Equal(CleanPng(), await forStaff.Content.ReadAsByteArrayAsync());
        using var tooEarly = await visitor.GetAsync($"api/rooms/{roomId}/photos/1");
        Assert.Equal(HttpStatusCode.NotFound, tooEarly.StatusCode);

        // Published: the public finds the photo's address in the room and gets the picture, nosniff, without the phone's data.
        using var approved = await _backend.StaffClient.PostAsJsonAsync($"api/staff/rooms/{roomId}/approve", new { actorId });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var room = (await visitor.GetFromJsonAsync<JsonObject>($"api/rooms/{roomId}"))!;
        Assert.Equal([$"rooms/{roomId}/photos/1", $"rooms/{roomId}/photos/2"], room["photos"]!.AsArray().Select(p => p!.GetValue<string>()));
        using var photo = await visitor.GetAsync($"api/{room["photos"]![0]}");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", photo.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(CleanJpeg(), await photo.Content.ReadAsByteArrayAsync());
    }

    private async Task BookAsync(string roomId, string contact, string email, DateOnly day, string start, string end, string structure)
    {
        using var visitor = Visitor(_backend);
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", Request(email, day, start, end, structure));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var reference = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var mail = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(contact) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        var (_, accepted) = await FollowAsync(_backend, LinkIn(mail, "Accepter la demande"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static void AssertParisTime(CalendarEvent item, DateOnly day, int localHour, int utcHour)
    {
        Assert.Equal("Europe/Paris", item.DtStart!.TzId);
        Assert.Equal(day, item.DtStart.Date);
        Assert.Equal(localHour, item.DtStart.Hour);
        Assert.Equal(utcHour, item.DtStart.AsUtc.Hour);
        Assert.Equal(utcHour + 2, item.DtEnd!.AsUtc.Hour);
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
