using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Porteurs;

/// <summary>The intake form through the local host and the real worker, with Azurite and the mail sink.</summary>
[Collection(FormsBackendGroup.Name)]
public sealed class PorteurEndToEndTests(FormsBackend forms)
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(15);

    private static MultipartFormDataContent Intake(string email, string commune = "Cesson-Sévigné", string postalCode = "35510", params (string Name, byte[] Content)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in PorteurServiceTests.Fields(commune, postalCode).Where(f => f.Key != "email").Append(new("email", email)))
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "attachments", name);
        }

        return content;
    }

    private async Task<List<string>> BlobsAsync(string reference)
    {
        var container = forms.Backend.Container(AttachmentStore.ContainerName);
        var names = new List<string>();
        if (await container.ExistsAsync())
        {
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, reference + "/", default))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }

    [Fact]
    public async Task AnIntakeWithThreeFilesAnswers201AndKeepsTheFilesPrivatelyUnderItsReference()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();
        using var body = Intake(email, files: [("dossier <projet>.pdf", SampleFiles.Pdf()), ("plan.odt", SampleFiles.Odt()), ("logo.jpeg", SampleFiles.Jpeg())]);

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reference = (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        Assert.Matches(@"^PP-\d{4}-\d{4}$", reference);
        Assert.Equal([$"{reference}/1.pdf", $"{reference}/2.odt", $"{reference}/3.jpg"], (await BlobsAsync(reference)).Order(StringComparer.Ordinal));
        var access = await forms.Backend.Container(AttachmentStore.ContainerName).GetAccessPolicyAsync();
        Assert.Equal(Azure.Storage.Blobs.Models.PublicAccessType.None, access.Value.BlobPublicAccess);
        var row = Assert.Single(await forms.RowsWithEmailAsync(PorteurForm.TableName, email));
        Assert.True(row.GetBoolean("InPaysDeRennes"));
        var staff = await forms.Backend.Mail.Messages.WaitForAsync(m => m.Subject.Contains(reference, StringComparison.Ordinal) && m.IsAddressedTo("accompagnement@reso-solidaire.example"), MailWait);
        Assert.True(staff.IsValid);
        Assert.Contains("dossier _projet.pdf", staff.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<projet>", staff.Html, StringComparison.Ordinal);
        await forms.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
    }

    [Fact]
    public async Task ARenamedExecutableAnswers415AndNothingIsKept()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();
        using var body = Intake(email, files: [("budget.pdf", SampleFiles.Executable())]);

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("n'est pas un fichier PDF, ODT, DOCX, PNG ou JPEG", problem["errors"]!["attachments"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await forms.RowsWithEmailAsync(PorteurForm.TableName, email));
    }

    [Fact]
    public async Task AFileOverTenMegabytesAnswers413()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();
        using var body = Intake(email, files: [("gros.pdf", SampleFiles.PdfOfSize((10 * 1024 * 1024) + 1))]);

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("10 Mo", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await forms.RowsWithEmailAsync(PorteurForm.TableName, email));
    }

    [Fact]
    public async Task ThreeFilesOfNearlyTenMegabytesEachAreAccepted()
    {
        using var client = forms.NewClient();
        var big = SampleFiles.PdfOfSize((10 * 1024 * 1024) - 1024);
        using var body = Intake(FormsBackend.NewEmail(), files: [("a.pdf", big), ("b.pdf", big), ("c.pdf", big)]);

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reference = (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        Assert.Equal(3, (await BlobsAsync(reference)).Count);
    }

    [Fact]
    public async Task APorteurFromOutsideThePaysDeRennesIsAcceptedAndToldAboutPartnersNearThem()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();
        using var body = Intake(email, commune: "Quimper", postalCode: "29000");

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("partenaire proche de chez vous", (await response.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Assert.Single(await forms.RowsWithEmailAsync(PorteurForm.TableName, email)).GetBoolean("InPaysDeRennes"));
        var ack = await forms.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
        Assert.Contains("Pays de Rennes", ack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCommuneIsAFieldError()
    {
        using var client = forms.NewClient();
        using var body = Intake(FormsBackend.NewEmail(), commune: "Rennes", postalCode: "29000");

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Quimper", (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["commune"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentIntakesGetDistinctReferences()
    {
        var posts = Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = forms.NewClient();
            using var body = Intake(FormsBackend.NewEmail());
            using var response = await client.PostAsync("api/porteurs", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        });

        var references = await Task.WhenAll(posts);

        Assert.Equal(8, references.Distinct().Count());
    }

    [Fact]
    public async Task APlainMultipartPostIsRedirectedToTheThankYouPage()
    {
        using var client = forms.NewClient(accept: "text/html");
        using var body = Intake(FormsBackend.NewEmail(), files: [("note.pdf", SampleFiles.Pdf())]);
        body.Add(new StringContent("http://127.0.0.1:8080/merci.html"), "redirection");

        using var response = await client.PostAsync("api/porteurs", body);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.StartsWith("http://127.0.0.1:8080/merci.html?formulaire=porteur&reference=PP-", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }
}
