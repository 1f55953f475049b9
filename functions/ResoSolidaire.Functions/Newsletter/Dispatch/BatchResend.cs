using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

public enum ResendOutcome
{
    Queued,
    NoDelivery,
    NoBatch,
    Purged,
    NotResendable,
    Changed,
}

/// <summary>Puts a failed or uncertain batch back in the queue of the dispatcher, at staff's request.</summary>
public sealed class BatchResend(EditionService editions, NewsletterStorage storage, TimeProvider time, ILogger<BatchResend> logger)
{
    /// <summary>The outcome, with the batch as it is now (queued again, or as found when it cannot be).</summary>
    public async Task<(ResendOutcome Outcome, BatchEntity? Batch)> ResendAsync(string editionId, string batch, CancellationToken cancellationToken)
    {
        var edition = await editions.FindAsync(editionId, cancellationToken).ConfigureAwait(false);
        if (edition?.LedgerKey is not { } ledgerKey)
        {
            return (ResendOutcome.NoDelivery, null);
        }

        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, cancellationToken).ConfigureAwait(false);
        var found = await batchesTable.GetEntityIfExistsAsync<BatchEntity>(ledgerKey, batch, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue || found.Value is not { } entity)
        {
            return (ResendOutcome.NoBatch, null);
        }

        if (edition.LedgerPurgedAt is not null)
        {
            return (ResendOutcome.Purged, entity);
        }

        if (entity.Status is not (BatchStatus.Failed or BatchStatus.Uncertain))
        {
            return (ResendOutcome.NotResendable, entity);
        }

        // Two tables, no transaction: the edition goes back to sending first. Cut off after that write, it is a sending
        // edition with no pending batch, which the dispatcher completes again (sent, the batch still failed) and which a
        // retried resend finishes. The other way round, a pending batch under a sent edition would wait for ever:
        // the dispatcher only looks at approved and sending editions, and a retry refuses a batch that is not failed.
        entity.Status = BatchStatus.Pending;
        entity.Attempts = 0;
        entity.Resends++;
        entity.NextAttemptAt = time.GetUtcNow();
        try
        {
            if (edition.Status != EditionStatus.Sending)
            {
                edition.Status = EditionStatus.Sending;
                var editionsTable = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
                await editionsTable.UpdateEntityAsync(edition, edition.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            await batchesTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return (ResendOutcome.Changed, entity);
        }

        logger.LogInformation("Edition {EditionId} batch {Batch} queued again by staff", editionId, batch);
        return (ResendOutcome.Queued, entity);
    }
}
