using System.Diagnostics;
using ResoSolidaire.Functions.Newsletter.Archive;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>What one dispatch run did.</summary>
public sealed record DispatchRun(bool Acquired, int Batches, int Recipients, bool Stopped);

/// <summary>
/// Sends the editions that are due. Under a blob lease (one dispatcher at a time) it freezes an edition's
/// audience into a ledger, then sends batch after batch: each is claimed before its request and marked
/// after SendGrid's answer. A claim found by a later run was interrupted mid-request: it becomes
/// uncertain and only staff can resend it. Suppressions are read again before every batch. The run
/// stops within its budget and the next tick resumes.
/// </summary>
public sealed class NewsletterDispatcher(
    NewsletterStorage storage,
    NewsletterAudience audience,
    SuppressionList suppressions,
    EditionService editions,
    BatchComposer composer,
    SendGridGateway gateway,
    SendRetry retry,
    NewsletterArchive archive,
    DeliveryReport report,
    IOptions<NewsletterOptions> options,
    TimeProvider time,
    ILogger<NewsletterDispatcher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Suppressions are read again from a little before the last check: instances' clocks differ.</summary>
    private static readonly TimeSpan SuppressionClockSkew = TimeSpan.FromMinutes(1);

    private const int LedgerWriters = 8;
    private readonly NewsletterOptions _options = options.Value;

    public async Task<DispatchRun> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var container = await storage.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var lease = await DispatchLease.TryAcquireAsync(container, TimeSpan.FromSeconds(_options.DispatchLeaseSeconds), time, logger, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            logger.LogInformation("Newsletter dispatch skipped: another dispatcher holds the lease");
            return new DispatchRun(false, 0, 0, false);
        }

        await using (lease.ConfigureAwait(false))
        {
            var run = new RunState(started, lease.Lost, cancellationToken);
            var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var due = new List<EditionEntity>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EditionEntity.Partition} and SendAtUtc le {now}");
            await foreach (var e in table.QueryAsync<EditionEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (e.Status is EditionStatus.Approved or EditionStatus.Sending)
                {
                    due.Add(e);
                }
            }

            foreach (var edition in due.OrderBy(e => e.SendAtUtc))
            {
                if (ShouldStop(run))
                {
                    break;
                }

                await DispatchEditionAsync(table, edition, run).ConfigureAwait(false);
            }

            logger.LogInformation("Newsletter dispatch run: {Batches} batches, {Recipients} recipients, stopped early: {Stopped}", run.Batches, run.Recipients, run.Stopped);
            return new DispatchRun(true, run.Batches, run.Recipients, run.Stopped);
        }
    }

    private async Task DispatchEditionAsync(TableClient editionsTable, EditionEntity edition, RunState run)
    {
        if (edition.Status == EditionStatus.Approved)
        {
            edition.Status = EditionStatus.Sending;
            edition.FreezeId = null;
            edition.LedgerKey = null;
            if (!await TrySaveAsync(editionsTable, edition).ConfigureAwait(false))
            {
                return;
            }
        }

        if (edition.LedgerKey is null && !await FreezeAsync(editionsTable, edition, run).ConfigureAwait(false))
        {
            return;
        }

        var content = await ReadContentAsync(edition.LedgerKey!, run.Cancellation).ConfigureAwait(false);
        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, run.Cancellation).ConfigureAwait(false);
        var ledger = await storage.TableAsync(NewsletterStorage.Ledger, run.Cancellation).ConfigureAwait(false);
        var batches = await ListBatchesAsync(batchesTable, edition.LedgerKey!, run.Cancellation).ConfigureAwait(false);

        // We hold the lease: a claim left by an earlier run belongs to a dispatcher that stopped mid-request.
        foreach (var b in batches.Where(b => b.Status == BatchStatus.Claimed))
        {
            b.Status = BatchStatus.Uncertain;
            b.LastError = "Le répartiteur s'est arrêté pendant l'envoi : SendGrid a peut-être reçu ce lot.";
            await UpdateAsync(batchesTable, b).ConfigureAwait(false);
            logger.LogWarning("Edition {EditionId} batch {Batch} marked uncertain", edition.RowKey, b.RowKey);
        }

        // The ledger holds no one suppressed when the audience was read: only later suppressions matter.
        var checkedAt = time.GetUtcNow();
        var suppressed = await suppressions.LoadKeysAsync(edition.FrozenAt - SuppressionClockSkew, run.Cancellation).ConfigureAwait(false);
        var category = edition.Kind == EditionKind.Monthly ? "newsletter" : "newsletter-envoi-cible";
        var first = true;
        foreach (var batch in batches.Where(b => b.Status == BatchStatus.Pending))
        {
            while (batch.Status == BatchStatus.Pending)
            {
                if (!await WaitUntilDueAsync(batch, run).ConfigureAwait(false))
                {
                    run.Stopped = true;
                    return;
                }

                if (!first && _options.PauseBetweenBatches > TimeSpan.Zero)
                {
                    await Task.Delay(_options.PauseBetweenBatches, time, run.Cancellation).ConfigureAwait(false);
                }

                first = false;
                if (ShouldStop(run))
                {
                    return;
                }

                // Whoever left since the last batch receives nothing from now on.
                var now = time.GetUtcNow();
                suppressed.UnionWith(await suppressions.LoadKeysAsync(checkedAt - SuppressionClockSkew, run.Cancellation).ConfigureAwait(false));
                checkedAt = now;

                await SendBatchAsync(edition, content, batch, batchesTable, ledger, suppressed, category, run).ConfigureAwait(false);
            }
        }

        batches = await ListBatchesAsync(batchesTable, edition.LedgerKey!, run.Cancellation).ConfigureAwait(false);
        if (batches.All(b => BatchStatus.IsTerminal(b.Status)))
        {
            await CompleteAsync(editionsTable, edition, content, batches, run.Cancellation).ConfigureAwait(false);
        }
    }

    private async Task SendBatchAsync(
        EditionEntity edition,
        RenderedEdition content,
        BatchEntity batch,
        TableClient batchesTable,
        TableClient ledger,
        KeySet suppressed,
        string category,
        RunState run)
    {
        batch.Status = BatchStatus.Claimed;
        batch.ClaimedAt = time.GetUtcNow();
        batch.Attempts++;
        if (!await TryUpdateAsync(batchesTable, batch).ConfigureAwait(false))
        {
            run.Stopped = true; // someone else changed it (a staff action): leave it for the next run
            batch.Status = BatchStatus.Failed;
            return;
        }

        var partition = BatchEntity.LedgerPartition(edition.LedgerKey!, batch.RowKey);
        var rows = new List<LedgerEntity>(batch.Count);
        await foreach (var row in ledger.QueryAsync<LedgerEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: run.Cancellation).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        var left = rows.Where(r => r.Outcome != LedgerEntity.SuppressedOutcome && suppressed.Contains(r.RowKey)).ToList();
        if (left.Count > 0)
        {
            foreach (var chunk in left.Chunk(100))
            {
                await ledger.SubmitTransactionAsync(
                    chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(r.PartitionKey, r.RowKey) { ["Outcome"] = LedgerEntity.SuppressedOutcome }, ETag.All)),
                    CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var r in left)
            {
                r.Outcome = LedgerEntity.SuppressedOutcome;
            }
        }

        var recipients = rows.Where(r => r.Outcome != LedgerEntity.SuppressedOutcome).ToList();
        batch.Suppressed = rows.Count - recipients.Count;
        var now = time.GetUtcNow();
        if (recipients.Count == 0)
        {
            batch.Status = BatchStatus.Sent;
            batch.SentCount = 0;
            batch.SentAt = now;
            batch.ClaimedAt = null;
            await UpdateAsync(batchesTable, batch).ConfigureAwait(false);
            return;
        }

        var json = composer.Compose(content, recipients, edition.RowKey, batch.RowKey, category);

        // The request and its record are not cancelled by the host: once sent, the outcome must be written.
        var result = await gateway.SendAsync(json, CancellationToken.None).ConfigureAwait(false);
        now = time.GetUtcNow();
        batch.ClaimedAt = null;
        batch.LastStatusCode = result.Status is { } s ? (int)s : null;
        if (result.Accepted)
        {
            batch.Status = BatchStatus.Sent;
            batch.SentCount = recipients.Count;
            batch.SentAt = now;
            batch.LastError = null;
            run.Batches++;
            run.Recipients += recipients.Count;
        }
        else if (result.Status == HttpStatusCode.TooManyRequests)
        {
            batch.Status = BatchStatus.Pending;
            batch.Attempts--; // a rate limit is not a failure of the batch
            batch.NextAttemptAt = now + (result.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
            batch.LastError = result.Reason;
            logger.LogInformation("Edition {EditionId} batch {Batch}: rate limited, retry at {NextAttemptAt}", edition.RowKey, batch.RowKey, batch.NextAttemptAt);
        }
        else if (result.TimedOut)
        {
            batch.Status = BatchStatus.Uncertain;
            batch.LastError = "Le service d'envoi n'a pas répondu à temps : il a peut-être reçu ce lot.";
            logger.LogWarning("Edition {EditionId} batch {Batch}: timed out, marked uncertain", edition.RowKey, batch.RowKey);
        }
        else if (result.Permanent)
        {
            batch.Status = BatchStatus.Failed;
            batch.LastError = result.Reason;
            logger.LogWarning("Edition {EditionId} batch {Batch} refused with {StatusCode}", edition.RowKey, batch.RowKey, batch.LastStatusCode);
        }
        else if (batch.Attempts >= _options.MaxBatchAttempts)
        {
            batch.Status = BatchStatus.Failed;
            batch.LastError = string.Create(CultureInfo.InvariantCulture, $"{result.Reason} Abandon après {batch.Attempts} {(batch.Attempts <= 1 ? "tentative" : "tentatives")}.");
            logger.LogWarning("Edition {EditionId} batch {Batch} failed after {Attempts} attempts", edition.RowKey, batch.RowKey, batch.Attempts);
        }
        else
        {
            batch.Status = BatchStatus.Pending;
            batch.NextAttemptAt = now + retry.Delay(SendRetry.Dispatch, batch.Attempts, result.RetryAfter);
            batch.LastError = result.Reason;
            logger.LogInformation("Edition {EditionId} batch {Batch}: status {StatusCode}, retry at {NextAttemptAt}", edition.RowKey, batch.RowKey, batch.LastStatusCode, batch.NextAttemptAt);
        }

        await UpdateAsync(batchesTable, batch).ConfigureAwait(false);
    }

    private async Task<bool> FreezeAsync(TableClient editionsTable, EditionEntity edition, RunState run)
    {
        edition.FreezeId = Guid.NewGuid().ToString("N")[..10];
        if (!await TrySaveAsync(editionsTable, edition).ConfigureAwait(false))
        {
            return false;
        }

        var ledgerKey = edition.RowKey + "." + edition.FreezeId;
        var clock = Stopwatch.StartNew();
        var frozenAt = time.GetUtcNow();
        var rendered = await editions.RenderForDispatchAsync(edition, run.Cancellation).ConfigureAwait(false);
        var container = await storage.ContainerAsync(run.Cancellation).ConfigureAwait(false);
        await container.GetBlobClient($"ledgers/{ledgerKey}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(rendered, Json), overwrite: true, run.Cancellation).ConfigureAwait(false);

        var ledger = await storage.TableAsync(NewsletterStorage.Ledger, run.Cancellation).ConfigureAwait(false);
        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, run.Cancellation).ConfigureAwait(false);

        // The audience is written to the ledger as it is read, a transaction of up to 100 rows at a time
        // (one batch per partition), a few in flight: nothing holds the whole audience in memory.
        var count = new AudienceCount();
        var batchSizes = new List<int>();
        var part = new List<Recipient>(100);
        var writes = new List<Task>(LedgerWriters);
        try
        {
            await foreach (var recipient in audience.StreamAsync(EditionService.SegmentOf(edition), count, run.Cancellation).ConfigureAwait(false))
            {
                if (batchSizes.Count == 0 || batchSizes[^1] == _options.BatchSize)
                {
                    batchSizes.Add(0);
                }

                part.Add(recipient);
                batchSizes[^1]++;
                if (part.Count == 100 || batchSizes[^1] == _options.BatchSize)
                {
                    await WriteLedgerAsync(ledger, BatchEntity.LedgerPartition(ledgerKey, BatchEntity.Row(batchSizes.Count - 1)), part, writes, run.Cancellation).ConfigureAwait(false);
                    part = new List<Recipient>(100);
                }
            }

            if (part.Count > 0)
            {
                await WriteLedgerAsync(ledger, BatchEntity.LedgerPartition(ledgerKey, BatchEntity.Row(batchSizes.Count - 1)), part, writes, run.Cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            // Every write is finished (or failed) before the freeze is given up or recorded.
            await Task.WhenAll(writes).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        foreach (var chunk in batchSizes.Select((size, i) => (Row: BatchEntity.Row(i), Size: size)).Chunk(100))
        {
            await batchesTable.SubmitTransactionAsync(
                chunk.Select(b => new TableTransactionAction(
                    TableTransactionActionType.UpsertReplace,
                    new BatchEntity { PartitionKey = ledgerKey, RowKey = b.Row, Count = b.Size, NextAttemptAt = now })),
                run.Cancellation).ConfigureAwait(false);
        }

        edition.LedgerKey = ledgerKey;
        edition.FrozenAt = frozenAt;
        edition.Recipients = count.Recipients;
        edition.BatchCount = batchSizes.Count;
        edition.AudienceSuppressed = count.Suppressed;
        if (!await TrySaveAsync(editionsTable, edition).ConfigureAwait(false))
        {
            return false;
        }

        logger.LogInformation(
            "Edition {EditionId}: audience of {Recipients} frozen in {Batches} batches ({Duplicates} duplicates, {Suppressed} suppressed) in {ElapsedMs} ms",
            edition.RowKey, count.Recipients, batchSizes.Count, count.Duplicates, count.Suppressed, clock.ElapsedMilliseconds);
        return true;
    }

    /// <summary>Starts the transaction of one part of a batch, once fewer than <see cref="LedgerWriters"/> are in flight.</summary>
    private static async Task WriteLedgerAsync(TableClient ledger, string partition, List<Recipient> part, List<Task> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == LedgerWriters)
        {
            var done = await Task.WhenAny(writes).ConfigureAwait(false);
            writes.Remove(done);
            await done.ConfigureAwait(false);
        }

        writes.Add(ledger.SubmitTransactionAsync(
            part.Select(r => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new LedgerEntity { PartitionKey = partition, RowKey = r.Key, Email = r.Email, Name = r.DisplayName })).ToList(),
            cancellationToken));
    }

    private async Task CompleteAsync(TableClient editionsTable, EditionEntity edition, RenderedEdition content, IReadOnlyList<BatchEntity> batches, CancellationToken cancellationToken)
    {
        edition.Sent = batches.Sum(b => b.Status == BatchStatus.Sent ? b.SentCount : 0);
        edition.Failed = batches.Sum(b => b.Status == BatchStatus.Failed ? b.Count - b.Suppressed : 0);
        edition.Uncertain = batches.Sum(b => b.Status == BatchStatus.Uncertain ? b.Count - b.Suppressed : 0);
        edition.Suppressed = edition.AudienceSuppressed + batches.Sum(b => b.Suppressed);
        edition.Completions++;
        edition.CompletedAt = time.GetUtcNow();
        edition.Status = EditionStatus.Sent;

        if (edition.Kind == EditionKind.Monthly)
        {
            await archive.PublishAsync(edition.RowKey, content, cancellationToken).ConfigureAwait(false);
            edition.ArchivedAt ??= edition.CompletedAt;
        }

        await report.SendAsync(edition, batches, cancellationToken).ConfigureAwait(false);
        if (await TrySaveAsync(editionsTable, edition).ConfigureAwait(false))
        {
            logger.LogInformation(
                "Edition {EditionId} delivered: {Sent} sent, {Failed} failed, {Uncertain} uncertain",
                edition.RowKey, edition.Sent, edition.Failed, edition.Uncertain);
        }
    }

    private async Task<bool> WaitUntilDueAsync(BatchEntity batch, RunState run)
    {
        var wait = batch.NextAttemptAt - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        if (wait > _options.MaxInlineWait || Elapsed(run) + wait >= _options.DispatchBudget)
        {
            return false;
        }

        await Task.Delay(wait, time, run.Cancellation).ConfigureAwait(false);
        return true;
    }

    private bool ShouldStop(RunState run)
    {
        if (run.Cancellation.IsCancellationRequested || run.LeaseLost.IsCancellationRequested || Elapsed(run) >= _options.DispatchBudget)
        {
            run.Stopped = true;
        }

        return run.Stopped;
    }

    private TimeSpan Elapsed(RunState run) => time.GetElapsedTime(run.Started);

    private async Task<RenderedEdition> ReadContentAsync(string ledgerKey, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var download = await container.GetBlobClient($"ledgers/{ledgerKey}.json").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return download.Value.Content.ToObjectFromJson<RenderedEdition>(Json)!;
    }

    private static async Task<List<BatchEntity>> ListBatchesAsync(TableClient table, string ledgerKey, CancellationToken cancellationToken)
    {
        var list = new List<BatchEntity>();
        await foreach (var b in table.QueryAsync<BatchEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ledgerKey}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(b);
        }

        return [.. list.OrderBy(b => b.RowKey, StringComparer.Ordinal)];
    }

    private static async Task UpdateAsync(TableClient table, BatchEntity batch)
    {
        var response = await table.UpdateEntityAsync(batch, batch.ETag, TableUpdateMode.Replace, CancellationToken.None).ConfigureAwait(false);
        batch.ETag = response.Headers.ETag ?? default;
    }

    private static async Task<bool> TryUpdateAsync(TableClient table, BatchEntity batch)
    {
        try
        {
            await UpdateAsync(table, batch).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    private async Task<bool> TrySaveAsync(TableClient table, EditionEntity edition)
    {
        try
        {
            var response = await table.UpdateEntityAsync(edition, edition.ETag, TableUpdateMode.Replace, CancellationToken.None).ConfigureAwait(false);
            edition.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            logger.LogWarning("Edition {EditionId} changed meanwhile: left for the next run", edition.RowKey);
            return false;
        }
    }

    private sealed class RunState(long started, CancellationToken leaseLost, CancellationToken cancellation)
    {
        public long Started { get; } = started;

        public CancellationToken LeaseLost { get; } = leaseLost;

        public CancellationToken Cancellation { get; } = cancellation;

        public bool Stopped { get; set; }

        public int Batches { get; set; }

        public int Recipients { get; set; }
    }
}
