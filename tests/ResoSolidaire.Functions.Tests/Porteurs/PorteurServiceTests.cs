using Azure;
using Microsoft.AspNetCore.Http;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Porteurs;

/// <summary>The intake service against Azurite and a mail sink, without the host.</summary>
public sealed class PorteurServiceTests
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(10);

    internal static List<KeyValuePair<string, string>> Fields(string commune = "Cesson-Sévigné", string postalCode = "35510", string title = "Atelier vélo solidaire") =>
    [
        new("firstName", "Yann"),
        new("lastName", "Le Goff"),
        new("email", "yann.legoff@exemple.fr"),
        new("phone", "07 11 22 33 44"),
        new("commune", commune),
        new("postalCode", postalCode),
        new("projectTitle", title),
        new("projectDescription", "Un atelier de réparation de vélos d'occasion, animé par des personnes en insertion."),
        new("sector", "mobilite"),
        new("stage", "etude"),
        new("legalStatus", "scic"),
        new("needs", "financement"),
        new("needs", "local"),
        new("heardFrom", "Le forum des associations"),
        new("consent", "on"),
        new("website", ""),
    ];

    private static async Task<List<PorteurEntity>> StoredAsync(FormsTestServices services)
    {
        var stored = new List<PorteurEntity>();
        try
        {
            await foreach (var row in services.Table(PorteurForm.TableName).QueryAsync<PorteurEntity>(e => e.PartitionKey == SubmissionLedger.Partition))
            {
                if (row.RowKey.StartsWith(PorteurForm.ReferencePrefix, StringComparison.Ordinal))
                {
                    stored.Add(row);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table: nothing was ever stored.
        }

        return stored;
    }

    private static async Task<List<string>> BlobsAsync(FormsTestServices services)
    {
        var container = services.Container(AttachmentStore.ContainerName);
        if (!await container.ExistsAsync())
        {
            return [];
        }

        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    [Fact]
    public async Task AnIntakeWithThreeAttachmentsIsStoredUnderOurOwnBlobNamesAndNotified()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<PorteurService>().SubmitAsync(
            services.Multipart(Fields(), [("../../budget prévisionnel.pdf", SampleFiles.Pdf()), ("photo.jpg", SampleFiles.Png()), ("statuts.docx", SampleFiles.Docx())]),
            default);

        var reference = result.Receipt!.Reference;
        Assert.Matches(@"^PP-\d{4}-0001$", reference);
        var row = Assert.Single(await StoredAsync(services));
        Assert.True(row.InPaysDeRennes);
        Assert.Equal("35051", row.CommuneInsee);
        Assert.Equal("financement,local", row.Needs);
        Assert.Equal(3, row.AttachmentCount);
        Assert.Equal("porteur", row.ConsentForm);
        Assert.Equal([$"{reference}/1.pdf", $"{reference}/2.png", $"{reference}/3.docx"], (await BlobsAsync(services)).Order(StringComparer.Ordinal));
        Assert.Equal(["budget prévisionnel.pdf", "photo.png", "statuts.docx"], row.AttachmentRecords().Select(a => a.Name));
        var staff = await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("accompagnement@reso-solidaire.example"), MailWait);
        Assert.Contains(reference, staff.Subject, StringComparison.Ordinal);
        Assert.Contains("budget prévisionnel.pdf", staff.Text, StringComparison.Ordinal);
        await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("yann.legoff@exemple.fr"), MailWait);
    }

    [Fact]
    public async Task ARenamedExecutableRefusesThePostAndNothingIsKept()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<PorteurService>().SubmitAsync(
            services.Multipart(Fields(), [("dossier.pdf", SampleFiles.Pdf()), ("budget.pdf", SampleFiles.Executable())]),
            default);

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, result.Rejection!.Status);
        Assert.Contains("« budget.pdf »", Assert.Single(result.Rejection.Errors!["attachments"]), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(services));
        Assert.Empty(await BlobsAsync(services));
        Assert.Equal(0, services.Mail.Messages.Count);
    }

    [Fact]
    public async Task AFourthAttachmentIsRefusedAsAFieldError()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<PorteurService>().SubmitAsync(
            services.Multipart(Fields(), Enumerable.Range(1, 4).Select(i => ($"piece{i}.pdf", SampleFiles.Pdf()))),
            default);

        Assert.Equal(StatusCodes.Status400BadRequest, result.Rejection!.Status);
        Assert.Contains("3 fichiers au plus", Assert.Single(result.Rejection.Errors!["attachments"]), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(services));
    }

    [Fact]
    public async Task AnAttachmentOverItsCapIsRefusedAsTooLarge()
    {
        await using var services = await FormsTestServices.StartAsync(new Dictionary<string, string?> { ["Forms:MaxFileBytes"] = "4096" });

        var result = await services.Get<PorteurService>().SubmitAsync(
            services.Multipart(Fields(), [("gros.pdf", SampleFiles.PdfOfSize(5000))]),
            default);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.Rejection!.Status);
        Assert.Contains("« gros.pdf »", result.Rejection.Detail, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(services));
    }

    [Fact]
    public async Task APorteurFromOutsideThePaysDeRennesIsAcceptedFlaggedAndToldAboutPartners()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<PorteurService>().SubmitAsync(services.Multipart(Fields("Brest", "29200"), []), default);

        Assert.Contains("partenaire proche de chez vous", result.Receipt!.Message, StringComparison.Ordinal);
        Assert.False(Assert.Single(await StoredAsync(services)).InPaysDeRennes);
        var ack = await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("yann.legoff@exemple.fr"), MailWait);
        Assert.Contains("Pays de Rennes", ack.Text, StringComparison.Ordinal);
        Assert.Contains("partenaire proche de chez vous", ack.Html, StringComparison.Ordinal);
        var staff = await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("accompagnement@reso-solidaire.example"), MailWait);
        Assert.Contains("hors territoire", staff.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonIntakesAreAcceptedWithoutAttachments()
    {
        await using var services = await FormsTestServices.StartAsync();
        var json = """
            {"firstName":"Awa","lastName":"Diallo","email":"awa@exemple.fr","phone":"0612345678","commune":"35238",
             "projectTitle":"Traiteur solidaire","projectDescription":"Un service traiteur avec un restaurant d'insertion.",
             "sector":"alimentation","stage":"idee","legalStatus":"ne-sait-pas","needs":["local","emploi"],"consent":true}
            """;

        var result = await services.Get<PorteurService>().SubmitAsync(services.Json(json), default);

        Assert.NotNull(result.Receipt);
        Assert.Equal("Rennes", Assert.Single(await StoredAsync(services)).CommuneName);
    }

    [Fact]
    public async Task ReferencesStayUniqueWhenManyIntakesArriveAtOnce()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<PorteurService>();

        var results = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            service.SubmitAsync(services.Multipart(Fields(title: $"Projet numéro {i}"), []), default)));

        var references = results.Select(r => r.Receipt!.Reference).ToList();
        Assert.Equal(12, references.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"{i:D4}"), references.Select(r => r[^4..]).Order(StringComparer.Ordinal));
        Assert.Equal(12, (await StoredAsync(services)).Count);
    }

    [Fact]
    public async Task TheSameIntakeWithTheSameFilesPostedTwiceIsKeptOnce()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<PorteurService>();

        var first = await service.SubmitAsync(services.Multipart(Fields(), [("a.pdf", SampleFiles.Pdf())]), default);
        var second = await service.SubmitAsync(services.Multipart(Fields(), [("a.pdf", SampleFiles.Pdf())]), default);

        Assert.Equal(first.Receipt!.Reference, second.Receipt!.Reference);
        Assert.Single(await StoredAsync(services));
        Assert.Single(await BlobsAsync(services));
    }
}
