using Azure.Storage.Blobs.Models;
using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Archive;

/// <summary>The web versions of sent monthly editions, kept in Blob storage and served by the public archive.</summary>
public sealed class NewsletterArchive(NewsletterStorage storage, NewsletterLinks links)
{
    public async Task PublishAsync(string editionId, RenderedEdition content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var container = await storage.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var web = content.ForWeb(links.ArchiveList);
        await container.GetBlobClient(BlobName(editionId)).UploadAsync(
            BinaryData.FromString(web.Html),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/html; charset=utf-8" } },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> ReadAsync(string editionId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var download = await container.GetBlobClient(BlobName(editionId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static string BlobName(string editionId) => $"archive/{editionId}.html";
}
