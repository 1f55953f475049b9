using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Porteurs;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>
/// Attachments are written before their intake's row; when that write fails and storage is down for the
/// clean-up too, the files are left without a row. The sweep removes them once no request can still be writing them.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class OrphanAttachmentTests
{
    [Fact]
    public async Task TheSweepDeletesAttachmentsWhoseIntakeWasNeverStoredOnceTheGraceIsOverAndKeepsTheOthers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await FormsTestServices.StartAsync(time: time);
        var accepted = await services.Get<PorteurService>().SubmitAsync(
            services.Multipart(PorteurServiceTests.Fields(), [("dossier.pdf", SampleFiles.Pdf())]), CancellationToken.None);
        var kept = Assert.IsType<SubmissionReceipt>(accepted.Receipt).Reference;
        var container = services.Container(AttachmentStore.ContainerName);
        // What a post refused with a 503 after its upload leaves behind.
        await container.UploadBlobAsync("PP-2026-9999/1.pdf", BinaryData.FromBytes(SampleFiles.Pdf()));

        await services.Get<PorteurService>().SweepAsync(CancellationToken.None);
        Assert.Equal(2, await CountAsync());

        time.Advance(FormMailSweepFunction.Grace + TimeSpan.FromMinutes(1));
        await services.Get<PorteurService>().SweepAsync(CancellationToken.None);

        var left = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            left.Add(blob.Name);
        }

        Assert.Equal([$"{kept}/1.pdf"], left);

        async Task<int> CountAsync()
        {
            var count = 0;
            await foreach (var _ in container.GetBlobsAsync())
            {
                count++;
            }

            return count;
        }
    }
}
