using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Testing;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterBackend;

namespace ResoSolidaire.Functions.Tests.EndToEnd;

/// <summary>
/// Drives a realistic month through the local host (forms, directory and import, agenda moderation, an edition
/// from draft to sent with a failing batch, its delivery report, exports, a personal-data access) and reads
/// every answer, page, mail and export a person may read, looking for English status words.
/// </summary>
public sealed class FrenchForPeopleTests
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(30);
    private static readonly string[] Needs = ["local", "financement"];
    private static readonly string[] Sectors = ["mobilite"];

    [Fact]
    public void TheCheckFindsAnEnglishStatusInAProblemDetailAnErrorAndACodeWithoutItsLabel()
    {
        var problem = new CollectedAnswer("POST /api/staff/newsletter/editions/x/approve → 409", "application/problem+json", Encoding.UTF8.GetBytes(
            """{ "title": "Cette édition ne peut plus être modifiée ainsi.", "detail": "Son statut est : Approved." }"""));
        var view = new CollectedAnswer("GET /api/staff/newsletter/editions/x → 200", "application/json", Encoding.UTF8.GetBytes(
            """{ "status": "approved", "batches": [{ "status": "failed", "statusLabel": "En échec", "lastError": "ConnectionError" }] }"""));
        var labelled = new CollectedAnswer("GET /api/staff/agenda/events → 200", "application/json", Encoding.UTF8.GetBytes(
            """[{ "status": "approved", "statusLabel": "Validé", "consent": "Consentement donné", "link": "https://exemple.fr/Sent" }]"""));

        var findings = PersonFacingText.Findings([problem, view, labelled], []);

        Assert.Equal(3, findings.Count);
        Assert.Contains(findings, f => f.Contains("« Approved »", StringComparison.Ordinal) && f.Contains("409", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("$.status :", StringComparison.Ordinal) && f.Contains("« approved »", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("« ConnectionError »", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryAnswerPageMailAndExportOfAMonthSpeaksFrenchToPeople()
    {
        await using var backend = await StartAsync(new()
        {
            ["Newsletter__MaxBatchAttempts"] = "2",
            ["Forms__RateLimitPermits"] = "100",
        });
        var answers = new List<CollectedAnswer>();
        using var visitor = Client(backend, answers, null);
        using var staff = Client(backend, answers, Backend.AdministrationToken);
        var tag = "fr" + Guid.NewGuid().ToString("N")[..8];
        var today = DateTimeOffset.UtcNow;
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // The website: health, territory, forms (accepted, refused, plain HTML), a subscription confirmed through its page.
        await Expect(visitor.GetAsync("api/health"), HttpStatusCode.OK);
        await Expect(visitor.PostAsJsonAsync("api/contact", new { name = "Camille Martin", email = $"camille.{tag}@exemple.fr", topic = "adhesion", message = "Bonjour, notre association souhaite adhérer au réseau.", consent = true, website = "" }), HttpStatusCode.Created);
        await Expect(visitor.PostAsJsonAsync("api/contact", new { name = "", email = "camille@exemple", topic = "spam", message = "court", consent = false }), HttpStatusCode.BadRequest);
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Camille", ["email"] = "pas-une-adresse", ["topic"] = "information", ["message"] = "Quels sont vos horaires ?", ["website"] = "" }))
        {
            await Expect(visitor.PostAsync("api/contact", form), HttpStatusCode.BadRequest);
        }

        var porteurEmail = $"awa.{tag}@exemple.fr";
        var porteur = await Expect(visitor.PostAsJsonAsync("api/porteurs", new
        {
            firstName = "Awa",
            lastName = "Diallo",
            email = porteurEmail,
            phone = "07 11 22 33 44",
            commune = "35238",
            projectTitle = "Traiteur solidaire",
            projectDescription = "Un service traiteur avec un restaurant d'insertion, en circuit court.",
            sector = "alimentation",
            stage = "creation",
            legalStatus = "scic",
            needs = Needs,
            consent = true,
        }), HttpStatusCode.Created);
        var reference = porteur!["reference"]!.GetValue<string>();

        var subscriber = $"dominique.{tag}@exemple.fr";
        await Expect(visitor.PostAsJsonAsync("api/newsletter/subscriptions", new { email = subscriber, name = "Dominique Leroy", consent = true, website = "" }), HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Created);
        var confirm = Tokens().Issue(NewsletterLinks.ConfirmPurpose, EmailKeyOf(subscriber), TimeSpan.FromDays(1));
        await Expect(visitor.GetAsync($"api/newsletter/confirm?token={confirm}"), HttpStatusCode.OK);
        using (var confirmForm = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = confirm }))
        {
            await Expect(visitor.PostAsync("api/newsletter/confirm", confirmForm), HttpStatusCode.OK, HttpStatusCode.SeeOther);
        }

        await Expect(visitor.GetAsync("api/newsletter/confirm?token=expire"), HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.Gone, HttpStatusCode.NotFound);

        // Agenda: two proposals, one approved, one refused; moderating twice is a conflict.
        var proposer = $"alex.{tag}@exemple.fr";
        var forum = await ProposeAsync(visitor, "Forum de l'ESS du Pays de Rennes", Day(10), proposer);
        var sale = await ProposeAsync(visitor, "Vente privée", Day(12), proposer);
        await Expect(staff.GetAsync("api/staff/agenda/events?status=pending"), HttpStatusCode.OK);
        await Expect(staff.GetAsync("api/staff/agenda/events?status=inconnu"), HttpStatusCode.BadRequest);
        await Expect(staff.PostAsync($"api/staff/agenda/events/{forum}/approve", null), HttpStatusCode.OK);
        await Expect(staff.PostAsJsonAsync($"api/staff/agenda/events/{sale}/reject", new { reason = "Événement commercial, hors du champ de l'ESS." }), HttpStatusCode.OK);
        await Expect(staff.PostAsync($"api/staff/agenda/events/{sale}/approve", null), HttpStatusCode.Conflict);
        await Expect(staff.PostAsync($"api/staff/agenda/events/{forum}/approve", null), HttpStatusCode.Conflict);
        await Expect(staff.GetAsync("api/staff/agenda/events"), HttpStatusCode.OK);
        await Expect(visitor.GetAsync("api/agenda/events"), HttpStatusCode.OK);

        // Directory: an actor by hand, the staff spreadsheet (dry run, import, again unchanged), a file with a refused row.
        await Expect(staff.PostAsJsonAsync("api/staff/directory/actors", new { name = $"La Petite Rennes {tag}", kind = "association", sectors = Sectors, communeInsee = "35238", emails = new[] { $"contact.{tag}@exemple.fr" }, tags = new[] { tag } }), HttpStatusCode.Created);
        var sheet = await File.ReadAllBytesAsync(RepoPaths.Combine("samples", "data", "acteurs-exemple.csv"));
        foreach (var query in new[] { "?dryRun=true", "", "" })
        {
            using var csv = Csv(sheet);
            await Expect(staff.PostAsync("api/staff/directory/import" + query, csv), HttpStatusCode.OK);
        }

        var refused = Encoding.UTF8.GetBytes(
            "Nom de la structure;Type;N° SIRET;Commune;E-mail\n" +
            $"Atelier {tag};Association;;Rennes;atelier.{tag}@exemple.fr\n" +
            $"Café {tag};Association;123 456 789 00011;Rennes;cafe.{tag}@exemple.fr\n");
        foreach (var (query, status) in new[] { ("", HttpStatusCode.UnprocessableEntity), ("?skipRejected=true", HttpStatusCode.OK) })
        {
            using var csv = Csv(refused);
            await Expect(staff.PostAsync("api/staff/directory/import" + query, csv), status);
        }

        await Expect(staff.GetAsync($"api/staff/directory/actors?tag={tag}"), HttpStatusCode.OK);

        // Follow-up of the porteur and the contact inbox.
        await Expect(staff.GetAsync("api/staff/porteurs/cases"), HttpStatusCode.OK);
        await Expect(staff.PostAsJsonAsync($"api/staff/porteurs/cases/{reference}/phase", new { phase = "diagnostic", comment = "Premier rendez-vous fixé." }), HttpStatusCode.OK);
        await Expect(staff.PostAsJsonAsync($"api/staff/porteurs/cases/{reference}/phase", new { phase = "suivi" }), HttpStatusCode.Conflict);
        await Expect(staff.GetAsync($"api/staff/porteurs/cases/{reference}"), HttpStatusCode.OK);
        await Expect(staff.GetAsync("api/staff/inbox/messages"), HttpStatusCode.OK);
        await Expect(staff.PostAsync("api/staff/mail/check", null), HttpStatusCode.Accepted);

        // An edition from draft to sent: its first batch refused twice by SendGrid (503), so it fails and the report says why.
        await SeedSubscribersAsync(backend, 6);
        var created = await Expect(staff.PostAsJsonAsync("api/staff/newsletter/editions", new
        {
            subject = $"La lettre de Réso Solidaire {tag}",
            intro = "Bonjour, voici **les nouvelles** du réseau.",
            news = new[] { new { title = "Le forum approche", text = "Inscrivez-vous dès maintenant." } },
            sendDate = Day(-1),
        }), HttpStatusCode.Created);
        var id = created!["id"]!.GetValue<string>();
        await Expect(staff.GetAsync($"api/staff/newsletter/editions/{id}/preview"), HttpStatusCode.OK);
        await Expect(staff.PostAsync($"api/staff/newsletter/editions/{id}/approve", null), HttpStatusCode.OK);
        await Expect(staff.PostAsync($"api/staff/newsletter/editions/{id}/approve", null), HttpStatusCode.Conflict);
        backend.Mail.Faults.FailNext(503, 2);
        await RunUntilSentAsync(backend, id);
        var delivery = await Expect(staff.GetAsync($"api/staff/newsletter/editions/{id}/delivery"), HttpStatusCode.OK);
        var batches = delivery!["batches"]!.AsArray();
        var failed = batches.Single(b => b!["status"]!.GetValue<string>() == "failed")!["batch"]!.GetValue<string>();
        var sent = batches.First(b => b!["status"]!.GetValue<string>() == "sent")!["batch"]!.GetValue<string>();
        await backend.Mail.Messages.WaitForAsync(m => m.Subject.StartsWith("Rapport d'envoi", StringComparison.Ordinal) && m.Subject.Contains(tag, StringComparison.Ordinal), MailWait);
        await Expect(staff.PostAsync($"api/staff/newsletter/editions/{id}/batches/{sent}/resend", null), HttpStatusCode.Conflict);
        await Expect(staff.PostAsync($"api/staff/newsletter/editions/{id}/batches/{failed}/resend", null), HttpStatusCode.Accepted);
        await RunUntilSentAsync(backend, id);
        await Expect(staff.GetAsync($"api/staff/newsletter/editions/{id}/delivery"), HttpStatusCode.OK);
        await Expect(staff.GetAsync($"api/staff/newsletter/editions/{id}"), HttpStatusCode.OK);
        await Expect(staff.GetAsync("api/staff/newsletter/editions"), HttpStatusCode.OK);
        await Eventually.TrueAsync(() => Task.FromResult(backend.Mail.Messages.Snapshot().Count(m => m.Subject.StartsWith("Rapport d'envoi", StringComparison.Ordinal)) >= 2), MailWait, "the second delivery report");

        // The subscriber's pages, the public archive.
        var key = EmailKeyOf(subscriber);
        await Expect(visitor.GetAsync($"api/newsletter/preferences?token={Tokens().Issue(NewsletterLinks.PreferencesPurpose, key, TimeSpan.FromDays(1))}"), HttpStatusCode.OK);
        await Expect(visitor.GetAsync($"api/newsletter/unsubscribe?token={Tokens().Issue(NewsletterLinks.UnsubscribePurpose, key, TimeSpan.FromDays(1))}"), HttpStatusCode.OK);
        await Expect(visitor.GetAsync("api/newsletter/archive"), HttpStatusCode.OK);
        await Expect(visitor.GetAsync($"api/newsletter/archive/{id}"), HttpStatusCode.OK);

        // Exports in every format, and what is held about two people.
        foreach (var dataset in new[] { "actors", "agenda-events", "contact-messages", "porteurs", "subscribers", $"deliveries?edition={id}", "audit" })
        {
            var separator = dataset.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            foreach (var format in new[] { "excel", "csv", "xlsx", "json" })
            {
                await Expect(staff.GetAsync($"api/staff/exports/{dataset}{separator}format={format}"), HttpStatusCode.OK);
            }
        }

        await Expect(staff.GetAsync("api/staff/exports/deliveries?status=envoye"), HttpStatusCode.BadRequest);
        foreach (var person in new[] { proposer, subscriber, porteurEmail })
        {
            await Expect(staff.PostAsJsonAsync("api/staff/privacy/access", new { email = person }), HttpStatusCode.OK);
        }

        var mails = backend.Mail.Messages.Snapshot();
        var findings = PersonFacingText.Findings(answers, mails);

        Assert.True(answers.Count > 60, $"only {answers.Count} answers collected");
        Assert.Contains(mails, m => m.Subject.StartsWith("Rapport d'envoi", StringComparison.Ordinal) && (m.Text ?? "").Contains("En échec", StringComparison.Ordinal));
        Assert.True(findings.Count == 0, "English reaches people:\n" + string.Join('\n', findings.Distinct().Take(40)));
    }

    private static HttpClient Client(Backend backend, List<CollectedAnswer> answers, string? bearerToken)
    {
        var client = new HttpClient(new AnswerRecorder(answers)) { BaseAddress = backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("Accept-Language", "fr-FR");
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    private static ByteArrayContent Csv(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static async Task<string> ProposeAsync(HttpClient visitor, string title, string date, string contactEmail)
    {
        var answer = await Expect(visitor.PostAsJsonAsync("api/agenda/events", new
        {
            title,
            startDate = date,
            startTime = "18:30",
            place = "Le Tambour",
            commune = "Rennes",
            description = "Une soirée de rencontre entre structures de l'ESS.",
            organiser = "Les Vélos Solidaires",
            contactName = "Alex Morel",
            contactEmail,
            consent = true,
            website = "",
        }), HttpStatusCode.Accepted);
        return answer!["id"]!.GetValue<string>();
    }

    /// <summary>Checks the status (the scenario must really happen) and returns the JSON body when there is one.</summary>
    private static async Task<JsonObject?> Expect(Task<HttpResponseMessage> sending, params HttpStatusCode[] expected)
    {
        using var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
        return response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json" && body.TrimStart().StartsWith('{')
            ? JsonNode.Parse(body)!.AsObject()
            : null;
    }
}
