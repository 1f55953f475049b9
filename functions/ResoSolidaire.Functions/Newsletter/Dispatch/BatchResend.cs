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

/// <summary>
/// Puts failed or uncertain batches back in the queue of the dispatcher, at staff's request: one batch (a failed one,
/// or an uncertain one whose recipients may then get a second copy), or every failed batch at once (never an
/// uncertain one). Only the batch's recipients are sent to, minus those suppressed since.
/// </summary>
public sealed class BatchResend(EditionService editions, NewsletterStorage storage, TimeProvider time, ILogger<BatchResend> logger)
{
    /// <summary>The outcome, with the batch as it is now (queued again, or as found when it cannot be).</summary>
    public async Task<(ResendOutcome Outcome, BatchEntity? Batch)> ResendAsync(string editionId, string batch, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
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

        var outcome = await QueueAsync(edition, batchesTable, [entity], member, cancellationToken).ConfigureAwait(false);
        return (outcome, entity);
    }

    /// <summary>Queues every failed batch of the delivery again (uncertain ones stay: they may have been received); returns how many.</summary>
    public async Task<(ResendOutcome Outcome, int Batches)> RetryFailedAsync(string editionId, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var edition = await editions.FindAsync(editionId, cancellationToken).ConfigureAwait(false);
        if (edition?.LedgerKey is not { } ledgerKey)
        {
            return (ResendOutcome.NoDelivery, 0);
        }

        if (edition.LedgerPurgedAt is not null)
        {
            return (ResendOutcome.Purged, 0);
        }

        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, cancellationToken).ConfigureAwait(false);
        var failed = new List<BatchEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ledgerKey} and Status eq {BatchStatus.Failed}");
        await foreach (var b in batchesTable.QueryAsync<BatchEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            failed.Add(b);
        }

        if (failed.Count == 0)
        {
            return (ResendOutcome.NoBatch, 0);
        }

        return (await QueueAsync(edition, batchesTable, failed, member, cancellationToken).ConfigureAwait(false), failed.Count);
    }

    private async Task<ResendOutcome> QueueAsync(EditionEntity edition, TableClient batchesTable, List<BatchEntity> batches, StaffMember member, CancellationToken cancellationToken)
    {
        // Two tables, no transaction: the edition goes back to sending first. Cut off after that write, it is a sending
        // edition with no pending batch, which the dispatcher completes again (sent, the batch still failed) and which a
        // retried resend finishes. The other way round, a pending batch under a sent edition would wait for ever:
        // the dispatcher only looks at approved and sending editions, and a retry refuses a batch that is not failed.
        // A dispatcher run may be completing the edition at the same moment (it listed the batches before this one was
        // queued): after the batch write the edition is written once more, so that such a run's save, made with the
        // ETag it read, is refused, and an edition it marked sent meanwhile goes back to sending.
        var now = time.GetUtcNow();
        var editionsTable = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        try
        {
            edition.Status = EditionStatus.Sending;
            await editionsTable.UpdateEntityAsync(edition, edition.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return ResendOutcome.Changed;
        }

        try
        {
            foreach (var entity in batches)
            {
                entity.Status = BatchStatus.Pending;
                entity.Attempts = 0;
                entity.Resends++;
                entity.NextAttemptAt = now;
                entity.ResentAt = now;
                entity.ResentBy = member.Name;
                entity.ResentByObjectId = member.ObjectId;
                await batchesTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            // The batches queued before the refusal stay queued: the edition is sending, the dispatcher sends them.
            await KeepSendingAsync(editionsTable, edition, cancellationToken).ConfigureAwait(false);
            return ResendOutcome.Changed;
        }

        await KeepSendingAsync(editionsTable, edition, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Edition {EditionId}: {Batches} batches queued again by staff", edition.RowKey, batches.Count);
        return ResendOutcome.Queued;
    }

    /// <summary>
    /// Writes the edition as sending again, from a fresh read: whatever a dispatcher run read before is now stale.
    /// A run that saves in between (its ETag was current) makes this write fail once: the edition is read again.
    /// </summary>
    private async Task KeepSendingAsync(TableClient editionsTable, EditionEntity edition, CancellationToken cancellationToken)
    {
        for (var read = 0; read < 3; read++)
        {
            var current = (await editionsTable.GetEntityAsync<EditionEntity>(edition.PartitionKey, edition.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            current.Status = EditionStatus.Sending;
            try
            {
                await editionsTable.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Changed between the read and the write: read it again.
            }
        }

        logger.LogWarning("Edition {EditionId} kept changing while a batch was queued again: check its delivery report", edition.RowKey);
    }
}
