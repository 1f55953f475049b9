using System.Net;
using System.Text;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Site;
using static ResoSolidaire.Functions.Tests.Console.ConsoleBrowser;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// The staff console in headless Chromium through the local host and the real worker: sign in as a member of
/// « Équipe » on the host's development sign-in page, handle a message sent with the website's form, and scan
/// every page for accessibility. Screenshots go to screenshots/ beside the test binaries.
/// </summary>
public sealed class ConsoleBrowserTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    private string Backend(string path) => new Uri(site.Backend.Host.BaseAddress, path).AbsoluteUri;

    [Fact]
    public async Task ATeamMemberSignsInAndHandlesAMessageSentFromTheWebsite()
    {
        var name = "Awa Test " + Guid.NewGuid().ToString("N")[..6];
        await SendContactMessageAsync(name);
        var page = await site.NewPageAsync(javaScript: true);

        await page.GotoAsync(Backend("api/equipe"));
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/\\.auth/login/aad"));
        await SignInAsync(page, "Camille Martin");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accueil", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync("Camille Martin");
        await Assertions.Expect(page.Locator(".a-traiter")).ToContainTextAsync("à traiter");
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" });
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Exports" })).ToHaveCountAsync(0);
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Données personnelles" })).ToHaveCountAsync(0);
        await CheckPageAsync(page, "console-accueil");

        await page.GetByRole(AriaRole.Link, new() { Name = "Messages", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Messages reçus" })).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("À traiter");
        await CheckPageAsync(page, "console-messages");
        await page.SetViewportSizeAsync(820, 1180);
        await CheckPageAsync(page, "console-messages-tablette");
        await page.SetViewportSizeAsync(1280, 800);

        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Message de " + name })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Répondre par courriel" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^mailto:.+subject="));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Créer une fiche dans l'annuaire" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/annuaire/nouvelle\\?message=CT-[0-9]{4}-[0-9]+$"));
        await CheckPageAsync(page, "console-message");

        await page.GetByLabel("Note pour l'équipe (facultative)").FillAsync("Rappelée le jour même, rendez-vous pris.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Marquer comme traité" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Le message est marqué comme traité.");
        await Assertions.Expect(page.Locator("#suivi + p")).ToContainTextAsync("par Camille Martin");
        await CheckPageAsync(page, "console-message-traite");

        await page.GetByRole(AriaRole.Link, new() { Name = "Tous les messages à traiter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ATeamMemberMovesACaseFromWelcomeToDiagnosisAndTheirNameIsOnItsHistory()
    {
        var title = "Épicerie solidaire " + Guid.NewGuid().ToString("N")[..6];
        var reference = await Porteurs.FollowUp.Intakes.SubmitPorteurAsync(site.Backend, title, pdf: SampleFiles.Pdf());
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/porteurs"));
        await SignInAsync(page, "Camille Martin");

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = title });
        await Assertions.Expect(row).ToContainTextAsync("Accueil");
        await CheckPageAsync(page, "console-porteurs");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(title);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "budget prévisionnel.pdf" })).ToBeVisibleAsync();
        await CheckPageAsync(page, "console-dossier");

        await page.GetByLabel("Nouvelle phase").SelectOptionAsync("diagnostic");
        await page.GetByLabel("Commentaire (facultatif)").FillAsync("Premier entretien fixé.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer de phase" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La phase du dossier est changée.");
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync("Diagnostic");

        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Besoin d'un local de 40 m² à Rennes.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter la note" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La note est ajoutée à l'historique.");
        var history = page.Locator(".chronologie");
        await Assertions.Expect(history).ToContainTextAsync("Besoin d'un local de 40 m² à Rennes.");
        await Assertions.Expect(history.Locator("li").First).ToContainTextAsync("par Camille Martin");
        await Assertions.Expect(history).ToContainTextAsync("Diagnostic");
        await CheckPageAsync(page, "console-dossier-modifie");
        Assert.StartsWith("PP-", reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATeamMemberFindsAMessageOpensACaseFromItAndOrientsItToAStructureOfTheDirectory()
    {
        var name = "Inès Test " + Guid.NewGuid().ToString("N")[..6];
        var partner = "Coopérative d'activités " + Guid.NewGuid().ToString("N")[..6];
        await SendContactMessageAsync(name);
        await Porteurs.FollowUp.Intakes.CreateActorAsync(site.Backend, partner);
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/messages"));
        await SignInAsync(page, "Camille Martin");

        await page.GetByLabel("Rechercher").FillAsync(name.ToUpperInvariant().Replace("È", "E", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ouvrir un dossier porteur de projet" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Description du projet")).ToHaveValueAsync("Bonjour, notre association voudrait adhérer au pôle.");
        await CheckPageAsync(page, "console-ouvrir-dossier");

        await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier" }).ClickAsync();
        var summary = page.Locator(".resume-erreurs");
        await Assertions.Expect(summary).ToContainTextAsync("Le titre du projet");
        await Assertions.Expect(summary).ToContainTextAsync("la personne est d'accord");
        await Assertions.Expect(page.Locator("#consent-erreur")).ToBeVisibleAsync();
        await CheckPageAsync(page, "console-ouvrir-dossier-erreurs");

        await page.GetByLabel("Titre du projet").FillAsync("Vélos partagés pour le quartier");
        await page.GetByLabel("Commune", new() { Exact = true }).FillAsync("Rennes");
        await page.GetByLabel("Code postal").FillAsync("35000");
        await page.GetByLabel("Secteur d'activité").SelectOptionAsync("mobilite");
        await page.GetByLabel("Stade du projet").SelectOptionAsync("idee");
        await page.GetByLabel("Statut envisagé").SelectOptionAsync("association");
        await page.GetByLabel("Local").CheckAsync();
        await page.Locator("#consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Le dossier est ouvert");
        var history = page.Locator(".chronologie");
        await Assertions.Expect(history).ToContainTextAsync("Dossier ouvert par l'équipe à partir du message CT-");
        await Assertions.Expect(history).ToContainTextAsync("par Camille Martin");

        await page.GetByLabel("Chercher dans l'annuaire").FillAsync(partner[^12..].ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Chercher" }).ClickAsync();
        await page.GetByLabel(partner).CheckAsync();
        await page.GetByLabel("Pour quoi (facultatif)").FillAsync("Pour l'accompagnement à la création.");
        await CheckPageAsync(page, "console-dossier-orientation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'orientation" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("L'orientation est enregistrée dans l'historique.");
        await Assertions.Expect(history.Locator("li").First).ToContainTextAsync("Orienté vers " + partner);
        await page.GotoAsync(Backend("api/equipe/messages?etat=tous&recherche=" + Uri.EscapeDataString(name)));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("Traité");
    }

    [Fact]
    public async Task TheSignInPageIsAccessibleAndSigningOutClosesTheConsole()
    {
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe"));
        await Assertions.Expect(page.GetByLabel("Camille Martin")).ToBeVisibleAsync();
        await CheckPageAsync(page, "connexion");

        await SignInAsync(page, "Dominique Lefèvre");
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync("Dominique Lefèvre");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Données personnelles" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.GotoAsync(Backend("api/equipe/messages"));

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/\\.auth/login/aad"));
    }

    [Fact]
    public async Task AFormPostedWithoutItsTokenChangesNothing()
    {
        var name = "Noé Test " + Guid.NewGuid().ToString("N")[..6];
        await SendContactMessageAsync(name);
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(Backend("api/equipe/messages"));
        await SignInAsync(page, "Camille Martin");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        var action = await page.Locator("form[method=post]").GetAttributeAsync("action");

        // What a third site's hidden form would send with the person's cookie: no token, or another's.
        var forged = await page.APIRequest.PostAsync(Backend(action!.TrimStart('/')), new()
        {
            Form = FormOf(page, ("action", "traite"), ("note", "falsifié")),
            Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" },
        });
        var tokenless = await page.APIRequest.PostAsync(Backend(action.TrimStart('/')), new() { Form = FormOf(page, ("action", "traite")) });
        var token = await page.Locator("input[name=jeton]").First.GetAttributeAsync("value");
        var fromSiblingSite = await page.APIRequest.PostAsync(Backend(action.TrimStart('/')), new()
        {
            Form = FormOf(page, ("jeton", token!), ("action", "traite")),
            Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = "same-site" },
        });

        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, tokenless.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, fromSiblingSite.Status);
        Assert.Contains("Rien n'a été modifié", WebUtility.HtmlDecode(await tokenless.TextAsync()), StringComparison.Ordinal);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Marquer comme traité" })).ToBeVisibleAsync();

        // The same token from the console itself is taken: the refusals above were the site's, not the token's.
        var fromTheConsole = await page.APIRequest.PostAsync(Backend(action.TrimStart('/')), new()
        {
            Form = FormOf(page, ("jeton", token!), ("action", "traite")),
            Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = "same-origin" },
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.Redirect, fromTheConsole.Status);
    }

    [Fact]
    public async Task APrincipalForgedByTheCallerIsIgnored()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.Backend.Host.BaseAddress };
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"name","val":"Intrus"},{"typ":"oid","val":"1"},{"typ":"roles","val":"Administration"}],"name_typ":"name","role_typ":"roles"}"""));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/equipe/messages");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", forged);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "Intrus");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/.auth/login/aad", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private async Task SendContactMessageAsync(string name)
    {
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(new Uri(site.Origin, "contact.html").AbsoluteUri);
        await page.GetByLabel("Nom et prénom").FillAsync(name);
        await page.GetByLabel("Adresse e-mail").FillAsync(FormsBackend.NewEmail());
        await page.GetByLabel("Sujet").SelectOptionAsync("adhesion");
        await page.GetByLabel("Message *", new() { Exact = true }).FillAsync("Bonjour, notre association voudrait adhérer au pôle.");
        await page.Locator("#consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("bien été envoyé");
        await page.Context.CloseAsync();
    }
}
