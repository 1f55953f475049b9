using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Site;
using static ResoSolidaire.Functions.Tests.Console.ConsoleBrowser;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// The directory's import wizard and vocabularies in headless Chromium through the local host and the real worker,
/// each page checked (screenshot, French, axe-core): a Windows-1252 spreadsheet of staff with a title line and a
/// « Secteur(s) » column imported to the end, its unknown sectors mapped as chosen, and the vocabularies kept by
/// « Administration » with the fiches and the website's form following them.
/// </summary>
public sealed class DirectoryImportBrowserTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    private static readonly Encoding Windows1252 = CodePages();

    private HttpClient Staff => site.Backend.StaffClient;

    private string Backend(string path) => new Uri(site.Backend.Host.BaseAddress, path).AbsoluteUri;

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    /// <summary>A staff sheet as Excel saves it on a French Windows: a title line, then « Secteur(s) » with two sectors the directory does not know.</summary>
    private static byte[] StaffSheet(string tag, string sel, string international) => Windows1252.GetBytes(
        $"Annuaire des partenaires (mars 2026)\r\n"
        + "Nom de la structure;Type;Secteur(s);Commune;Code postal;E-mail;Mots-clés;Newsletter\r\n"
        + $"Le SEL de Bréquigny {tag};Association;{sel};Rennes;35200;sel-{tag}@asso.example;{tag};oui\r\n"
        + $"Pays de Rennes Solidarité Monde {tag};Association;\"{international}; Culture, loisirs\";Cesson-Sévigné;35510;monde-{tag}@asso.example;{tag};oui\r\n"
        + $"Échanges de savoirs {tag};Association;{sel} | {international};Bruz;35170;savoirs-{tag}@asso.example;{tag};non\r\n"
        + $"Café des Possibles {tag};Association;Alimentation, restauration;Pacé;35740;cafe-{tag}@asso.example;{tag};oui\r\n");

    [Fact]
    public async Task TheWizardImportsAWindows1252SheetWithASecteursColumnAndTwoUnknownSectorsMappedAsChosen()
    {
        var tag = StaffBackend.UniqueTag();
        var (sel, international) = ($"Échanges réciproques (SEL) {tag}", $"Solidarité internationale {tag}");
        var page = await site.SignedInAsync("api/equipe/annuaire/import", "Camille Martin");
        await CheckPageAsync(page, "import-1-fichier");

        await page.GetByLabel("Le fichier CSV").SetInputFilesAsync(new FilePayload { Name = "partenaires.csv", MimeType = "text/csv", Buffer = StaffSheet(tag, sel, international) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le fichier" }).ClickAsync();

        var read = page.Locator("#lu + dl");
        await Assertions.Expect(read).ToContainTextAsync("Windows-1252");
        await Assertions.Expect(read).ToContainTextAsync("point-virgule");
        await Assertions.Expect(read).ToContainTextAsync("ligne 2 (détectée)");
        await Assertions.Expect(read).ToContainTextAsync("Lignes de données4");
        await CheckPageAsync(page, "import-2-lecture");
        await page.GetByRole(AriaRole.Link, new() { Name = "C'est bien lu : choisir les colonnes" }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("Secteur(s)")).ToHaveValueAsync("Sectors");
        await Assertions.Expect(page.GetByLabel("Nom de la structure")).ToHaveValueAsync("Name");
        await Assertions.Expect(page.GetByLabel("Mots-clés")).ToHaveValueAsync("Tags");
        await CheckPageAsync(page, "import-3-colonnes");
        await CheckOnTabletAsync(page, "import-3-colonnes-tablette");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        var selChoice = page.GetByRole(AriaRole.Group, new() { Name = $"« {sel} »" });
        var internationalChoice = page.GetByRole(AriaRole.Group, new() { Name = $"« {international} »" });
        await Assertions.Expect(selChoice).ToContainTextAsync("2 lignes (la première : ligne 3)");
        await Assertions.Expect(internationalChoice).ToContainTextAsync("2 lignes (la première : ligne 4)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier l'import" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync($"Choisissez ce que devient « {sel} ».");
        await CheckPageAsync(page, "import-4-valeurs-erreurs");

        await selChoice.GetByLabel($"Créer le secteur « {sel} »").CheckAsync();
        await internationalChoice.GetByLabel("L'associer à un secteur existant").CheckAsync();
        await internationalChoice.GetByLabel("Secteur", new() { Exact = true }).SelectOptionAsync("sante-social");
        await CheckPageAsync(page, "import-4-valeurs");
        await CheckOnTabletAsync(page, "import-4-valeurs-tablette");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier l'import" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ce que ferait l'import");
        await CheckPageAsync(page, "import-5-verification");
        await Assertions.Expect(page.Locator(".bilan")).ToContainTextAsync("4 à créer");
        await Assertions.Expect(page.Locator(".bilan")).ToContainTextAsync("0 refusée");

        // Nothing is written before the last step: no fiche, no new sector.
        Assert.Empty(await ActorsTaggedAsync(tag));
        Assert.DoesNotContain(sel, await SectorLabelsAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Importer 4 lignes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("L'import est terminé");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("4 fiches enregistrées dans l'annuaire.");
        await CheckPageAsync(page, "import-6-rapport");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le rapport (CSV pour Excel)" }).ClickAsync());
        var report = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await download.PathAsync())!)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("Ligne;Nom;Résultat;Champs modifiés;Motif du refus;Remarques;Identifiant", report[0]);
        Assert.Equal(["3", "4", "5", "6"], report.Skip(1).Select(l => l.Split(';')[0]));
        Assert.All(report.Skip(1), l => Assert.Equal("Créée", l.Split(';')[2]));

        var actors = await ActorsTaggedAsync(tag);
        Assert.Equal(4, actors.Count);
        var newSector = Assert.Single((await TerritoryAsync())["sectors"]!.AsArray(), s => s!["label"]!.GetValue<string>() == sel)!["code"]!.GetValue<string>();
        Assert.Equal([newSector], Sectors(actors, $"Le SEL de Bréquigny {tag}"));
        Assert.Equal(["sante-social", "culture"], Sectors(actors, $"Pays de Rennes Solidarité Monde {tag}"));
        Assert.Equal([newSector, "sante-social"], Sectors(actors, $"Échanges de savoirs {tag}"));
        Assert.Equal(["alimentation"], Sectors(actors, $"Café des Possibles {tag}"));
        Assert.Equal("Camille Martin", actors[0]["createdBy"]!.GetValue<string>());

        // The next import of a sheet with the same unknown value offers the choice made this time.
        var again = await site.SignedInAsync("api/equipe/annuaire/import", "Camille Martin");
        await again.GetByLabel("Le fichier CSV").SetInputFilesAsync(new FilePayload
        {
            Name = "suite.csv",
            MimeType = "text/csv",
            Buffer = Windows1252.GetBytes($"Nom;Secteur(s);Commune\r\nJumelage Rennes-Sarrebruck {tag};{international};Rennes\r\n"),
        });
        await again.GetByRole(AriaRole.Button, new() { Name = "Déposer le fichier" }).ClickAsync();
        await again.GetByRole(AriaRole.Link, new() { Name = "C'est bien lu : choisir les colonnes" }).ClickAsync();
        await again.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        var remembered = again.GetByRole(AriaRole.Group, new() { Name = $"« {international} »" });
        await Assertions.Expect(remembered).ToContainTextAsync("Choix proposé d'après un import précédent.");
        await Assertions.Expect(remembered.GetByLabel("L'associer à un secteur existant")).ToBeCheckedAsync();
        await Assertions.Expect(remembered.GetByLabel("Secteur", new() { Exact = true })).ToHaveValueAsync("sante-social");
    }

    [Fact]
    public async Task TheDryRunShowsEachRowsFateWithItsLineAfterAColumnIsChosenByHandAndUnknownValuesAreKeptAsATagOrLeftEmpty()
    {
        var tag = StaffBackend.UniqueTag();
        var (asTag, left) = ($"Monnaie locale {tag}", $"Économie circulaire {tag}");
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Maison {tag}").With("emails", new[] { $"maison-{tag}@asso.example" }).With("phones", new List<string> { "02 99 00 00 01" }).With("sectors", new List<string>()));
        var atelier = await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Atelier {tag}").With("emails", new[] { $"atelier-{tag}@asso.example" }).With("phones", new List<string> { "02 99 00 00 02" }).With("sectors", new List<string>()));
        var page = await site.SignedInAsync("api/equipe/annuaire/import", "Camille Martin");
        await page.GetByLabel("Le fichier CSV").SetInputFilesAsync(new FilePayload
        {
            Name = "mise-a-jour.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(
                "Nom;Type;Commune;Tél.;Secteur(s);Joignable à\r\n"
                + $"Maison {tag};Association;Rennes;02 99 00 00 01;;maison-{tag}@asso.example\r\n"
                + $"Atelier {tag};Association;Rennes;02 99 11 11 11;;atelier-{tag}@asso.example\r\n"
                + $"Nouvelle monnaie {tag};Association;Rennes;;{asTag};monnaie-{tag}@asso.example\r\n"
                + $"Nouvelle recyclerie {tag};Association;Bruz;;{left};recyclerie-{tag}@asso.example\r\n"
                + $"Ailleurs {tag};Association;Atlantis;;;ailleurs-{tag}@asso.example\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le fichier" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "C'est bien lu : choisir les colonnes" }).ClickAsync();

        // « Tél. » is recognised despite its punctuation; « Joignable à » is not, and staff say it holds the e-mails.
        await Assertions.Expect(page.GetByLabel("Tél.")).ToHaveValueAsync("Phones");
        await Assertions.Expect(page.GetByLabel("Joignable à")).ToHaveValueAsync("");
        await page.GetByLabel("Joignable à").SelectOptionAsync("Emails");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        await page.GetByRole(AriaRole.Group, new() { Name = $"« {asTag} »" }).GetByLabel("La garder comme étiquette des fiches").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = $"« {left} »" }).GetByLabel("La laisser vide").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier l'import" }).ClickAsync();

        var summary = page.Locator(".bilan");
        await Assertions.Expect(summary).ToContainTextAsync("2 à créer");
        await Assertions.Expect(summary).ToContainTextAsync("1 à mettre à jour");
        await Assertions.Expect(summary).ToContainTextAsync("1 inchangée");
        await Assertions.Expect(summary).ToContainTextAsync("1 refusée");
        var rows = page.Locator("table.rapport-import tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = $"Maison {tag}" })).ToContainTextAsync("2");
        await Assertions.Expect(rows.Filter(new() { HasText = $"Maison {tag}" })).ToContainTextAsync("Inchangée");
        await Assertions.Expect(rows.Filter(new() { HasText = $"Atelier {tag}" })).ToContainTextAsync("Champs modifiés : téléphones");
        var rejected = rows.Filter(new() { HasText = $"Ailleurs {tag}" });
        await Assertions.Expect(rejected.Locator("td").First).ToHaveTextAsync("6");
        await Assertions.Expect(rejected.Locator(".motif")).ToContainTextAsync("Commune introuvable");
        await CheckPageAsync(page, "import-5-verification-mise-a-jour");
        await CheckOnTabletAsync(page, "import-5-verification-mise-a-jour-tablette");
        Assert.Equal("02 99 00 00 02", PhoneOf(await GetAsync(atelier)));

        await page.GetByRole(AriaRole.Button, new() { Name = "Importer 3 lignes" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("L'import est terminé");
        Assert.Equal("02 99 11 11 11", PhoneOf(await GetAsync(atelier)));
        var monnaie = Assert.Single(await ActorsTaggedAsync($"Nouvelle monnaie {tag}", byName: true));
        Assert.Contains(asTag, Codes(monnaie["tags"]));
        Assert.Empty(Codes(monnaie["sectors"]));
        var recyclerie = Assert.Single(await ActorsTaggedAsync($"Nouvelle recyclerie {tag}", byName: true));
        Assert.Empty(Codes(recyclerie["sectors"]));
        Assert.DoesNotContain(left, Codes(recyclerie["tags"]));
        Assert.Empty(await ActorsTaggedAsync($"Ailleurs {tag}", byName: true));
    }

    [Fact]
    public async Task WithoutJavaScriptTheWizardRunsToTheEndOnPlainFormsAndAReloadingPage()
    {
        var tag = StaffBackend.UniqueTag();
        var page = await site.NewPageAsync(javaScript: false);
        await page.GotoAsync(Backend("api/equipe/annuaire/import"));
        await SignInAsync(page, "Camille Martin");
        await page.GetByLabel("Le fichier CSV").SetInputFilesAsync(new FilePayload
        {
            Name = "petit.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"Nom,Type,Secteurs,Commune\r\nAtelier {tag},Association,Mobilité,Rennes\r\nGarage {tag},Association,Mobilité,Melesse\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le fichier" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lu + dl")).ToContainTextAsync("virgule ( , ) (détecté)");
        await page.GetByRole(AriaRole.Link, new() { Name = "C'est bien lu : choisir les colonnes" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Toutes les valeurs sont connues");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier l'import" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer 2 lignes" }).ClickAsync();

        // The progress page reloads itself until the report replaces it.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("L'import est terminé", new() { Timeout = 60_000 });
        Assert.Equal(2, (await ActorsTaggedAsync($"Atelier {tag}", byName: true)).Count + (await ActorsTaggedAsync($"Garage {tag}", byName: true)).Count);
    }

    [Fact]
    public async Task AnImportWhoseInstanceStoppedShowsAsInterruptedAndRunningItAgainFinishesIt()
    {
        var tag = StaffBackend.UniqueTag();
        var page = await site.SignedInAsync("api/equipe/annuaire/import", "Camille Martin");
        await page.GetByLabel("Le fichier CSV").SetInputFilesAsync(new FilePayload
        {
            Name = "reprise.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"Nom;Type;Commune\r\nRecyclerie {tag};Association;Rennes\r\nFablab {tag};Association;Bruz\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le fichier" }).ClickAsync();
        var id = page.Url.Split('/')[^2];
        await page.GetByRole(AriaRole.Link, new() { Name = "C'est bien lu : choisir les colonnes" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier l'import" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Importer 2 lignes" })).ToBeVisibleAsync();

        // As a running import looks on the page, then as one whose instance stopped (no news for minutes) looks.
        var state = site.Backend.Container("annuaire-imports").GetBlobClient($"{id}/etat.json");
        await SetStateAsync(state, "import", DateTimeOffset.UtcNow, written: 4200, toWrite: 10_000);
        // A still page for the scan: with JavaScript (so the page does not reload itself) but without htmx (so it does not poll).
        var progress = await site.NewPageAsync(javaScript: true);
        await progress.RouteAsync("**/htmx.min.js", route => route.AbortAsync());
        await progress.GotoAsync(Backend($"api/equipe/annuaire/import/{id}/progression"));
        await SignInAsync(progress, "Camille Martin");
        await Assertions.Expect(progress.GetByRole(AriaRole.Status)).ToContainTextAsync("4 200 fiches enregistrées sur 10 000 (42 %)");
        await CheckPageAsync(progress, "import-6-progression");

        await SetStateAsync(state, "import", DateTimeOffset.UtcNow.AddMinutes(-10), written: 0, toWrite: 2);
        await page.GotoAsync(Backend($"api/equipe/annuaire/import/{id}/progression"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("L'import s'est interrompu");
        await CheckPageAsync(page, "import-6-interrompu");
        Assert.Empty(await ActorsTaggedAsync($"Recyclerie {tag}", byName: true));

        await page.GetByRole(AriaRole.Button, new() { Name = "Relancer l'import" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("L'import est terminé");
        Assert.Single(await ActorsTaggedAsync($"Recyclerie {tag}", byName: true));
    }

    [Fact]
    public async Task AFileThatIsNotACsvIsRefusedOnTheFirstPageAndNothingIsKept()
    {
        var page = await site.SignedInAsync("api/equipe/annuaire/import", "Camille Martin");
        await page.GetByLabel("Le fichier CSV").SetInputFilesAsync(new FilePayload { Name = "annuaire.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] });

        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le fichier" }).ClickAsync();

        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("enregistrez-le au format « CSV (séparateur : point-virgule) »");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Importer un tableur");
        await CheckPageAsync(page, "import-1-fichier-refuse");
    }

    [Fact]
    public async Task AnAdministratorKeepsTheVocabulariesAndTheFichesAndTheWebsiteFollow()
    {
        var tag = StaffBackend.UniqueTag();
        var page = await site.SignedInAsync("api/equipe/annuaire/vocabulaires/secteurs", "Dominique Lefèvre");
        await CheckPageAsync(page, "vocabulaires-secteurs");
        await CheckOnTabletAsync(page, "vocabulaires-secteurs-tablette");

        // Two new sectors, one merged into the other once fiches carry both.
        foreach (var label in new[] { $"Tiers-lieux {tag}", $"Lieux partagés {tag}" })
        {
            await page.GetByLabel("Libellé").FillAsync(label);
            await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"« {label} » est ajouté à la liste.");
        }

        await page.GetByLabel("Libellé").FillAsync($"tiers lieux {tag.ToUpperInvariant()}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync($"« Tiers-lieux {tag} » existe déjà.");
        await CheckPageAsync(page, "vocabulaires-ajout-refuse");

        var codes = (await TerritoryAsync())["sectors"]!.AsArray().Where(s => s!["label"]!.GetValue<string>().EndsWith(tag, StringComparison.Ordinal)).ToDictionary(s => s!["label"]!.GetValue<string>(), s => s!["code"]!.GetValue<string>());
        var tiersLieux = await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"La Cantine {tag}").With("sectors", new List<string> { codes[$"Tiers-lieux {tag}"], "culture" }).With("tags", new List<string> { tag, $"ancien nom {tag}" }));
        var both = await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Le Hangar {tag}").With("sectors", new List<string> { codes[$"Tiers-lieux {tag}"], codes[$"Lieux partagés {tag}"] }).With("tags", new List<string> { tag, $"ancien nom {tag}", "forum 2026" }));

        // The website's porteur form offers what the directory holds.
        var form = await site.NewPageAsync(javaScript: true);
        await form.GotoAsync(new Uri(site.Origin, "porteur.html").AbsoluteUri);
        await Assertions.Expect(form.Locator("#sector")).ToHaveAttributeAsync("data-loaded", "true");
        await Assertions.Expect(form.Locator("#sector option", new() { HasText = $"Tiers-lieux {tag}" })).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Fusionner « Tiers-lieux {tag} »" }).ClickAsync();
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync("2 fiches portent ce terme");
        await CheckPageAsync(page, "vocabulaires-fusionner");
        await page.GetByLabel($"Fusionner « Tiers-lieux {tag} » dans").SelectOptionAsync(codes[$"Lieux partagés {tag}"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fusionner" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"La fusion dans « Lieux partagés {tag} » est faite (2 fiches modifiées).");

        Assert.Equal([codes[$"Lieux partagés {tag}"], "culture"], Codes((await Staff.ActorAsync(tiersLieux))["sectors"]));
        Assert.Equal([codes[$"Lieux partagés {tag}"]], Codes((await Staff.ActorAsync(both))["sectors"]));
        Assert.DoesNotContain($"Tiers-lieux {tag}", await SectorLabelsAsync());

        // A tag renamed: the fiches that carry it carry the new name.
        await page.GetByRole(AriaRole.Link, new() { Name = "Étiquettes" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Renommer « ancien nom {tag} »" }).ClickAsync();
        await CheckPageAsync(page, "vocabulaires-renommer");
        await page.GetByLabel("Nouveau libellé").FillAsync($"nouveau nom {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Renommer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"L'étiquette s'appelle désormais « nouveau nom {tag} » (2 fiches modifiées).");
        Assert.Equal([tag, $"nouveau nom {tag}"], Codes((await Staff.ActorAsync(tiersLieux))["tags"]));
        Assert.Equal([tag, $"nouveau nom {tag}", "forum 2026"], Codes((await Staff.ActorAsync(both))["tags"]));
        Assert.Equal("Dominique Lefèvre", (await Staff.ActorAsync(both))["updatedBy"]!.GetValue<string>());

        // A sector retired leaves the fiches and the website's form.
        await page.GotoAsync(Backend("api/equipe/annuaire/vocabulaires/secteurs"));
        await page.GetByRole(AriaRole.Link, new() { Name = $"Retirer « Lieux partagés {tag} »" }).ClickAsync();
        await CheckPageAsync(page, "vocabulaires-retirer");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Oui, retirer « Lieux partagés {tag} »" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("est retiré de la liste (2 fiches modifiées)");
        Assert.Equal(["culture"], Codes((await Staff.ActorAsync(tiersLieux))["sectors"]));
        Assert.DoesNotContain($"Lieux partagés {tag}", await SectorLabelsAsync());

        // A kind carried by fiches cannot be retired; « Équipe » cannot open the vocabularies.
        await page.GotoAsync(Backend("api/equipe/annuaire/vocabulaires/types/association/retirer"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Oui, retirer « Association »" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("Fusionnez plutôt « Association » dans un autre type.");
        var team = await site.SignedInAsync("api/equipe/annuaire/vocabulaires/secteurs", "Camille Martin");
        await Assertions.Expect(team.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cette page n'est pas ouverte à votre compte");
    }

    /// <summary>Writes an import's state as the runner would have left it (a test stands in for a running or a stopped instance).</summary>
    private static async Task SetStateAsync(Azure.Storage.Blobs.BlobClient blob, string step, DateTimeOffset heartbeat, int written, int toWrite)
    {
        var state = JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString())!.AsObject();
        state["step"] = step;
        state["heartbeatAt"] = heartbeat;
        state["startedAt"] = heartbeat;
        state["written"] = written;
        state["toWrite"] = toWrite;
        await blob.UploadAsync(BinaryData.FromString(state.ToJsonString()), overwrite: true);
    }

    private async Task<JsonObject> GetAsync(string id) => await (await Staff.GetAsync($"api/staff/directory/actors/{id}")).JsonAsync();

    private async Task<JsonObject> TerritoryAsync() => await (await site.Backend.Client.GetAsync("api/territory")).JsonAsync();

    private async Task<List<string>> SectorLabelsAsync() =>
        [.. (await TerritoryAsync())["sectors"]!.AsArray().Select(s => s!["label"]!.GetValue<string>())];

    private async Task<List<JsonObject>> ActorsTaggedAsync(string value, bool byName = false)
    {
        var query = byName ? $"q={Uri.EscapeDataString(value)}" : $"tag={Uri.EscapeDataString(value)}";
        var page = await (await Staff.GetAsync($"api/staff/directory/actors?{query}&pageSize=500")).JsonAsync();
        return [.. page["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static List<string> Sectors(List<JsonObject> actors, string name) =>
        Codes(actors.Single(a => a["name"]!.GetValue<string>() == name)["sectors"]);

    private static string PhoneOf(JsonObject actor) => Assert.Single(Codes(actor["phones"]));

    private static List<string> Codes(JsonNode? list) => [.. list!.AsArray().Select(c => c!.GetValue<string>())];
}
