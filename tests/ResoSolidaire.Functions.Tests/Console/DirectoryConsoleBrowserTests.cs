using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Directory.Console;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Site;
using static ResoSolidaire.Functions.Tests.Console.ConsoleBrowser;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// The directory's console pages in headless Chromium through the local host and the real worker: the list with its
/// filters, count and export, a fiche created, edited, saved over a change made meanwhile, and deleted. Each page is
/// checked (screenshot, French, axe-core). Tests create their own fiches, tagged with a name of their own.
/// </summary>
public sealed partial class DirectoryConsoleBrowserTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    private HttpClient Staff => site.Backend.StaffClient;

    private string Backend(string path) => new Uri(site.Backend.Host.BaseAddress, path).AbsoluteUri;

    [Fact]
    public async Task ATeamMemberFindsFichesByTheirFiltersAndANameWrittenWithoutAccents()
    {
        var tag = StaffBackend.UniqueTag();
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Élan Solidaire {tag}").With("sectors", new List<string> { "culture" }));
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Jardins du Blosne {tag}").With("sectors", new List<string> { "alimentation" }));
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Coopérative de Cesson {tag}").With("kind", "cooperative").With("communeInsee", "35051").With("quartier", null).With("postalCode", "35510").With("sectors", new List<string> { "culture" }));
        var page = await site.SignedInAsync("api/equipe/annuaire", "Camille Martin");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Annuaire", Level = 1 })).ToBeVisibleAsync();
        await CheckPageAsync(page, "annuaire-liste");

        await page.GotoAsync(Backend($"api/equipe/annuaire?tag={tag}"));
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("3 fiches correspondent à ces filtres");
        await page.GetByLabel("Secteur").SelectOptionAsync("culture");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("2 fiches");
        await page.GetByLabel("Commune").SelectOptionAsync("35238");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("1 fiche correspond");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Élan Solidaire" })).ToHaveCountAsync(1);
        await CheckOnTabletAsync(page, "annuaire-liste-filtree-tablette");

        await page.GotoAsync(Backend($"api/equipe/annuaire?q=elan+SOLIDAIRE+{tag}"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Élan Solidaire {tag}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("1 fiche");

        await page.GotoAsync(Backend($"api/equipe/annuaire?q=personne+{tag}"));
        await Assertions.Expect(page.Locator(".vide")).ToContainTextAsync("Aucune fiche ne correspond à ces filtres");
        await CheckPageAsync(page, "annuaire-liste-vide");
    }

    [Fact]
    public async Task TheTypeLegalStatusEpciQuartierAndNewsletterFiltersEachKeepOnlyTheFichesTheyName()
    {
        var tag = StaffBackend.UniqueTag();
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Asso de Liffré {tag}").With("emails", new[] { $"liffre-{tag}@asso.example" }).With("communeInsee", "35152").With("quartier", null).With("postalCode", "35340").With("newsletter", false));
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Asso du Blosne {tag}").With("emails", new[] { $"blosne-{tag}@asso.example" }));
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Coop de Cesson {tag}").With("emails", new[] { $"coop-{tag}@asso.example" }).With("kind", "cooperative").With("legalStatus", "SCOP").With("communeInsee", "35051").With("quartier", null).With("postalCode", "35510"));
        var page = await site.SignedInAsync($"api/equipe/annuaire?tag={tag}", "Camille Martin");
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("3 fiches");

        async Task FilterAsync(Func<Task> choose, params string[] names)
        {
            await page.GotoAsync(Backend($"api/equipe/annuaire?tag={tag}"));
            await choose();
            await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
            await Assertions.Expect(page.Locator("table.liste tbody tr td:first-child a")).ToHaveTextAsync([.. names.Select(n => $"{n} {tag}")]);
        }

        await FilterAsync(() => page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("cooperative"), "Coop de Cesson");
        await FilterAsync(() => page.GetByLabel("Statut juridique").FillAsync("scop"), "Coop de Cesson");
        await FilterAsync(() => page.GetByLabel("EPCI").SelectOptionAsync("243500774"), "Asso de Liffré");
        await FilterAsync(() => page.GetByLabel("Quartier de Rennes").SelectOptionAsync("le-blosne"), "Asso du Blosne");
        await FilterAsync(() => page.GetByLabel("Newsletter", new() { Exact = true }).SelectOptionAsync("non"), "Asso de Liffré");
        await FilterAsync(() => page.GetByLabel("Newsletter", new() { Exact = true }).SelectOptionAsync("oui"), "Asso du Blosne", "Coop de Cesson");
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("2 fiches correspondent à ces filtres");
    }

    [Fact]
    public async Task WithJavaScriptTheListFiltersAsAFilterChanges()
    {
        var tag = StaffBackend.UniqueTag();
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Atelier vélo {tag}").With("sectors", new List<string> { "mobilite" }));
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Recyclerie {tag}").With("sectors", new List<string> { "reemploi-recyclage" }));
        var page = await site.SignedInAsync($"api/equipe/annuaire?tag={tag}", "Camille Martin");
        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("2 fiches");

        await page.GetByLabel("Secteur").SelectOptionAsync("mobilite");

        await Assertions.Expect(page.Locator(".compte")).ToContainTextAsync("1 fiche");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sector=mobilite"));
    }

    [Fact]
    public async Task AnAdministratorExportsTheFilteredListAndATeamMemberIsToldItIsTheirs()
    {
        var tag = StaffBackend.UniqueTag();
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Premier {tag}"));
        await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Second {tag}"));
        var page = await site.SignedInAsync($"api/equipe/annuaire?tag={tag}", "Dominique Lefèvre");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Excel (CSV)" }).ClickAsync());
        var csv = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await download.PathAsync())!)).TrimStart('\uFEFF');
        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Excel (XLSX)" }).ClickAsync());

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Identifiant;Nom;Type", lines[0], StringComparison.Ordinal);
        Assert.Equal([$"Premier {tag}", $"Second {tag}"], lines.Skip(1).Select(l => l.Split(';')[1]).Order(StringComparer.Ordinal));
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename, StringComparison.Ordinal);

        var team = await site.SignedInAsync($"api/equipe/annuaire?tag={tag}", "Camille Martin");
        await Assertions.Expect(team.Locator(".export")).ToHaveTextAsync("L'export de la liste demande le rôle « Administration ».");
    }

    [Fact]
    public async Task ATeamMemberCreatesAFicheAfterCorrectingWhatTheFormRefusedAndEditsIt()
    {
        var tag = StaffBackend.UniqueTag();
        var page = await site.SignedInAsync("api/equipe/annuaire", "Camille Martin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouvelle fiche" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nouvelle fiche" })).ToBeVisibleAsync();
        await CheckPageAsync(page, "annuaire-nouvelle-fiche");

        await page.GetByLabel("Adresses e-mail").FillAsync("pas-une-adresse");
        await page.GetByLabel("SIRET").FillAsync("1234");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer la fiche" }).ClickAsync();

        var summary = page.Locator(".resume-erreurs");
        await Assertions.Expect(summary).ToContainTextAsync("Le nom est obligatoire.");
        await Assertions.Expect(summary).ToContainTextAsync("Le SIRET doit compter 14 chiffres.");
        await Assertions.Expect(summary.GetByRole(AriaRole.Link)).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByLabel("Adresses e-mail")).ToHaveValueAsync("pas-une-adresse");
        await CheckPageAsync(page, "annuaire-nouvelle-fiche-erreurs");

        await page.GetByLabel("Nom (obligatoire)").FillAsync($"Maison des Solidarités {tag}");
        await page.GetByLabel("Type (obligatoire)").SelectOptionAsync("association");
        await page.GetByLabel("SIRET").FillAsync(Sirets.Valid());
        await page.GetByLabel("Mobilité").CheckAsync();
        await page.GetByLabel("Commune", new() { Exact = true }).FillAsync("Rennes");
        await page.GetByLabel("Quartier (Rennes seulement)").SelectOptionAsync("le-blosne");
        await page.GetByLabel("Adresses e-mail").FillAsync($"contact-{tag}@maison.example\nsecretariat-{tag}@maison.example");
        await page.GetByLabel("Étiquettes").FillAsync($"{tag}, forum 2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer la fiche" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La fiche est créée.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Maison des Solidarités {tag}");
        await Assertions.Expect(page.Locator("#territoire + dl")).ToContainTextAsync("Rennes Métropole");
        await Assertions.Expect(page.Locator("#suivi + dl")).ToContainTextAsync("par Camille Martin");
        await CheckPageAsync(page, "annuaire-fiche");
        await CheckOnTabletAsync(page, "annuaire-fiche-tablette");

        await page.GetByRole(AriaRole.Link, new() { Name = "Modifier la fiche" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Commune", new() { Exact = true })).ToHaveValueAsync("Rennes (35238)");
        await page.GetByLabel("Culture, loisirs").CheckAsync();
        await page.GetByLabel("Notes de l'équipe").FillAsync("Rencontrée au forum de mars.");
        await CheckPageAsync(page, "annuaire-modifier-fiche");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la fiche" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La fiche est enregistrée.");
        await Assertions.Expect(page.Locator("#identite + dl")).ToContainTextAsync("Culture, loisirs ; Mobilité");
        await Assertions.Expect(page.Locator("#notes + p")).ToHaveTextAsync("Rencontrée au forum de mars.");
    }

    [Fact]
    public async Task TheCreatePageTakesTheContactOfAMessageFromItsReference()
    {
        var email = $"awa.diallo.{Guid.NewGuid():N}@asso.example";
        var fromStructure = await Porteurs.FollowUp.Intakes.SubmitContactAsync(site.Backend, email, "adhesion", name: "Awa Diallo", organisation: "Les Amis du Thabor", phone: "02 99 00 00 42");
        var path = DirectoryConsole.NewActorPath(fromStructure);
        var page = await site.SignedInAsync(path.TrimStart('/'), "Camille Martin");

        Assert.DoesNotContain("@", path, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByLabel("Nom (obligatoire)")).ToHaveValueAsync("Les Amis du Thabor");
        await Assertions.Expect(page.GetByLabel("Adresses e-mail")).ToHaveValueAsync(email);
        await Assertions.Expect(page.GetByLabel("Téléphones")).ToHaveValueAsync("+33299000042");
        await Assertions.Expect(page.GetByLabel("Notes de l'équipe")).ToHaveValueAsync($"Personne de contact : Awa Diallo. Fiche créée à partir du message {fromStructure}.");

        var fromPerson = await Porteurs.FollowUp.Intakes.SubmitContactAsync(site.Backend, $"awa.{Guid.NewGuid():N}@exemple.fr", "information", name: "Awa Diallo");
        var person = await site.SignedInAsync(DirectoryConsole.NewActorPath(fromPerson).TrimStart('/'), "Camille Martin");
        await Assertions.Expect(person.GetByLabel("Type (obligatoire)")).ToHaveValueAsync("individu");
        await Assertions.Expect(person.GetByLabel("Non", new() { Exact = true })).ToBeCheckedAsync();
    }

    [Fact]
    public async Task ASaveOverAChangeMadeMeanwhileShowsBothVersionsAndKeepsTheOneChosen()
    {
        var tag = StaffBackend.UniqueTag();
        var id = await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Ressourcerie {tag}").With("notes", "Note d'origine."));
        var page = await site.SignedInAsync($"api/equipe/annuaire/{id}/modifier", "Camille Martin");
        await page.GetByLabel("Notes de l'équipe").FillAsync("Note de Camille.");

        // Meanwhile Dominique changes the phone number through the API, over the version she read.
        await ChangeAsync(id, body => body.With("phones", new List<string> { "02 99 00 99 99" }));
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la fiche" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cette fiche a été modifiée par Dominique Lefèvre entre-temps");
        var differences = page.Locator("table.comparaison").First;
        await Assertions.Expect(differences.GetByRole(AriaRole.Row, new() { Name = "Téléphones" })).ToContainTextAsync("02 99 00 99 99");
        await Assertions.Expect(differences.GetByRole(AriaRole.Row, new() { Name = "Notes" })).ToContainTextAsync("Note de Camille.");
        await page.GetByText("Voir les deux versions en entier").ClickAsync();
        await CheckPageAsync(page, "annuaire-fiche-modifiee-entre-temps");
        await CheckOnTabletAsync(page, "annuaire-fiche-modifiee-entre-temps-tablette");
        Assert.Equal("Note d'origine.", (await Staff.ActorAsync(id))["notes"]!.GetValue<string>());

        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer ma version" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La fiche est enregistrée.");
        var saved = await Staff.ActorAsync(id);
        Assert.Equal("Note de Camille.", saved["notes"]!.GetValue<string>());
        Assert.Equal("Camille Martin", saved["updatedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingAFicheAsksForConfirmationFirst()
    {
        var tag = StaffBackend.UniqueTag();
        var id = await Staff.CreateActorAsync(ActorBodies.Valid(tag, $"Fiche à supprimer {tag}"));
        var page = await site.SignedInAsync($"api/equipe/annuaire/{id}", "Camille Martin");

        await page.GetByRole(AriaRole.Link, new() { Name = "Supprimer la fiche" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Supprimer « Fiche à supprimer {tag} » ?");
        await CheckPageAsync(page, "annuaire-supprimer-fiche");
        Assert.Equal(HttpStatusCode.OK, (await Staff.GetAsync($"api/staff/directory/actors/{id}")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Oui, supprimer la fiche" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La fiche est supprimée.");
        Assert.Equal(HttpStatusCode.NotFound, (await Staff.GetAsync($"api/staff/directory/actors/{id}")).StatusCode);
    }

    /// <summary>Changes an actor through the API as Dominique Lefèvre, over the version read first.</summary>
    private async Task ChangeAsync(string id, Func<Dictionary<string, object?>, Dictionary<string, object?>> change)
    {
        using var read = await Staff.GetAsync($"api/staff/directory/actors/{id}");
        var current = (await read.JsonAsync()).Where(p => p.Key is not ("id" or "kindLabel" or "commune" or "epci" or "epciName" or "quartierName" or "createdAt" or "createdBy" or "updatedAt" or "updatedBy" or "reviewSince"))
            .ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone());
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/staff/directory/actors/{id}") { Content = JsonContent.Create(change(current)) };
        request.WithIfMatch(read.Headers.ETag?.ToString());
        using var response = await Staff.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
