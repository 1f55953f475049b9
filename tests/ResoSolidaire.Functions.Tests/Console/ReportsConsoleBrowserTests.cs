using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Tests.Exports;
using ResoSolidaire.Functions.Tests.Porteurs.FollowUp;
using ResoSolidaire.Functions.Tests.Privacy;
using ResoSolidaire.Functions.Tests.Site;
using UglyToad.PdfPig;
using static ResoSolidaire.Functions.Tests.Console.ConsoleBrowser;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// The console's exports, personal-data requests and activity report in headless Chromium through the local host and
/// the real worker: each page scanned by axe and saved as a screenshot, an erasure followed by a scan of every table
/// and container, and the report printed to PDF on A4.
/// </summary>
public sealed class ReportsConsoleBrowserTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    private string Backend(string path) => new Uri(site.Backend.Host.BaseAddress, path).AbsoluteUri;

    [Fact]
    public async Task AnAdministratorCountsTheRowsOfAnExportDownloadsItAndFindsItAmongTheLatestExports()
    {
        var email = $"export-{Guid.NewGuid():N}@exemple.fr";
        await Intakes.SubmitContactAsync(site.Backend, email, "presse");
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/exports"));
        await SignInAsync(page, "Dominique Lefèvre");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Exports", Level = 1 })).ToBeVisibleAsync();
        await CheckPageAsync(page, "console-exports-avant");

        await page.GetByRole(AriaRole.Link, new() { Name = "Messages de contact" }).ClickAsync();
        await page.GetByLabel("Sujet").SelectOptionAsync("presse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compter les lignes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("avec ces filtres");
        var count = int.Parse(Regex.Match(await page.GetByRole(AriaRole.Status).InnerTextAsync(), @"\d+").Value, CultureInfo.InvariantCulture);
        Assert.True(count >= 1);
        await CheckPageAsync(page, "console-export-messages");
        await CheckOnTabletAsync(page, "console-export-messages-tablette");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSV pour Excel" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(email, csv, StringComparison.Ordinal);
        Assert.Equal(count + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        await page.GetByRole(AriaRole.Link, new() { Name = "Tous les exports" }).ClickAsync();
        var latest = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Messages de contact" }).First;
        await Assertions.Expect(latest).ToContainTextAsync("Dominique Lefèvre");
        await Assertions.Expect(latest).ToContainTextAsync("CSV pour Excel");
        await Assertions.Expect(latest).ToContainTextAsync("Sujet : Presse");
        await CheckPageAsync(page, "console-exports");

        // A date that is not one: the page says which filter, keeps the others, counts nothing.
        await page.GotoAsync(Backend("api/equipe/exports/contact-messages?topic=presse&from=2026-02-31"));
        await Assertions.Expect(page.Locator(".resume-erreurs")).ToContainTextAsync("AAAA-MM-JJ");
        await Assertions.Expect(page.GetByLabel("Sujet")).ToHaveValueAsync("presse");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "CSV pour Excel" })).ToHaveCountAsync(0);
        await CheckPageAsync(page, "console-export-erreur");
    }

    [Fact]
    public async Task EveryDatasetOfTheExportsPageDownloadsInEveryFormatWithTheRowsCountedBeforehand()
    {
        // Something in every dataset: a person's traces in every feature, subscribers to send an edition to, an access request.
        var person = PersonTraces.NewPerson();
        await PersonTraces.LeaveAsync(site.Backend, person);
        await Newsletter.NewsletterBackend.SeedSubscribersAsync(site.Backend, 3);
        using (var access = await site.Backend.StaffClient.PostAsJsonAsync("api/staff/privacy/access", new { email = person.Email }))
        {
            Assert.True(access.IsSuccessStatusCode);
        }

        var edition = await Newsletter.NewsletterBackend.ApprovedEditionDueNowAsync(site.Backend);
        await Newsletter.NewsletterBackend.RunUntilSentAsync(site.Backend, edition);
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/exports"));
        await SignInAsync(page, "Dominique Lefèvre");

        // The datasets as the page lists them: every one the modules registered, none named here.
        var datasets = await page.Locator("ul.jeux h2 a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.True(datasets.Length >= 9, $"{datasets.Length} dataset(s)");
        foreach (var path in datasets)
        {
            await page.GotoAsync(Backend(path.TrimStart('/')));
            var title = await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync();
            Assert.True(char.IsUpper(title[0]), $"« {title} » is listed as a title, with its capital");
            if (path.EndsWith("/audit", StringComparison.Ordinal))
            {
                // The audit log grows with each download: counted on an action the downloads do not add.
                await page.GetByLabel("Action").SelectOptionAsync(AuditActions.Access);
                await page.GetByRole(AriaRole.Button, new() { Name = "Compter les lignes" }).ClickAsync();
            }
            else if (await page.Locator("p.vide").CountAsync() > 0)
            {
                // A dataset about one sending at a time: the edition just sent.
                await page.Locator("form.filtres select").First.SelectOptionAsync(edition);
                await page.GetByRole(AriaRole.Button, new() { Name = "Compter les lignes" }).ClickAsync();
            }

            var status = page.GetByRole(AriaRole.Status);
            await Assertions.Expect(status).ToContainTextAsync("avec ces filtres");
            var count = int.Parse(Regex.Replace(Regex.Match(await status.InnerTextAsync(), @"\d[\d\s\u202F]*").Value, @"\D", ""), CultureInfo.InvariantCulture);
            Assert.True(count > 0, $"{title}: nothing to download");
            await CheckPageAsync(page, "console-export-" + path[(path.LastIndexOf('/') + 1)..]);
            foreach (var (format, extension) in new[] { ("CSV pour Excel", ".csv"), ("Classeur Excel (XLSX)", ".xlsx"), ("CSV (autres logiciels)", ".csv"), ("JSON", ".json") })
            {
                var href = await page.GetByRole(AriaRole.Link, new() { Name = format, Exact = true }).GetAttributeAsync("href");
                var response = await page.APIRequest.GetAsync(Backend(href!.TrimStart('/')));
                Assert.True(response.Ok, $"{title} in {format}: {response.Status}");
                Assert.Contains(extension + "\"", response.Headers["content-disposition"], StringComparison.Ordinal);
                var body = await response.BodyAsync();
                var rows = format switch
                {
                    "CSV pour Excel" => ExportFiles.ReadAsFrenchExcel(body).Count - 1,
                    "Classeur Excel (XLSX)" => ExportFiles.ReadXlsx(body).Count - 1,
                    "CSV (autres logiciels)" => ExportFiles.Parse(System.Text.Encoding.UTF8.GetString(body), ',').Count - 1,
                    _ => JsonNode.Parse(body)!.AsArray().Count,
                };
                Assert.True(count == rows, $"{title} in {format}: {rows} row(s), the page counted {count}");
            }
        }
    }

    [Fact]
    public async Task TheExportsAndRequestsPagesAreClosedToATeamMemberWithoutAdministration()
    {
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/exports"));
        await SignInAsync(page, "Camille Martin");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cette page n'est pas ouverte à votre compte");
        var refused = await page.GotoAsync(Backend("api/equipe/donnees-personnelles"));
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Administration");
    }

    [Fact]
    public async Task AnErasureThroughTheConsoleLeavesOnlyTheOptOutHashTheAuditEntryAndTheRequestInTheBackend()
    {
        var person = PersonTraces.NewPerson();
        var other = PersonTraces.NewPerson();
        await PersonTraces.LeaveAsync(site.Backend, person);
        await PersonTraces.LeaveAsync(site.Backend, other);
        Assert.NotEmpty(await PersonTraces.FindAsync(site.Backend, person));

        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/donnees-personnelles"));
        await SignInAsync(page, "Dominique Lefèvre");
        await CheckPageAsync(page, "console-donnees-personnelles");

        // An address that is not one is refused where it was typed, the rest kept.
        await page.GetByLabel("Adresse e-mail de la personne").FillAsync("camille.exemple.fr");
        await page.GetByLabel("Droit à l'effacement").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et chercher" }).ClickAsync();
        await Assertions.Expect(page.Locator(".resume-erreurs a[href='#adresse']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Droit à l'effacement")).ToBeCheckedAsync();
        await CheckPageAsync(page, "console-donnees-personnelles-erreur");

        await page.GetByLabel("Adresse e-mail de la personne").FillAsync(person.Email.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et chercher" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Demande DP-");
        var reference = Regex.Match(await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync(), @"DP-\d{4}-\d+").Value;
        foreach (var feature in new[] { "Messages de contact", "Suivi des messages par l'équipe", "Porteurs de projet", "Annuaire des acteurs", "Lettre d'information", "Agenda", "Salles à partager", "Courriels" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = feature })).ToBeVisibleAsync();
        }

        var rooms = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Salles à partager" }) });
        await Assertions.Expect(rooms).ToContainTextAsync("Demande de salle");
        await Assertions.Expect(rooms).ToContainTextAsync("Contact de la salle");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("partitionKey");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(person.Phone);
        await CheckPageAsync(page, "console-demande-donnees");

        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Fichier JSON" }).ClickAsync());
        var answer = JsonNode.Parse(await File.ReadAllTextAsync((await json.PathAsync())!))!;
        Assert.Contains(answer["sections"]!.AsArray(), s => s!["title"]!.GetValue<string>() == "Messages de contact");
        var document = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Document lisible (page web)" }).ClickAsync());
        var documentPage = await site.NewPageAsync(javaScript: true);
        await documentPage.SetContentAsync(await File.ReadAllTextAsync((await document.PathAsync())!));
        await Assertions.Expect(documentPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Vos données personnelles chez Réso Solidaire");
        await Assertions.Expect(documentPage.GetByRole(AriaRole.Heading, new() { Name = "Salles à partager" })).ToBeVisibleAsync();
        await Assertions.Expect(documentPage.Locator("body")).ToContainTextAsync("Demande de salle");
        await CheckPageAsync(documentPage, "donnees-personnelles-document");

        await page.GetByRole(AriaRole.Button, new() { Name = "Voir ce qui sera effacé" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ce qui sera gardé, et pourquoi" })).ToBeVisibleAsync();
        var kept = page.Locator("section[aria-labelledby='sera-garde']");
        await Assertions.Expect(kept).ToContainTextAsync("liste d'opposition");
        await Assertions.Expect(kept).ToContainTextAsync("journal d'audit");
        var erased = page.Locator("section[aria-labelledby='sera-efface']");
        foreach (var feature in new[] { "Messages de contact", "Porteurs de projet", "Annuaire des acteurs", "Lettre d'information", "Agenda", "Salles à partager" })
        {
            await Assertions.Expect(erased.GetByRole(AriaRole.Heading, new() { Name = feature })).ToBeVisibleAsync();
        }

        // The room the person is the contact of stays, without them; the page says why.
        await Assertions.Expect(erased).ToContainTextAsync("La salle reste dans l'outil, sans contact");
        await CheckPageAsync(page, "console-effacement-apercu");

        // Confirmed with another address: nothing is erased, the page says so beside the field and keeps what was typed.
        await page.GetByLabel("Pour confirmer, saisissez l'adresse").FillAsync(other.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Effacer définitivement" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation-erreur")).ToContainTextAsync("rien n'a été effacé");
        await Assertions.Expect(page.GetByLabel("Pour confirmer, saisissez l'adresse")).ToHaveValueAsync(other.Email);
        await CheckPageAsync(page, "console-effacement-erreur");
        Assert.NotEmpty(await PersonTraces.FindAsync(site.Backend, person));

        await page.GetByLabel("Pour confirmer, saisissez l'adresse").FillAsync(person.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Effacer définitivement" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("L'effacement est fait");
        await Assertions.Expect(page.Locator(".resume-demande")).ToContainTextAsync("Effacement fait");
        await CheckPageAsync(page, "console-demande-effacee");

        await page.GetByRole(AriaRole.Link, new() { Name = "Toutes les demandes" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });
        await Assertions.Expect(row).ToContainTextAsync("Effacement fait");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);
        await Assertions.Expect(row).ToContainTextAsync(today.AddMonths(1).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR")));
        await CheckPageAsync(page, "console-donnees-personnelles-historique");

        // Nothing of the person anywhere: neither address nor phone, in any form; the other person untouched.
        var left = await PersonTraces.FindAsync(site.Backend, person);
        Assert.True(left.Count == 0, "Still held after erasure:\n" + string.Join("\n", left));
        Assert.NotEmpty(await PersonTraces.FindAsync(site.Backend, other));

        // Only three places still hold the address's keyed hash, by design: the opt-out list (so it is never mailed
        // again), the audit log (the request and the erasure, proving them) and the history of requests (the deadline).
        var hash = Newsletter.NewsletterBackend.EmailKeyOf(person.Email);
        var holders = await TablesHoldingAsync(hash);
        Assert.Equal([AuditLog.TableName, NewsletterStorage.Suppressions, PrivacyRequests.TableName], holders.Keys.Order(StringComparer.Ordinal));
        Assert.All(holders[NewsletterStorage.Suppressions], r => Assert.True(r.GetString("Reason") is null or NewsletterPersonalData.ErasureReason or "unsubscribe"));
        Assert.Contains(holders[AuditLog.TableName], r => r.GetString("Action") == AuditActions.Erasure && r.GetString("Principal") == "Dominique Lefèvre" && !string.IsNullOrEmpty(r.GetString("PrincipalObjectId")));
        var request = Assert.Single(holders[PrivacyRequests.TableName]);
        Assert.Equal(reference, request.RowKey);
        Assert.Equal(PrivacyRequestKinds.Erased, request.GetString("Status"));
    }

    [Fact]
    public async Task ARequestReceivedMoreThanAMonthAgoAndStillOpenShowsItsDeadlinePassedBySoManyDays()
    {
        var person = PersonTraces.NewPerson();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);
        var received = today.AddDays(-40);
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/donnees-personnelles"));
        await SignInAsync(page, "Dominique Lefèvre");

        await page.GetByLabel("Adresse e-mail de la personne").FillAsync(person.Email);
        await page.GetByLabel("Reçue le").FillAsync(received.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et chercher" }).ClickAsync();
        var reference = Regex.Match(await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync(), @"DP-\d{4}-\d+").Value;
        await page.GotoAsync(Backend("api/equipe/donnees-personnelles"));

        var french = CultureInfo.GetCultureInfo("fr-FR");
        var deadline = received.AddMonths(1);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });
        await Assertions.Expect(row).ToContainTextAsync(received.ToString("d MMMM yyyy", french));
        await Assertions.Expect(row).ToContainTextAsync(deadline.ToString("d MMMM yyyy", french));
        await Assertions.Expect(row).ToContainTextAsync($"Dépassée de {today.DayNumber - deadline.DayNumber} jours");
        await Assertions.Expect(row).ToContainTextAsync("Accès");
        await CheckPageAsync(page, "console-donnees-personnelles-delai-depasse");
    }

    [Fact]
    public async Task TheActivityReportShowsEverySectionWithChartsBesideTheirTablesAndItsSpreadsheet()
    {
        await Intakes.SubmitPorteurAsync(site.Backend, "Recyclerie " + Guid.NewGuid().ToString("N")[..6]);
        await Intakes.SubmitContactAsync(site.Backend, $"rapport-{Guid.NewGuid():N}@exemple.fr", "orientation-etudiant");
        var year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year;
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend($"api/equipe/rapport?annee={year}"));
        await SignInAsync(page, "Camille Martin");

        foreach (var section in Sections)
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = section, Level = 2 })).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#porteurs dl.chiffres")).ToContainTextAsync("Porteurs de projet reçus");
        var charts = page.Locator("canvas[data-graphique]");
        foreach (var chart in new[] { "porteurs-par-mois", "porteurs-secteur", "porteurs-epci", "newsletter-abonnes" })
        {
            await Assertions.Expect(page.Locator($"#{chart} canvas[data-graphique]")).ToHaveCountAsync(1);
        }

        await page.WaitForFunctionAsync("() => window.Chart && [...document.querySelectorAll('canvas[data-graphique]')].every(c => window.Chart.getChart(c) !== undefined)");
        Assert.Equal(await charts.CountAsync(), await page.Locator(".graphique-et-tableau > figure + table").CountAsync());
        await CheckPageAsync(page, "console-rapport");
        await CheckOnTabletAsync(page, "console-rapport-tablette");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger les chiffres (tableur XLSX)" }).ClickAsync());
        Assert.Equal($"rapport-activite_{year}.xlsx", download.SuggestedFilename);
        using (var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open((await download.PathAsync())!, false))
        {
            Assert.Equal(Sections, workbook.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value));
        }

        // Two days in the wrong order: the page says so beside the field, keeps them, and shows no figure.
        await page.GetByLabel("Du", new() { Exact = true }).FillAsync($"{year}-06-30");
        await page.GetByLabel("au", new() { Exact = true }).FillAsync($"{year}-06-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher le rapport" }).ClickAsync();
        await Assertions.Expect(page.Locator("#au-erreur")).ToContainTextAsync("doit suivre");
        await Assertions.Expect(page.GetByLabel("Du", new() { Exact = true })).ToHaveValueAsync($"{year}-06-30");
        await Assertions.Expect(page.Locator(".rapport-section")).ToHaveCountAsync(0);
        await CheckPageAsync(page, "console-rapport-erreur");
    }

    [Fact]
    public async Task TheActivityReportPrintsToAnA4PdfWithEverySectionAndNoTableWiderThanThePage()
    {
        await Intakes.SubmitPorteurAsync(site.Backend, "Tiers-lieu " + Guid.NewGuid().ToString("N")[..6]);
        var year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year;
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend($"api/equipe/rapport?annee={year}"));
        await SignInAsync(page, "Camille Martin");
        await Assertions.Expect(page.Locator(".rapport-section")).ToHaveCountAsync(Sections.Length);

        // The printed layout, at the width of an A4 page less its margins (210 - 2 × 14 mm at 96 dpi): no table
        // reaches past the page's content box.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.SetViewportSizeAsync(688, 1000);
        var overflowing = await page.EvaluateAsync<string[]>(
            """
            () => {
                const right = document.querySelector('main').getBoundingClientRect().right + 1;
                return [...document.querySelectorAll('main table')]
                    .filter(t => t.getBoundingClientRect().right > right || t.scrollWidth > t.parentElement.clientWidth + 1)
                    .map(t => t.querySelector('caption')?.textContent ?? '?');
            }
            """);
        Assert.Empty(overflowing);
        Assert.False(await page.Locator("header.entete").IsVisibleAsync());

        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true, PreferCSSPageSize = true });
        System.IO.Directory.CreateDirectory(ScreenshotFolder);
        await File.WriteAllBytesAsync(Path.Combine(ScreenshotFolder, "rapport-activite.pdf"), pdf);
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        Assert.True(pages.Count >= Sections.Length, $"{pages.Count} page(s)");
        var text = string.Join("\n", pages.Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        foreach (var section in Sections)
        {
            Assert.Contains(section.Split(' ')[0], text, StringComparison.Ordinal);
        }

        Assert.Contains("Porteurs de projet reçus".Split(' ')[0], text, StringComparison.Ordinal);
        foreach (var pdfPage in pages)
        {
            Assert.All(pdfPage.GetWords(), w => Assert.True(w.BoundingBox.Right <= pdfPage.Width && w.BoundingBox.Left >= 0, $"« {w.Text} » runs off page {pdfPage.Number}"));
            Assert.Equal(595, Math.Round(pdfPage.Width));
        }
    }

    private static readonly string[] Sections = ["Porteurs de projet", "Messages de contact", "Annuaire des acteurs", "Lettre d'information", "Agenda", "Salles à partager"];

    /// <summary>The backend's tables (by their name without the prefix) with the rows whose any property holds <paramref name="needle"/>.</summary>
    private async Task<Dictionary<string, List<TableEntity>>> TablesHoldingAsync(string needle)
    {
        var prefix = site.Backend.NamePrefix;
        var found = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var table in site.Backend.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in site.Backend.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                if (row.Any(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)?.Contains(needle, StringComparison.Ordinal) == true))
                {
                    (found.TryGetValue(table.Name[prefix.Length..], out var rows) ? rows : found[table.Name[prefix.Length..]] = []).Add(row);
                }
            }
        }

        return found;
    }
}
