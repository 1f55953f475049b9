using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Platform.Audit;
using static ResoSolidaire.Functions.Tests.Console.ConsoleBrowser;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterSeeds;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// The newsletter and agenda pages of the staff console in headless Chromium, through the local host and the real
/// worker, signed in as Camille Martin (« Équipe ») on the host's development sign-in page: moderating the agenda,
/// writing, previewing (with and without JavaScript), testing and approving an edition, building the audience of a
/// targeted mailing, resending failed batches, stopping the newsletter for someone. Every page is scanned by axe and
/// saved as a screenshot in screenshots/ beside the test binaries. Tests share the backend and create their own data.
/// </summary>
public sealed class NewsletterConsoleBrowserTests(NewsletterConsoleFixture site) : IClassFixture<NewsletterConsoleFixture>
{
    private const string CamilleEmail = "camille.martin@reso-solidaire.example";
    private const string CamilleObjectId = "fdb4efa6-505a-4588-a961-32ff22327897";

    [Fact]
    public async Task AProposalIsCorrectedAndApprovedAndAnotherIsRefusedWithItsReasonMailedToTheProposer()
    {
        var tag = Tag();
        var date = Today.AddDays(12);
        var corrected = await ProposedEventAsync(site.Backend, $"Forum de l'ESS {tag} (brouillon)", date);
        await ProposedEventAsync(site.Backend, $"Vente privée {tag}", date, contactEmail: $"vendeur-{tag}@exemple.fr");
        var page = await site.SignedInPageAsync("api/equipe");

        await Assertions.Expect(page.Locator(".a-traiter")).ToContainTextAsync("événements proposés à modérer");
        await page.GetByRole(AriaRole.Link, new() { Name = "événements proposés à modérer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agenda", Level = 1 })).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Forum de l'ESS {tag}" });
        await Assertions.Expect(row).ToContainTextAsync("Alix Proposeur");
        await Assertions.Expect(row).ToContainTextAsync("À modérer");
        await CheckAsync(page, "console-agenda");
        await CheckOnTabletWithPreviewAsync(page, "console-agenda-tablette");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("proposeur@exemple.fr");
        await CheckAsync(page, "console-agenda-evenement");
        await CheckOnTabletWithPreviewAsync(page, "console-agenda-evenement-tablette");

        // A correction that empties the title is refused, the other fields kept.
        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Lieu", new() { Exact = true }).FillAsync("Le Triangle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et valider" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("Le titre est obligatoire.");
        await Assertions.Expect(page.GetByLabel("Lieu", new() { Exact = true })).ToHaveValueAsync("Le Triangle");
        await CheckAsync(page, "console-agenda-erreur");

        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync($"Forum de l'ESS {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et valider" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("L'événement est validé");
        var listed = (await site.Backend.Client.GetFromJsonAsync<JsonArray>("api/agenda/events"))!.Single(e => e!["id"]!.GetValue<string>() == corrected)!;
        Assert.Equal(($"Forum de l'ESS {tag}", "Le Triangle"), (listed["title"]!.GetValue<string>(), listed["place"]!.GetValue<string>()));
        await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("proposeur@exemple.fr") && m.Text!.Contains($"Forum de l'ESS {tag}", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        // The refusal: the reason, then the mail read before it leaves.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Vente privée {tag}" }).ClickAsync();
        await page.GetByLabel("Motif, envoyé par courriel au contact").FillAsync("Une vente commerciale n'entre pas dans le champ de l'ESS.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refuser…" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Refuser cette proposition ?" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("pre.texte-message")).ToContainTextAsync("Une vente commerciale n'entre pas dans le champ de l'ESS.");
        await CheckAsync(page, "console-agenda-refus");
        Assert.DoesNotContain(site.Backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo($"vendeur-{tag}@exemple.fr") && m.Subject.Contains("pas été retenue", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Refuser et envoyer le courriel" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("La proposition est refusée");
        var refusal = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo($"vendeur-{tag}@exemple.fr") && m.Subject.Contains("pas été retenue", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("Une vente commerciale n'entre pas dans le champ de l'ESS.", refusal.Text, StringComparison.Ordinal);
        await page.GotoAsync(site.Url("api/equipe/agenda?etat=refuses"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Vente privée {tag}" })).ToContainTextAsync("Refusé");
    }

    [Fact]
    public async Task AMonthlyEditionIsWrittenPreviewedWithoutJavaScriptTestedAndApproved()
    {
        var tag = Tag();
        var sendDate = Today.AddDays(20);
        var actor = $"Vélo Solidaire {tag}";
        await ActorAsync(site.Backend, actor, $"velo-{tag}@structure.example", sectors: ["mobilite"]);
        await ApprovedEventAsync(site.Backend, $"Atelier réparation {tag}", sendDate.AddDays(3));
        await ApprovedEventAsync(site.Backend, $"Bourse aux vélos {tag}", sendDate.AddDays(5));
        var page = await site.SignedInPageAsync("api/equipe/lettre", javaScript: false);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lettre d'information", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouvelle lettre mensuelle" }).ClickAsync();
        await page.GetByLabel("Objet du courriel").FillAsync($"La lettre de test {tag}");
        await page.GetByLabel("Date d'envoi").FillAsync(Day(sendDate));
        await page.GetByLabel("Heure d'envoi").FillAsync("09:30");
        await CheckWithoutJavaScriptAsync(page, "console-lettre-nouvelle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer et rédiger" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("L'édition est créée");
        var editionPath = new Uri(page.Url).AbsolutePath;

        // Without JavaScript, « Prévisualiser » shows the mail with what was typed, saving nothing.
        await page.GetByLabel("Introduction").FillAsync("Bonjour **à toutes et tous**, voici les nouvelles du réseau.");
        await page.Locator("#nouvelle-0-titre").FillAsync($"Un nouveau tiers-lieu {tag}");
        await page.Locator("#nouvelle-0-texte").FillAsync("Ouverture en *juin* à Rennes.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Prévisualiser" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("ne sont pas encore enregistrées");
        var mail = page.FrameLocator("iframe.apercu-html");
        await Assertions.Expect(mail.Locator("body")).ToContainTextAsync($"Un nouveau tiers-lieu {tag}");
        await Assertions.Expect(mail.Locator("strong").First).ToHaveTextAsync("à toutes et tous");
        await Assertions.Expect(page.Locator(".apercu-texte pre")).ToContainTextAsync($"Atelier réparation {tag}");
        await CheckWithoutJavaScriptAsync(page, "console-lettre-apercu");

        // The spotlight: a structure found in the directory without its accents, put forward.
        await page.GetByLabel("Chercher une structure dans l'annuaire").FillAsync($"velo solidaire {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Mettre en avant {actor}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("La structure est ajoutée au coup de projecteur");
        await Assertions.Expect(page.Locator("#projecteur legend").Filter(new() { HasText = actor })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nouvelle-0-titre")).ToHaveValueAsync($"Un nouveau tiers-lieu {tag}");

        // The agenda of its weeks is in it; one event is left out.
        await page.GetByLabel($"Atelier réparation {tag}", new() { Exact = false }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Les modifications sont enregistrées.");
        await Assertions.Expect(page.GetByLabel($"Atelier réparation {tag}", new() { Exact = false })).Not.ToBeCheckedAsync();
        await Assertions.Expect(mail.Locator("body")).Not.ToContainTextAsync($"Atelier réparation {tag}");
        await Assertions.Expect(mail.Locator("body")).ToContainTextAsync($"Bourse aux vélos {tag}");
        await Assertions.Expect(mail.Locator("body")).ToContainTextAsync(actor);
        await CheckWithoutJavaScriptAsync(page, "console-lettre-editeur");
        await CheckWithoutJavaScriptOnTabletAsync(page, "console-lettre-editeur-tablette");

        // An empty subject is refused beside the field, nothing saved.
        await page.GetByLabel("Objet du courriel").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs a[href='#subject']")).ToHaveTextAsync("L'objet est obligatoire.");
        await Assertions.Expect(page.Locator("#nouvelle-0-titre")).ToHaveValueAsync($"Un nouveau tiers-lieu {tag}");
        await CheckWithoutJavaScriptAsync(page, "console-lettre-erreur");
        await page.GotoAsync(site.Url(editionPath.TrimStart('/')));
        await Assertions.Expect(page.GetByLabel("Objet du courriel")).ToHaveValueAsync($"La lettre de test {tag}");

        // The test goes to the signed-in person's own mailbox.
        await page.GetByRole(AriaRole.Button, new() { Name = "M'envoyer un test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(CamilleEmail);
        var test = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(CamilleEmail) && m.Subject == $"[TEST] La lettre de test {tag}", TimeSpan.FromSeconds(20));
        Assert.Contains($"Bourse aux vélos {tag}", test.Text, StringComparison.Ordinal);

        // Check, then approve.
        await page.GetByRole(AriaRole.Link, new() { Name = "Vérifier et approuver l'envoi" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vérifier avant d'approuver" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("Un nouveau tiers-lieu");
        await CheckWithoutJavaScriptAsync(page, "console-lettre-approuver");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approuver l'envoi" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("L'édition est approuvée");
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync("par Camille Martin");
        await page.GotoAsync(site.Url("api/equipe/lettre"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"La lettre de test {tag}" })).ToContainTextAsync("Approuvée");
        await CheckWithoutJavaScriptAsync(page, "console-lettre-liste");
    }

    [Fact]
    public async Task WithJavaScriptThePreviewFollowsWhatIsTypedWithoutSaving()
    {
        var tag = Tag();
        var id = await EditionAsync(site.Backend, $"Lettre en direct {tag}", Today.AddDays(25));
        var page = await site.SignedInPageAsync($"api/equipe/lettre/{id}");

        await page.Locator("#nouvelle-1-titre").FillAsync($"Nouvelle tapée à l'instant {tag}");

        await Assertions.Expect(page.FrameLocator("iframe.apercu-html").Locator("body")).ToContainTextAsync($"Nouvelle tapée à l'instant {tag}");
        await Assertions.Expect(page.Locator("#apercu")).ToContainTextAsync("ne sont pas encore enregistrées");
        await page.ReloadAsync();
        await Assertions.Expect(page.FrameLocator("iframe.apercu-html").Locator("body")).Not.ToContainTextAsync($"Nouvelle tapée à l'instant {tag}");
    }

    [Fact]
    public async Task AnEditionChangedMeanwhileByAnotherPersonIsNotOverwrittenUnknowingly()
    {
        var tag = Tag();
        var id = await EditionAsync(site.Backend, $"Lettre à deux mains {tag}", Today.AddDays(25));
        var page = await site.SignedInPageAsync($"api/equipe/lettre/{id}", javaScript: false);
        await page.GetByLabel("Introduction").FillAsync("Le texte de Camille.");

        // Meanwhile Dominique changes the subject (through the API, as the other person's browser would through the console).
        using (var other = await site.Backend.StaffClient.PutAsJsonAsync($"api/staff/newsletter/editions/{id}", new { subject = $"Objet de Dominique {tag}" }))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).First.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("modifiée par Dominique Lefèvre");
        await Assertions.Expect(page.GetByLabel("Introduction")).ToHaveValueAsync("Le texte de Camille.");
        Assert.Equal($"Objet de Dominique {tag}", (await Newsletter.NewsletterBackend.EditionAsync(site.Backend, id))["subject"]!.GetValue<string>());
        await CheckWithoutJavaScriptAsync(page, "console-lettre-modifiee-entre-temps");

        // Saving again, knowing it, replaces the other version.
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Les modifications sont enregistrées.");
        Assert.Equal("Le texte de Camille.", (await Newsletter.NewsletterBackend.EditionAsync(site.Backend, id))["intro"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATargetedMailingsRecipientsAreCountedBySourceAsCriteriaAreTickedAndSaved()
    {
        var tag = Tag();
        await ActorAsync(site.Backend, $"Roue Libre {tag}", $"roue-{tag}@structure.example", commune: "35051", sectors: ["mobilite"], tags: [$"vélo {tag}"]);
        await ActorAsync(site.Backend, $"Coop Mobile {tag}", $"coop-{tag}@structure.example", kind: "cooperative", commune: "35238", sectors: ["mobilite"]);
        await SubscriberAsync(site.Backend, $"abonne-{tag}@exemple.fr", $"Sacha {tag}", territories: ["243500139"], sectors: ["mobilite"]);
        var page = await site.SignedInPageAsync($"api/equipe/lettre/nouvelle?type=envoi-cible");
        await page.GetByLabel("Objet du courriel").FillAsync($"Appel à projets mobilité {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer et rédiger" }).ClickAsync();
        await Assertions.Expect(page.Locator(".destinataires-resume")).ToContainTextAsync("tous");
        await page.GetByRole(AriaRole.Link, new() { Name = "Choisir les destinataires" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Destinataires de l'envoi ciblé" })).ToBeVisibleAsync();

        // Each tick counts again (htmx), by source. Other tests' people may be counted too: only this test's are looked at.
        await page.GetByLabel("Rennes Métropole", new() { Exact = true }).CheckAsync();
        await page.Locator("#critere-sectors").GetByLabel("Mobilité", new() { Exact = true }).CheckAsync();
        await page.GetByLabel($"vélo {tag}", new() { Exact = true }).CheckAsync();
        var count = page.Locator("#compte");
        var mine = count.Locator(".echantillon .adresse").Filter(new() { HasText = $"-{tag}@structure" }); // this test's actors

        await Assertions.Expect(count.Locator(".grand-nombre")).ToHaveTextAsync("1 destinataire");
        await Assertions.Expect(mine).ToHaveTextAsync([$"roue-{tag}@structure.example"]);
        await Assertions.Expect(count).ToContainTextAsync("seuls des acteurs de l'annuaire");
        await page.GetByLabel($"vélo {tag}", new() { Exact = true }).UncheckAsync();
        await Assertions.Expect(mine).ToHaveCountAsync(2);
        await Assertions.Expect(count.Locator(".repartition")).ToContainTextAsync(new Regex(@"Abonnés : [1-9]"));
        await Assertions.Expect(mine.Filter(new() { HasText = $"coop-{tag}@" })).ToHaveCountAsync(1);
        await page.Locator("#critere-kinds").GetByLabel("Association", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(mine).ToHaveTextAsync([$"roue-{tag}@structure.example"]);
        await Assertions.Expect(count.Locator(".repartition")).ToContainTextAsync("Abonnés : 0");
        await CheckAsync(page, "console-lettre-destinataires");
        await CheckOnTabletWithPreviewAsync(page, "console-lettre-destinataires-tablette");

        // A value that is not offered (a forged form) is refused, nothing saved.
        var token = await page.Locator("#criteres input[name=jeton]").InputValueAsync();
        var action = await page.Locator("#criteres").GetAttributeAsync("action");
        var forged = await page.APIRequest.PostAsync(site.Url(action!.TrimStart('/')), new() { Form = FormOf(page, ("jeton", token), ("sectors", "mobilte"), ("epcis", "243500139")) });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("Secteur inconnu : « mobilte »", WebUtility.HtmlDecode(await forged.TextAsync()), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer ces destinataires" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Les destinataires de l'envoi sont enregistrés.");
        var summary = page.Locator(".destinataires-resume");
        await Assertions.Expect(summary).ToContainTextAsync("Rennes Métropole");
        await Assertions.Expect(summary).ToContainTextAsync("Mobilité");
        await Assertions.Expect(summary).ToContainTextAsync("Association");
        await Assertions.Expect(summary).Not.ToContainTextAsync($"vélo {tag}");
    }

    [Fact]
    public async Task WithoutJavaScriptTheRecipientsAreCountedByTheButton()
    {
        var tag = Tag();
        var id = await EditionAsync(site.Backend, $"Envoi sans JavaScript {tag}", Today.AddDays(25), new { quartiers = Values("le-blosne") });
        await ActorAsync(site.Backend, $"Asso du Blosne {tag}", $"blosne-{tag}@structure.example", quartier: "le-blosne", sectors: ["culture"]);
        var page = await site.SignedInPageAsync($"api/equipe/lettre/{id}/destinataires", javaScript: false);
        await Assertions.Expect(page.Locator("#critere-quartiers")).ToHaveAttributeAsync("open", "");

        await page.Locator("#critere-sectors").GetByLabel("Culture, loisirs", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compter les destinataires" }).ClickAsync();

        await Assertions.Expect(page.Locator("#compte .echantillon .adresse").Filter(new() { HasText = tag })).ToHaveTextAsync([$"blosne-{tag}@structure.example"]);
        await Assertions.Expect(page.Locator("#critere-sectors").GetByLabel("Culture, loisirs", new() { Exact = true })).ToBeCheckedAsync();
        Assert.Contains("/destinataires", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedBatchIsResentFromTheDeliveryPageAndAnUncertainOneOnlyAfterTheDoubleCopyWarning()
    {
        var tag = Tag();
        foreach (var n in Enumerable.Range(1, 7))
        {
            await SubscriberAsync(site.Backend, $"lecteur{n}-{tag}@exemple.fr");
        }

        var id = await EditionAsync(site.Backend, $"Lettre à renvoyer {tag}", Today.AddDays(-1));
        await ApproveAsync(site.Backend, id);
        site.Backend.Mail.Faults.FailNext(503, 1);
        await Newsletter.NewsletterBackend.RunUntilSentAsync(site.Backend, id);
        site.Backend.Mail.Faults.Clear();
        var page = await site.SignedInPageAsync("api/equipe");

        await Assertions.Expect(page.Locator(".a-traiter")).ToContainTextAsync("en échec ou incertain");
        await CheckAsync(page, "console-accueil-lettre");
        await page.GotoAsync(site.Url($"api/equipe/lettre/{id}/envoi"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Rapport d'envoi : Lettre à renvoyer {tag}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.liste").First).ToContainTextAsync("En échec");
        await Assertions.Expect(page.Locator(".chiffres")).ToContainTextAsync("en échec");
        await CheckAsync(page, "console-lettre-envoi");
        await CheckOnTabletWithPreviewAsync(page, "console-lettre-envoi-tablette");

        await page.GetByRole(AriaRole.Link, new() { Name = "Renvoyer aux destinataires en échec" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Renvoyer aux destinataires en échec" })).ToBeVisibleAsync();
        await CheckAsync(page, "console-lettre-relancer-echecs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Renvoyer les lots en échec" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Les lots en échec sont renvoyés");
        await Newsletter.NewsletterBackend.RunUntilSentAsync(site.Backend, id);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("table.liste").First).Not.ToContainTextAsync("En échec");
        await Assertions.Expect(page.Locator("table.liste").First).ToContainTextAsync("par Camille Martin");
        var copies = Newsletter.NewsletterBackend.Copies(site.Backend.Mail);
        Assert.All(Enumerable.Range(1, 7), n => Assert.Equal(1, copies.GetValueOrDefault($"lecteur{n}-{tag}@exemple.fr")));

        // A batch whose dispatcher stopped mid-request (made so in storage) is resent only after the warning.
        var edition = await Newsletter.NewsletterBackend.EditionAsync(site.Backend, id);
        var batches = site.Backend.Table("NewsletterBatches");
        var ledgerKey = (await site.Backend.Table("NewsletterEditions").GetEntityAsync<TableEntity>("edition", id)).Value.GetString("LedgerKey");
        var first = (await batches.GetEntityAsync<BatchEntity>(ledgerKey, BatchEntity.Row(0))).Value;
        first.Status = BatchStatus.Uncertain;
        first.LastError = "Le répartiteur s'est arrêté pendant l'envoi : SendGrid a peut-être reçu ce lot.";
        await batches.UpdateEntityAsync(first, first.ETag, TableUpdateMode.Replace);
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Renvoyer le lot 1" }).ClickAsync();
        await Assertions.Expect(page.Locator(".avertissement")).ToContainTextAsync("deux fois");
        await CheckAsync(page, "console-lettre-renvoi-incertain");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revenir sans renvoyer" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.liste").First).ToContainTextAsync("Incertain");
        Assert.Equal("sent", edition["status"]!.GetValue<string>());

        // The list of editions gives its status and counts, and leads to the batch to check.
        // (Other tests' subscribers receive a monthly edition too: the figure is the delivery page's.)
        var recipients = await page.Locator(".chiffres li strong").First.InnerTextAsync();
        await page.GotoAsync(site.Url("api/equipe/lettre"));
        var cells = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Lettre à renvoyer {tag}" }).Locator("td");
        await Assertions.Expect(cells.Nth(3)).ToHaveTextAsync("Envoyée");
        await Assertions.Expect(cells.Nth(4)).ToHaveTextAsync(recipients);
        await Assertions.Expect(cells.Nth(5)).ToHaveTextAsync(recipients);
        await Assertions.Expect(cells.Nth(6)).ToHaveTextAsync("1 lot en échec ou incertain");

        await page.GotoAsync(site.Url("api/equipe/lettre/archives"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Lettre à renvoyer {tag}" })).ToContainTextAsync("Version web");
        await CheckAsync(page, "console-lettre-archives");

        // Resent after the warning: its recipients may get a second copy, and only they.
        await page.GotoAsync(site.Url($"api/equipe/lettre/{id}/envoi"));
        var batchOne = (await page.Locator("table[aria-labelledby=a-verifier] td.adresse").AllInnerTextsAsync()).Where(a => a.Contains(tag, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(batchOne);
        await page.GetByRole(AriaRole.Link, new() { Name = "Renvoyer le lot 1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Renvoyer quand même" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Le lot est renvoyé");
        await Newsletter.NewsletterBackend.RunUntilSentAsync(site.Backend, id);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("table.liste").First).Not.ToContainTextAsync("Incertain");
        var after = Newsletter.NewsletterBackend.Copies(site.Backend.Mail);
        Assert.All(Enumerable.Range(1, 7).Select(n => $"lecteur{n}-{tag}@exemple.fr"), a => Assert.Equal(batchOne.Contains(a) ? 2 : 1, after.GetValueOrDefault(a)));
    }

    [Fact]
    public async Task AStaffMemberStopsTheNewsletterForSomeoneWhoAskedAndTheAuditLogNamesThem()
    {
        var tag = Tag();
        var email = $"Claude.{tag}@Exemple.fr";
        await SubscriberAsync(site.Backend, email, $"Claude Lemaître {tag}", territories: ["243500139"], sectors: ["culture", "mobilite"]);
        var page = await site.SignedInPageAsync("api/equipe/lettre/abonnes", javaScript: false);
        await CheckWithoutJavaScriptAsync(page, "console-abonnes");

        // Not an address: refused beside the field.
        await page.GetByLabel("Adresse e-mail exacte").FillAsync("claude-sans-arobase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("L'adresse e-mail n'est pas valide");

        // Found by the exact address, whatever its case; by a part of the name without its accents.
        await page.GetByLabel("Adresse e-mail exacte").FillAsync(email.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Claude Lemaître {tag}" })).ToContainTextAsync("Confirmé");
        await page.GetByLabel("Adresse e-mail exacte").FillAsync("");
        await page.GetByLabel("ou une partie du nom").FillAsync($"lemaitre {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Claude Lemaître {tag}" })).ToBeVisibleAsync();
        await CheckWithoutJavaScriptAsync(page, "console-abonnes-recherche");

        await page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("Rennes Métropole");
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("Culture et loisirs, Mobilité");
        await CheckWithoutJavaScriptAsync(page, "console-abonne");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ne plus lui envoyer la lettre…" }).ClickAsync();
        await CheckWithoutJavaScriptAsync(page, "console-abonne-desinscrire");
        await page.GetByRole(AriaRole.Button, new() { Name = "Oui, ne plus lui envoyer la lettre" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("La lettre ne sera plus envoyée à cette adresse.");
        await Assertions.Expect(page.Locator("#envois-titre + p")).ToContainTextAsync("Exclue de tout envoi");
        await Assertions.Expect(page.Locator(".fiche dl")).ToContainTextAsync("Désinscrit");
        var key = Newsletter.NewsletterBackend.EmailKeyOf(email);
        var entries = new List<AuditEntity>();
        await foreach (var entry in site.Backend.Table("AuditLog").QueryAsync<AuditEntity>(e => e.SubjectHash == key))
        {
            entries.Add(entry);
        }

        var audit = Assert.Single(entries);
        Assert.Equal((AuditActions.Unsubscribe, "Camille Martin", CamilleObjectId), (audit.Action, audit.Principal, audit.PrincipalObjectId));
    }

    private static List<string> Values(params string[] values) => [.. values];

    /// <summary>
    /// <see cref="ConsoleBrowser.CheckPageAsync"/> for these pages: a screenshot, French, and axe-core's scan with no
    /// serious or critical violation. The mail's preview is a frame that runs nothing (<c>sandbox</c>), which axe cannot
    /// enter: the page is scanned without it, and the mail on a page of its own.
    /// </summary>
    private async Task CheckAsync(IPage page, string screenshot)
    {
        System.IO.Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, screenshot + ".png"), FullPage = true });
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        AssertNoSeriousViolation(screenshot, await page.RunAxe(new AxeRunOptions { Iframes = false }));
        foreach (var frame in await page.Locator("iframe.apercu-html").AllAsync())
        {
            var mail = await frame.GetAttributeAsync("srcdoc");
            await WithPageOfItsOwnAsync(mail!, 1280, 800, async copy => AssertNoSeriousViolation(screenshot + " (courriel)", await copy.RunAxe()));
        }
    }

    private async Task CheckOnTabletWithPreviewAsync(IPage page, string screenshot)
    {
        await page.SetViewportSizeAsync(820, 1180);
        await CheckAsync(page, screenshot);
        await page.SetViewportSizeAsync(1280, 800);
    }

    /// <summary>
    /// <see cref="CheckAsync"/> for a page shown without JavaScript, where axe cannot run: the same HTML, served at the
    /// console's origin (its style sheet and all), is checked in a page that runs it.
    /// </summary>
    private async Task CheckWithoutJavaScriptAsync(IPage page, string screenshot, int width = 1280, int height = 800) =>
        await WithPageOfItsOwnAsync(await page.ContentAsync(), width, height, copy => CheckAsync(copy, screenshot));

    private Task CheckWithoutJavaScriptOnTabletAsync(IPage page, string screenshot) => CheckWithoutJavaScriptAsync(page, screenshot, 820, 1180);

    private async Task WithPageOfItsOwnAsync(string html, int width, int height, Func<IPage, Task> check)
    {
        var context = await site.Browser.NewContextAsync(new() { Locale = "fr-FR", ViewportSize = new() { Width = width, Height = height } });
        var copy = await context.NewPageAsync();
        var address = site.Url("api/equipe/copie-pour-axe");
        await copy.RouteAsync(address, route => route.FulfillAsync(new() { Body = html, ContentType = "text/html; charset=utf-8" }));
        await copy.GotoAsync(address);
        await check(copy);
        await context.CloseAsync();
    }

    private static void AssertNoSeriousViolation(string what, AxeResult scan)
    {
        var serious = scan.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length})").ToList();
        Assert.True(serious.Count == 0, $"{what}: {string.Join("; ", serious)}");
    }
}
