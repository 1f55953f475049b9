using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Newsletter;

namespace ResoSolidaire.Functions.Tests.Site;

/// <summary>The newsletter subscription (with its confirmation and unsubscription pages) and the agenda proposal, in Chromium.</summary>
public sealed partial class SiteBrowserTests
{
    private static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves what the page looks like, to be looked at (bin/…/screenshots/{name}.png).</summary>
    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    private async Task<SubscriberEntity?> SubscriberAsync(string email)
    {
        var table = site.Backend.Table("NewsletterSubscribers");
        await table.CreateIfNotExistsAsync();
        var found = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, NewsletterBackend.EmailKeyOf(email));
        return found.HasValue ? found.Value : null;
    }

    private async Task<JsonArray> AgendaEventsAsync(string? status = null) =>
        await site.Backend.StaffClient.GetFromJsonAsync<JsonArray>("api/staff/agenda/events" + (status is null ? "" : $"?status={status}")) ?? [];

    private static async Task FillSubscriptionAsync(IPage page, string email)
    {
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Nom ou structure").FillAsync("Les Vélos Solidaires");
        await page.GetByLabel("Rennes Métropole").CheckAsync();
        await page.GetByLabel("Mobilité").CheckAsync();
        await page.Locator("#consent").CheckAsync();
    }

    private static async Task FillProposalAsync(IPage page, string title, string contactEmail, int inDays = 20, string? endInDays = null)
    {
        string Day(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByLabel("Titre de l'événement").FillAsync(title);
        await page.GetByLabel("Date de début").FillAsync(Day(inDays));
        await page.GetByLabel("Heure de début").FillAsync("18:30");
        if (endInDays is not null)
        {
            await page.GetByLabel("Date de fin").FillAsync(Day(int.Parse(endInDays, CultureInfo.InvariantCulture)));
        }

        await page.Locator("#place").FillAsync("Le Tambour, 2 rue du Doyen Denis Leroy");
        await page.Locator("#commune").FillAsync("Rennes");
        await page.GetByLabel("Description").FillAsync("Une soirée de rencontre entre les structures de l'ESS du quartier.");
        await page.GetByLabel("Structure organisatrice").FillAsync("Les Vélos Solidaires");
        await page.GetByLabel("Nom et prénom").FillAsync("Camille Martin");
        await page.GetByLabel("Adresse e-mail").FillAsync(contactEmail);
        await page.Locator("#consent").CheckAsync();
    }

    /// <summary>The confirmation link of the mail the sink captured for <paramref name="email"/>, on the site's origin (which passes /api on).</summary>
    private async Task<string> ConfirmationLinkAsync(string email)
    {
        var mail = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
        Assert.StartsWith("Confirmez votre inscription", mail.Subject, StringComparison.Ordinal);
        var link = ConfirmLink().Match(mail.Text!);
        Assert.True(link.Success, "No confirmation link in: " + mail.Text);
        return Page("api/newsletter/confirm?token=" + link.Groups["token"].Value);
    }

    private async Task ConfirmAsync(IPage page, string email, string screenshot)
    {
        await page.GotoAsync(await ConfirmationLinkAsync(email));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Confirmer votre inscription");
        Assert.Equal(SubscriberStatus.Pending, (await SubscriberAsync(email))!.Status);
        await ScreenshotAsync(page, screenshot + "-confirmation");

        await page.GetByRole(AriaRole.Button, new() { Name = "Je confirme mon inscription" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inscription confirmée");
        await ScreenshotAsync(page, screenshot + "-confirmee");
        Assert.Equal(SubscriberStatus.Confirmed, (await SubscriberAsync(email))!.Status);
    }

    [Fact]
    public async Task ASubscriptionSentWithJavaScriptIsShownThenConfirmedFromTheLinkOfItsMail()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("lettre.html"));

        await FillSubscriptionAsync(page, email);
        await page.GetByRole(AriaRole.Button, new() { Name = "M'inscrire à la lettre" }).ClickAsync();

        var confirmation = page.Locator("#confirmation");
        await Assertions.Expect(confirmation).ToContainTextAsync("un courriel de confirmation vient de lui être envoyé");
        await Assertions.Expect(page.Locator("#formulaire")).ToBeHiddenAsync();
        await ScreenshotAsync(page, "lettre-js-envoyee");
        var subscriber = (await SubscriberAsync(email))!;
        Assert.Equal("243500139", subscriber.Territories);
        Assert.Equal("mobilite", subscriber.Sectors);
        Assert.Equal("site-web (js)", subscriber.ConsentSource);

        await ConfirmAsync(page, email, "lettre-js");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SubscriptionErrorsFromTheApiAreShownNextToTheirFieldsWithJavaScript()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var email = "lecteur@exemple";
        await page.GotoAsync(Page("lettre.html"));

        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "M'inscrire à la lettre" }).ClickAsync();

        await Assertions.Expect(page.Locator("#erreur-email")).ToContainTextAsync("n'est pas valide");
        await Assertions.Expect(page.Locator("#erreur-consent")).ToContainTextAsync("Merci de cocher la case de consentement");
        await Assertions.Expect(page.Locator("#consent")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#resume-erreurs")).ToContainTextAsync("Certaines informations sont manquantes ou invalides.");
        await ScreenshotAsync(page, "lettre-js-erreurs");
        Assert.DoesNotContain(site.Backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ASubscriptionSentWithoutJavaScriptLandsOnTheThankYouPageAndItsConfirmationAndUnsubscriptionPagesWork()
    {
        var page = await site.NewPageAsync(javaScript: false);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("lettre.html"));

        await FillSubscriptionAsync(page, email);
        await PostPlainlyAsync(page, "M'inscrire à la lettre", PendingThankYouPage());

        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("confirmer une inscription à la lettre");
        await ScreenshotAsync(page, "lettre-sans-js-merci");
        Assert.Equal("site-web", (await SubscriberAsync(email))!.ConsentSource);
        await ConfirmAsync(page, email, "lettre-sans-js");

        // The unsubscription link every letter carries (issued as the dispatcher does), opened in the browser.
        var token = NewsletterBackend.Tokens().Issue("newsletter-unsubscribe", NewsletterBackend.EmailKeyOf(email), TimeSpan.FromDays(30));
        await page.GotoAsync(Page("api/newsletter/unsubscribe?token=" + token));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Se désinscrire");
        await ScreenshotAsync(page, "lettre-desinscription");
        Assert.Equal(SubscriberStatus.Confirmed, (await SubscriberAsync(email))!.Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Je me désinscris" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vous êtes désinscrit·e");
        await ScreenshotAsync(page, "lettre-desinscrite");
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync(email))!.Status);
        var suppression = await site.Backend.Table("NewsletterSuppressions").GetEntityAsync<SuppressionEntity>(SuppressionEntity.Partition, NewsletterBackend.EmailKeyOf(email));
        Assert.Equal("lien", suppression.Value.Source);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnEventProposedWithJavaScriptIsShownAsReceivedAndWaitsForModeration()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var title = $"Forum de l'ESS {Guid.NewGuid():N}"[..30];
        await page.GotoAsync(Page("agenda.html"));

        await FillProposalAsync(page, title, FormsBackend.NewEmail());
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer l'événement" }).ClickAsync();

        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("Votre événement a bien été reçu.");
        await ScreenshotAsync(page, "agenda-js-envoye");
        var proposed = Assert.Single(await AgendaEventsAsync("pending"), e => e!["event"]!["title"]!.GetValue<string>() == title);
        Assert.Equal("18:30", proposed!["event"]!["startTime"]!.GetValue<string>());
        var staff = await site.Backend.Mail.Messages.WaitForAsync(m => m.Subject.StartsWith("Agenda : un événement attend", StringComparison.Ordinal) && m.Text!.Contains(title, StringComparison.Ordinal), MailWait);
        Assert.True(staff.IsValid);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProposalErrorsFromTheApiAreShownNextToTheirFieldsWithJavaScript()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var title = $"Atelier en erreur {Guid.NewGuid():N}"[..30];
        await page.GotoAsync(Page("agenda.html"));

        await FillProposalAsync(page, title, "camille@exemple", inDays: 20, endInDays: "18");
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer l'événement" }).ClickAsync();

        await Assertions.Expect(page.Locator("#erreur-endDate")).ToContainTextAsync("La date de fin précède la date de début.");
        await Assertions.Expect(page.Locator("#erreur-contactEmail")).ToContainTextAsync("n'est pas valide");
        await Assertions.Expect(page.Locator("#endDate")).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync(page, "agenda-js-erreurs");
        Assert.DoesNotContain(await AgendaEventsAsync(), e => e!["event"]!["title"]!.GetValue<string>() == title);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnEventProposedWithoutJavaScriptLandsOnTheThankYouPage()
    {
        var page = await site.NewPageAsync(javaScript: false);
        var title = $"Repair café {Guid.NewGuid():N}"[..30];
        await page.GotoAsync(Page("agenda.html"));

        await FillProposalAsync(page, title, FormsBackend.NewEmail());
        await PostPlainlyAsync(page, "Proposer l'événement", PendingThankYouPage());

        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("Votre envoi a bien été reçu.");
        await ScreenshotAsync(page, "agenda-sans-js-merci");
        Assert.Single(await AgendaEventsAsync("pending"), e => e!["event"]!["title"]!.GetValue<string>() == title);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnEventWithErrorsProposedWithoutJavaScriptGetsAFrenchPageWithABackLink()
    {
        var page = await site.NewPageAsync(javaScript: false);
        var title = $"Fête de quartier {Guid.NewGuid():N}"[..30];
        await page.GotoAsync(Page("agenda.html"));

        await FillProposalAsync(page, title, FormsBackend.NewEmail(), inDays: 20, endInDays: "19");
        await PostPlainlyAsync(page, "Proposer l'événement", AgendaApi());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Certaines informations sont manquantes ou invalides.");
        await Assertions.Expect(page.Locator("#erreurs")).ToContainTextAsync("Date de fin : La date de fin précède la date de début.");
        await ScreenshotAsync(page, "agenda-sans-js-erreurs");
        Assert.DoesNotContain(await AgendaEventsAsync(), e => e!["event"]!["title"]!.GetValue<string>() == title);
        await page.GetByRole(AriaRole.Link, new() { Name = "Revenir au formulaire" }).ClickAsync();
        await page.WaitForURLAsync(Page("agenda.html"));
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"token=(?<token>[A-Za-z0-9_\-\.]+)")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"/merci\.html\?formulaire=(newsletter|agenda)$")]
    private static partial Regex PendingThankYouPage();

    [GeneratedRegex(@"/api/agenda/events$")]
    private static partial Regex AgendaApi();
}
