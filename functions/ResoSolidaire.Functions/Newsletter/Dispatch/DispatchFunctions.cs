using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>A batch as staff see it: <c>lastError</c> is a French sentence (the technical detail is in the logs only).</summary>
public sealed record BatchView(string Batch, string Status, string StatusLabel, int Recipients, int Sent, int Suppressed, int Attempts, int Resends, DateTimeOffset? SentAt, int? LastStatusCode, string? LastError)
{
    public static BatchView Of(BatchEntity b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new(b.RowKey, BatchStatus.Terms.Code(b.Status), BatchStatus.Terms.Label(b.Status), b.Count, b.SentCount, b.Suppressed, b.Attempts, b.Resends, b.SentAt, b.LastStatusCode, b.LastError);
    }
}

public sealed record RecipientView(string Email, string Batch, string Status, string StatusLabel);

/// <summary>The delivery of an edition as staff see it: its batches, the recipients of failed and uncertain ones.</summary>
public sealed record DeliveryView(string EditionId, string Status, string StatusLabel, EditionCounts Counts, IReadOnlyList<BatchView> Batches, IReadOnlyList<RecipientView> ToCheck);

/// <summary>The dispatch timer, and the staff endpoints that show a delivery and resend a failed or uncertain batch.</summary>
public sealed class DispatchFunctions(NewsletterDispatcher dispatcher, EditionService editions, NewsletterStorage storage, TimeProvider time, ILogger<DispatchFunctions> logger)
{
    [Function(nameof(DispatchNewsletter))]
    public async Task DispatchNewsletter([TimerTrigger("%NewsletterDispatchSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await dispatcher.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    [Function(nameof(GetDelivery))]
    public async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetDelivery(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/newsletter/editions/{id}/delivery")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = request.HttpContext.RequestAborted;
        var edition = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (edition is null)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Envoi introuvable.");
        }

        var batches = new List<BatchEntity>();
        var toCheck = new List<RecipientView>();
        if (edition.LedgerKey is { } ledgerKey)
        {
            var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, ct).ConfigureAwait(false);
            await foreach (var b in batchesTable.QueryAsync<BatchEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ledgerKey}"), cancellationToken: ct).ConfigureAwait(false))
            {
                batches.Add(b);
            }

            var ledger = await storage.TableAsync(NewsletterStorage.Ledger, ct).ConfigureAwait(false);
            foreach (var b in batches.Where(b => b.Status is BatchStatus.Failed or BatchStatus.Uncertain or BatchStatus.Claimed))
            {
                var partition = BatchEntity.LedgerPartition(ledgerKey, b.RowKey);
                await foreach (var r in ledger.QueryAsync<LedgerEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct).ConfigureAwait(false))
                {
                    if (r.Outcome != LedgerEntity.SuppressedOutcome)
                    {
                        toCheck.Add(new RecipientView(r.Email, b.RowKey, BatchStatus.Terms.Code(b.Status), BatchStatus.Terms.Label(b.Status)));
                    }
                }
            }
        }

        var views = batches.OrderBy(b => b.RowKey, StringComparer.Ordinal).Select(BatchView.Of).ToList();
        return TypedResults.Ok(new DeliveryView(edition.RowKey, EditionStatus.Terms.Code(edition.Status), EditionStatus.Terms.Label(edition.Status), EditionService.View(edition).Counts, views, toCheck));
    }

    /// <summary>Staff decide to send a failed or uncertain batch again (for an uncertain one, accepting a possible second copy).</summary>
    [Function(nameof(ResendBatch))]
    public async Task<Results<Accepted<BatchView>, ProblemHttpResult>> ResendBatch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/newsletter/editions/{id}/batches/{batch}/resend")] HttpRequest request,
        string id,
        string batch)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = request.HttpContext.RequestAborted;
        var edition = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (edition?.LedgerKey is not { } ledgerKey)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Envoi introuvable.");
        }

        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, ct).ConfigureAwait(false);
        var found = await batchesTable.GetEntityIfExistsAsync<BatchEntity>(ledgerKey, batch, cancellationToken: ct).ConfigureAwait(false);
        if (!found.HasValue || found.Value is not { } entity)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Lot introuvable.");
        }

        if (edition.LedgerPurgedAt is not null)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "Ce lot ne peut plus être renvoyé.", "Ses destinataires ont été effacés au terme de leur durée de conservation ; les chiffres de l'envoi restent.");
        }

        if (entity.Status is not (BatchStatus.Failed or BatchStatus.Uncertain))
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "Seul un lot en échec ou incertain peut être renvoyé.", $"Ce lot est : {BatchStatus.Terms.Label(entity.Status)}.");
        }

        entity.Status = BatchStatus.Pending;
        entity.Attempts = 0;
        entity.Resends++;
        entity.NextAttemptAt = time.GetUtcNow();
        try
        {
            await batchesTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct).ConfigureAwait(false);
            if (edition.Status != EditionStatus.Sending)
            {
                edition.Status = EditionStatus.Sending;
                var editionsTable = await storage.TableAsync(NewsletterStorage.Editions, ct).ConfigureAwait(false);
                await editionsTable.UpdateEntityAsync(edition, edition.ETag, TableUpdateMode.Replace, ct).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "L'envoi a changé entre-temps.", "Rechargez l'état de l'envoi puis réessayez.");
        }

        logger.LogInformation("Edition {EditionId} batch {Batch} queued again by staff", id, batch);
        return TypedResults.Accepted((string?)null, BatchView.Of(entity));
    }
}
