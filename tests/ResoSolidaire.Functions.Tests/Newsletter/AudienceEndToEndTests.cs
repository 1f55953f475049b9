using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Testing;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterBackend;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterSeeds;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>
/// A targeted mailing and the monthly draft end to end: the staff API, the local host, the real worker, Azurite and
/// the mail sink. Each test has a backend of its own, so that what the sink received is all the test's.
/// </summary>
public sealed partial class AudienceEndToEndTests
{
    private const string RennesMetropole = "243500139";
    private const string LiffreCormier = "243500774";

    private static List<string> Values(params string[] values) => [.. values];

    /// <summary>Each address a targeted mailing reached, with its number of copies.</summary>
    private static Dictionary<string, int> MailingCopies(Backend backend) =>
        backend.Mail.Messages.Snapshot()
            .Where(m => m.IsValid && m.Categories.Contains("newsletter-envoi-cible"))
            .SelectMany(m => m.Personalizations.SelectMany(p => p.To))
            .GroupBy(a => a, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

    /// <summary>A backend of the test's own; proposers are visitors of their own (the tests play the front end, two trusted hops).</summary>
    private static Task<Backend> StartAsync() => NewsletterBackend.StartAsync(new() { ["Forms__TrustedProxyHops"] = "2" });

    [Fact]
    public async Task AMailingToTheMobilityAssociationsOfRennesMetropoleReachesExactlyThemAndNobodyElse()
    {
        await using var backend = await StartAsync();

        // In the segment: two associations of Rennes Métropole (Rennes and Cesson-Sévigné) in mobility, and the
        // subscribers who follow Rennes Métropole (or every territory) and mobility (or every sector)... but a
        // kind is asked, which subscribers do not have: none of them.
        await ActorAsync(backend, "Vélo Solidaire", "velo@rennes.example", commune: "35238", sectors: ["mobilite", "insertion-emploi"], quartier: "le-blosne");
        await ActorAsync(backend, "Roue Libre Cesson", "roue@cesson.example", commune: "35051", sectors: ["mobilite"]);

        // Out of it, each for one reason.
        await ActorAsync(backend, "Coop Mobile", "coop@rennes.example", kind: "cooperative", commune: "35238", sectors: ["mobilite"]);
        await ActorAsync(backend, "Vélo Liffré", "velo@liffre.example", commune: "35152", sectors: ["mobilite"]);
        await ActorAsync(backend, "Culture Rennes", "culture@rennes.example", commune: "35238", sectors: ["culture"]);
        await ActorAsync(backend, "Sans lettre", "non@rennes.example", commune: "35238", sectors: ["mobilite"], newsletter: false);
        await ActorAsync(backend, "Désinscrite", "partie@rennes.example", commune: "35238", sectors: ["mobilite"]);
        await SubscriberAsync(backend, "abonne-tout@exemple.fr");
        await SubscriberAsync(backend, "abonne-rm-mobilite@exemple.fr", territories: [RennesMetropole], sectors: ["mobilite"]);
        var unsubscribe = Tokens().Issue(Functions.Newsletter.NewsletterLinks.UnsubscribePurpose, EmailKeyOf("partie@rennes.example"), TimeSpan.FromDays(1));
        using (var left = await backend.Client.PostAsync($"api/newsletter/unsubscribe?token={unsubscribe}", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.True(left.IsSuccessStatusCode, $"unsubscribe: {(int)left.StatusCode}");
        }

        var id = await EditionAsync(backend, "Appel à projets mobilité", Today.AddDays(-1), new { epcis = Values(RennesMetropole), sectors = Values("mobilite"), kinds = Values("association") });

        // Before it leaves, the console's audience builder counts exactly those two, by source, the unsubscribed address set aside.
        var builder = WebUtility.HtmlDecode(await backend.StaffClient.GetStringAsync($"api/equipe/lettre/{id}/destinataires"));
        Assert.Contains("<strong>2</strong> destinataires", builder, StringComparison.Ordinal);
        Assert.Contains("Annuaire : <strong>2</strong>", builder, StringComparison.Ordinal);
        Assert.Contains("Abonnés : <strong>0</strong>", builder, StringComparison.Ordinal);
        Assert.Contains("Sont laissées de côté : 1 adresse exclue de tout envoi", builder, StringComparison.Ordinal);
        var sample = SampleAddress().Matches(builder).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(["roue@cesson.example", "velo@rennes.example"], sample);

        await ApproveAsync(backend, id);
        await RunUntilSentAsync(backend, id);

        var copies = MailingCopies(backend);
        Assert.Equal(["roue@cesson.example", "velo@rennes.example"], copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        var sent = backend.Mail.Messages.Snapshot().Where(m => m.Categories.Contains("newsletter-envoi-cible")).ToList();
        Assert.All(sent, m => Assert.Equal("Appel à projets mobilité", m.Subject));
        var edition = await EditionAsync(backend, id);
        Assert.Equal("mailing", edition["kind"]!.GetValue<string>());
        Assert.Equal(2, edition["counts"]!["sent"]!.GetValue<int>());
    }

    [Fact]
    public async Task SubscribersFollowingAChosenPlaceOrSectorUnderAnotherSpellingReceiveAMailingWithoutKind()
    {
        await using var backend = await StartAsync();
        await ActorAsync(backend, "Chantier d'insertion", "chantier@rennes.example", commune: "35238", sectors: ["insertion-emploi"], quartier: "le-blosne");
        await SubscriberAsync(backend, "suit-insertion@exemple.fr", territories: [RennesMetropole], sectors: ["insertion"]);
        await SubscriberAsync(backend, "suit-tout@exemple.fr");
        await SubscriberAsync(backend, "suit-liffre@exemple.fr", territories: [LiffreCormier]);
        await SubscriberAsync(backend, "suit-culture@exemple.fr", sectors: ["culture"]);

        var id = await EditionAsync(backend, "Le Blosne : forum de l'emploi", Today.AddDays(-1), new { quartiers = Values("le-blosne"), sectors = Values("insertion-emploi") });
        await ApproveAsync(backend, id);
        await RunUntilSentAsync(backend, id);

        Assert.Equal(["chantier@rennes.example", "suit-insertion@exemple.fr", "suit-tout@exemple.fr"], MailingCopies(backend).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ASegmentWithValuesThatAreNotOfferedIsRefusedFieldByFieldInFrenchAndNothingIsCreated()
    {
        await using var backend = await StartAsync();

        using var response = await backend.StaffClient.PostAsJsonAsync("api/staff/newsletter/editions", new
        {
            subject = "Envoi avec une faute de frappe",
            segment = new { epcis = Values(RennesMetropole, "200039022"), communes = Values("35238", "75056"), quartiers = Values("centre-ville"), sectors = Values("mobilte"), kinds = Values("asso"), tags = Values("inconnue") },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains("EPCI inconnu du Pays de Rennes : « 200039022 »", Assert.Single(problem.FieldErrors("segment.epcis[1]")), StringComparison.Ordinal);
        Assert.Contains("Commune inconnue du Pays de Rennes : « 75056 »", Assert.Single(problem.FieldErrors("segment.communes[1]")), StringComparison.Ordinal);
        Assert.Contains("Quartier de Rennes inconnu", Assert.Single(problem.FieldErrors("segment.quartiers[0]")), StringComparison.Ordinal);
        Assert.Contains("Secteur inconnu : « mobilte »", Assert.Single(problem.FieldErrors("segment.sectors[0]")), StringComparison.Ordinal);
        Assert.Contains("Type de structure inconnu : « asso »", Assert.Single(problem.FieldErrors("segment.kinds[0]")), StringComparison.Ordinal);
        Assert.Contains("Étiquette inconnue : « inconnue »", Assert.Single(problem.FieldErrors("segment.tags[0]")), StringComparison.Ordinal);
        Assert.False(problem["errors"]!.AsObject().ContainsKey("segment.epcis[0]"));
        Assert.Empty(await backend.StaffClient.GetFromJsonAsync<JsonArray>("api/staff/newsletter/editions") ?? []);
    }

    [Fact]
    public async Task ATestGoesToTheSignedInPersonsOwnMailboxAndAScriptsToTheStaffMailboxes()
    {
        await using var backend = await StartAsync();
        var id = await EditionAsync(backend, "Lettre à tester", Today.AddDays(20));
        using var script = backend.CreateClient(null, "local-import-script-token-change-me");

        using var byPerson = await backend.StaffClient.PostAsync($"api/staff/newsletter/editions/{id}/test", null);
        using var byScript = await script.PostAsync($"api/staff/newsletter/editions/{id}/test", null);

        Assert.Equal(HttpStatusCode.Accepted, byPerson.StatusCode);
        Assert.Equal("dominique.lefevre@reso-solidaire.example", Assert.Single((await byPerson.Content.ReadFromJsonAsync<JsonObject>())!["to"]!.AsArray())!.GetValue<string>());
        Assert.Equal("equipe@reso-solidaire.example", Assert.Single((await byScript.Content.ReadFromJsonAsync<JsonObject>())!["to"]!.AsArray())!.GetValue<string>());
        var mail = await backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("dominique.lefevre@reso-solidaire.example"), TimeSpan.FromSeconds(20));
        Assert.Equal("[TEST] Lettre à tester", mail.Subject);
    }

    [Fact]
    public async Task TheMonthlyDraftTimerDraftsNextMonthsEditionWithTheApprovedEventsOfItsWeeksOnly()
    {
        await using var backend = await StartAsync();
        var month = new DateOnly(Today.Year, Today.Month, 1).AddMonths(1);
        var sendDay = month.AddDays(4); // Newsletter__SendDay 5
        var approved = await ApprovedEventAsync(backend, "Forum des associations du Blosne", sendDay.AddDays(3));
        await ApprovedEventAsync(backend, "Fête de la mobilité", sendDay.AddDays(20));
        await ProposedEventAsync(backend, "Proposition pas encore modérée", sendDay.AddDays(5));
        var refused = await ProposedEventAsync(backend, "Vente privée refusée", sendDay.AddDays(6));
        using (var rejected = await backend.StaffClient.PostAsJsonAsync($"api/staff/agenda/events/{refused}/reject", new { reason = "Hors du champ de l'ESS." }))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        await ApprovedEventAsync(backend, "Avant la lettre", sendDay.AddDays(-1));
        await ApprovedEventAsync(backend, "Bien après la lettre", sendDay.AddDays(60));

        await backend.RunFunctionAsync("DraftMonthlyNewsletter");

        var id = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var draft = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await backend.StaffClient.GetAsync($"api/staff/newsletter/editions/{id}");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            },
            done: d => d is not null,
            what: "the monthly draft");
        Assert.Equal("draft", draft!["status"]!.GetValue<string>());
        Assert.Equal(Day(sendDay), draft["sendDate"]!.GetValue<string>());
        var text = await backend.StaffClient.GetStringAsync($"api/staff/newsletter/editions/{id}/preview?format=text");
        Assert.Contains("Forum des associations du Blosne", text, StringComparison.Ordinal);
        Assert.Contains("Fête de la mobilité", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Proposition pas encore modérée", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Vente privée refusée", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Avant la lettre", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bien après la lettre", text, StringComparison.Ordinal);
        var mail = await backend.Mail.Messages.WaitForAsync(m => m.Subject.EndsWith("brouillon à relire", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains($"/api/equipe/lettre/{id}", mail.Text, StringComparison.Ordinal);

        // Leaving an event out of the draft takes it out of the edition, and only that one.
        using var put = await backend.StaffClient.PutAsJsonAsync($"api/staff/newsletter/editions/{id}", new { excludedEvents = Values(approved) });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await backend.StaffClient.GetStringAsync($"api/staff/newsletter/editions/{id}/preview?format=text");
        Assert.DoesNotContain("Forum des associations du Blosne", after, StringComparison.Ordinal);
        Assert.Contains("Fête de la mobilité", after, StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex("<span class=\"adresse\">([^<]+)</span>")]
    private static partial System.Text.RegularExpressions.Regex SampleAddress();
}
