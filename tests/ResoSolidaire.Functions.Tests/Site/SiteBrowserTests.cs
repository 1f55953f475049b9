using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Site;

/// <summary>The sample site's French forms in headless Chromium, with and without JavaScript, against the real backend.</summary>
public sealed partial class SiteBrowserTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(15);

    private string Page(string name) => new Uri(site.Origin, name).AbsoluteUri;

    private async Task<List<TableEntity>> RowsAsync(string table, string email)
    {
        var client = site.Backend.Table(table);
        await client.CreateIfNotExistsAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Email eq {email}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task FillContactAsync(IPage page, string email, string phone = "06 12 34 56 78", string message = "Bonjour, nous voudrions adhérer à Réso Solidaire.")
    {
        await page.GetByLabel("Nom et prénom").FillAsync("Camille Martin");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Téléphone").FillAsync(phone);
        await page.GetByLabel("Sujet").SelectOptionAsync("adhesion");
        await page.GetByLabel("Message *", new() { Exact = true }).FillAsync(message);
        await page.Locator("#consent").CheckAsync();
    }

    private static async Task FillPorteurAsync(IPage page, string email, string commune = "Cesson-Sévigné", string postalCode = "35510")
    {
        await page.GetByLabel("Prénom").FillAsync("Awa");
        await page.Locator("#lastName").FillAsync("Diallo");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Téléphone").FillAsync("07 11 22 33 44");
        await page.Locator("#commune").FillAsync(commune);
        await page.GetByLabel("Code postal").FillAsync(postalCode);
        await page.GetByLabel("Titre du projet").FillAsync("Traiteur solidaire");
        await page.GetByLabel("Description du projet").FillAsync("Un service traiteur avec un restaurant d'insertion, en circuit court.");
        await page.GetByLabel("Secteur d'activité").SelectOptionAsync("alimentation");
        await page.GetByLabel("Stade du projet").SelectOptionAsync("creation");
        await page.GetByLabel("Statut envisagé").SelectOptionAsync("scic");
        await page.GetByLabel("Local").CheckAsync();
        await page.GetByLabel("Financement").CheckAsync();
        await page.Locator("#consent").CheckAsync();
    }

    /// <summary>Submits a form without JavaScript and returns where the browser landed (its text in the failure message otherwise).</summary>
    private static async Task<Uri> PostPlainlyAsync(IPage page, string button, Regex expected)
    {
        var form = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await page.WaitForURLAsync(url => url != form, new() { WaitUntil = WaitUntilState.Load });
        var landed = new Uri(page.Url);
        Assert.True(expected.IsMatch(page.Url), $"Landed on {page.Url}: {await page.InnerTextAsync("body")}");
        return landed;
    }

    private static FilePayload File(string name, string mimeType, byte[] content) => new() { Name = name, MimeType = mimeType, Buffer = content };

    [Fact]
    public async Task AContactMessageSentWithJavaScriptShowsItsReferenceAndIsStoredAndMailed()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("contact.html"));

        await FillContactAsync(page, email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();

        var confirmation = page.Locator("#confirmation");
        await Assertions.Expect(confirmation).ToBeVisibleAsync();
        await Assertions.Expect(confirmation).ToContainTextAsync("bien été envoyé");
        var reference = await page.Locator("#reference").InnerTextAsync();
        Assert.Matches(ContactReference(), reference);
        Assert.Equal(reference, Assert.Single(await RowsAsync(ContactForm.TableName, email)).RowKey);
        await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FieldErrorsFromTheApiAreShownNextToTheirFieldsWithJavaScript()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var email = "camille@exemple";
        await page.GotoAsync(Page("contact.html"));

        await FillContactAsync(page, email, phone: "12345", message: "Court");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();

        await Assertions.Expect(page.Locator("#erreur-email")).ToContainTextAsync("n'est pas valide");
        await Assertions.Expect(page.Locator("#erreur-phone")).ToContainTextAsync("numéro français");
        await Assertions.Expect(page.Locator("#erreur-message")).ToContainTextAsync("au moins 10 caractères");
        await Assertions.Expect(page.Locator("#email")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#resume-erreurs")).ToContainTextAsync("Certaines informations sont manquantes ou invalides.");
        await Assertions.Expect(page.Locator("#confirmation")).ToBeHiddenAsync();
        Assert.Empty(await RowsAsync(ContactForm.TableName, email));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task APorteurWithAttachmentsSentWithJavaScriptIsStoredWithItsFilesAndStaffAreNotified()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("porteur.html"));

        await FillPorteurAsync(page, email);
        await page.GetByLabel("Documents (facultatif)").SetInputFilesAsync([
            File("présentation.pdf", "application/pdf", SampleFiles.Pdf()),
            File("budget.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", SampleFiles.Docx()),
        ]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer mon projet" }).ClickAsync();

        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("bien été enregistré");
        var reference = await page.Locator("#reference").InnerTextAsync();
        Assert.Matches(PorteurReference(), reference);
        var row = Assert.Single(await RowsAsync(PorteurForm.TableName, email));
        Assert.Equal(2, row.GetInt32("AttachmentCount"));
        Assert.True(await site.Backend.Container(AttachmentStore.ContainerName).GetBlobClient($"{reference}/1.pdf").ExistsAsync());
        var staff = await site.Backend.Mail.Messages.WaitForAsync(m => m.Subject.Contains(reference, StringComparison.Ordinal) && m.IsAddressedTo("accompagnement@reso-solidaire.example"), MailWait);
        Assert.Contains("présentation.pdf", staff.Text, StringComparison.Ordinal);
        Assert.Contains("budget.docx", staff.Text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ADisguisedFileIsReportedNextToTheAttachmentsField()
    {
        var page = await site.NewPageAsync(javaScript: true);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("porteur.html"));

        await FillPorteurAsync(page, email);
        await page.GetByLabel("Documents (facultatif)").SetInputFilesAsync([File("statuts.pdf", "application/pdf", SampleFiles.Executable())]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer mon projet" }).ClickAsync();

        await Assertions.Expect(page.Locator("#erreur-attachments")).ToContainTextAsync("« statuts.pdf » n'est pas un fichier PDF, ODT, DOCX, PNG ou JPEG");
        Assert.Empty(await RowsAsync(PorteurForm.TableName, email));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task APorteurWithAFileSentWithoutJavaScriptLandsOnTheThankYouPage()
    {
        var page = await site.NewPageAsync(javaScript: false);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("porteur.html"));

        await FillPorteurAsync(page, email, commune: "Vannes", postalCode: "56000");
        await page.GetByLabel("Documents (facultatif)").SetInputFilesAsync([File("plan.png", "image/png", SampleFiles.Png())]);
        var landed = await PostPlainlyAsync(page, "Envoyer mon projet", ThankYouPage());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Merci !");
        var reference = landed.Query.Split("reference=")[1];
        var row = Assert.Single(await RowsAsync(PorteurForm.TableName, email));
        Assert.Equal(reference, row.RowKey);
        Assert.False(row.GetBoolean("InPaysDeRennes"));
        var ack = await site.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
        Assert.Contains("partenaire proche de chez vous", ack.Text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AContactMessageWithErrorsSentWithoutJavaScriptGetsAFrenchPageWithABackLink()
    {
        var page = await site.NewPageAsync(javaScript: false);
        await page.GotoAsync(Page("contact.html"));

        await FillContactAsync(page, "camille@exemple");
        await PostPlainlyAsync(page, "Envoyer le message", ApiPage());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Certaines informations sont manquantes ou invalides.");
        await Assertions.Expect(page.Locator("#erreurs")).ToContainTextAsync("Adresse e-mail : L'adresse e-mail n'est pas valide");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revenir au formulaire" }).ClickAsync();
        await page.WaitForURLAsync(Page("contact.html"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AContactMessageSentWithoutJavaScriptLandsOnTheThankYouPage()
    {
        var page = await site.NewPageAsync(javaScript: false);
        var email = FormsBackend.NewEmail();
        await page.GotoAsync(Page("contact.html"));

        await FillContactAsync(page, email);
        await PostPlainlyAsync(page, "Envoyer le message", ThankYouPage());

        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("Votre envoi a bien été reçu.");
        Assert.Single(await RowsAsync(ContactForm.TableName, email));
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^CT-\d{4}-\d{4}$")]
    private static partial Regex ContactReference();

    [GeneratedRegex(@"^PP-\d{4}-\d{4}$")]
    private static partial Regex PorteurReference();

    [GeneratedRegex(@"/api/contact$")]
    private static partial Regex ApiPage();

    [GeneratedRegex(@"/merci\.html\?formulaire=(contact|porteur)&reference=[A-Z]{2}-\d{4}-\d{4}$")]
    private static partial Regex ThankYouPage();
}
