using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>The porteurs' attachments, in a private container, under names we choose.</summary>
public sealed class AttachmentStore(StorageProvisioning storage)
{
    public const string ContainerName = "porteurs-pieces";


    public async Task<IReadOnlyList<AttachmentRecord>> UploadAsync(string reference, IReadOnlyList<Attachment> attachments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        if (attachments.Count == 0)
        {
            return [];
        }

        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<AttachmentRecord>();
        foreach (var attachment in attachments)
        {
            var blob = container.GetBlobClient(attachment.BlobName(reference));
            await blob.UploadAsync(
                BinaryData.FromBytes(attachment.Content),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = attachment.Type.ContentType } },
                cancellationToken).ConfigureAwait(false);
            records.Add(new AttachmentRecord(attachment.SafeName, blob.Name, attachment.Type.ContentType, attachment.Content.Length, attachment.Sha256));
        }

        return records;
    }

    /// <summary>Removes the blobs of a post that turned out to be a duplicate.</summary>
    public async Task DeleteAsync(IEnumerable<AttachmentRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            await container.DeleteBlobIfExistsAsync(record.Blob, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the attachments written before <paramref name="writtenBefore"/> whose intake was never stored (the
    /// row's write failed after the upload, and so did the immediate clean-up); returns how many.
    /// </summary>
    public async Task<int> DeleteOrphansAsync(DateTimeOffset writtenBefore, Func<string, CancellationToken, Task<bool>> intakeExists, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intakeExists);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var reference = blob.Name.Split('/')[0];
            if (blob.Properties.CreatedOn is not { } created || created >= writtenBefore)
            {
                continue;
            }

            if (!known.TryGetValue(reference, out var exists))
            {
                exists = await intakeExists(reference, cancellationToken).ConfigureAwait(false);
                known[reference] = exists;
            }

            if (!exists && await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }

    public Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => storage.ContainerAsync(ContainerName, cancellationToken);
}
