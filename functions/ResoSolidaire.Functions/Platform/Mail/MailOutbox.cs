namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>What became of a mail handed to the outbox.</summary>
public enum MailOutcome
{
    Sent,
    Queued,
    AlreadyQueued,
    Failed,
}

public static class MailOutcomes
{
    /// <summary>Labels agree with « courriel » (masculine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(nameof(MailOutcome.Sent), "sent", "Envoyé"),
        new(nameof(MailOutcome.Queued), "queued", "En file d'attente (nouvel essai automatique)"),
        new(nameof(MailOutcome.AlreadyQueued), "already-queued", "Déjà en file d'attente"),
        new(nameof(MailOutcome.Failed), "failed", "En échec"),
    ]);

    public static string Code(this MailOutcome outcome) => Terms.Code(Stored(outcome));

    public static string Label(this MailOutcome outcome) => Terms.Label(Stored(outcome));

    private static string Stored(MailOutcome outcome) => outcome switch
    {
        MailOutcome.Sent => nameof(MailOutcome.Sent),
        MailOutcome.Queued => nameof(MailOutcome.Queued),
        MailOutcome.AlreadyQueued => nameof(MailOutcome.AlreadyQueued),
        _ => nameof(MailOutcome.Failed),
    };
}

/// <summary>Counts of one pass of the retry timer, for its log line.</summary>
public sealed record OutboxPassResult(int Sent, int Retrying, int Failed, int MarkedUncertain);

/// <summary>
/// Every transactional mail goes through here: it is written to the outbox table before SendGrid is
/// called, so a SendGrid outage, a 429 or a crash never loses it. A timer retries what is due.
/// A mail whose request may have reached SendGrid (the sender stopped mid-request) is marked
/// uncertain instead of being sent a second time.
/// </summary>
public sealed partial class MailOutbox(
    StorageProvisioning storage,
    MailComposer composer,
    SendGridGateway gateway,
    SendRetry retry,
    EmailHasher emailHasher,
    TimeProvider time,
    ILogger<MailOutbox> logger)
{
    /// <summary>After this long in Sending, a claim is considered abandoned by a stopped sender.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(10);

    public const string TableName = "Outbox";

    public const int MaxAttempts = 12;

    /// <summary>
    /// Keeps the mail, then tries to send it at once. With an idempotency key, a mail already handed
    /// over under that key is not queued again (and so never sent twice).
    /// </summary>
    public async Task<MailOutcome> SendAsync(OutgoingMail mail, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var entity = new OutboxEntity
        {
            RowKey = idempotencyKey is null ? NewRowKey(now) : KeySafe.Encode("k-" + idempotencyKey),
            Kind = mail.Kind,
            Status = OutboxStatus.Sending,
            CreatedAt = now,
            NextAttemptAt = now,
            ClaimedAt = now,
            Attempts = 1,
        };
        entity.WriteBody(composer.ToSendGridJson(mail));
        var people = PeopleOf(mail);
        entity.People = string.Join('\n', people);

        // The mail and its person rows land together or not at all: no mail is ever out of reach of an erasure.
        var actions = new List<TableTransactionAction>(people.Count + 1) { new(TableTransactionActionType.Add, entity) };
        actions.AddRange(people.Select(hash => new TableTransactionAction(
            TableTransactionActionType.UpsertReplace,
            new TableEntity(OutboxEntity.MailPartition, OutboxEntity.PersonRowKey(hash, entity.RowKey)) { ["Mail"] = entity.RowKey })));
        try
        {
            var added = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            entity.ETag = added.Value[0].Headers.ETag ?? default;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return MailOutcome.AlreadyQueued;
        }

        return await AttemptAsync(table, entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the pending mails that are due, and marks abandoned claims as uncertain.</summary>
    public async Task<OutboxPassResult> RetryDueAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        int sent = 0, retrying = 0, failed = 0, uncertain = 0;

        var due = table.QueryAsync<OutboxEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition} and Status eq {OutboxStatus.Pending} and NextAttemptAt le {now}"),
            cancellationToken: cancellationToken);
        await foreach (var entity in due.ConfigureAwait(false))
        {
            entity.Status = OutboxStatus.Sending;
            entity.ClaimedAt = now;
            entity.Attempts++;
            try
            {
                var claimed = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                entity.ETag = claimed.Headers.ETag ?? default;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                continue; // another sender claimed it first
            }

            switch (await AttemptAsync(table, entity, cancellationToken).ConfigureAwait(false))
            {
                case MailOutcome.Sent: sent++; break;
                case MailOutcome.Failed: failed++; break;
                default: retrying++; break;
            }
        }

        var abandonedBefore = now - ClaimLifetime;
        var abandoned = table.QueryAsync<OutboxEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition} and Status eq {OutboxStatus.Sending} and ClaimedAt lt {abandonedBefore}"),
            cancellationToken: cancellationToken);
        await foreach (var entity in abandoned.ConfigureAwait(false))
        {
            entity.Status = OutboxStatus.Uncertain;
            try
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                uncertain++;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Its sender finished after all.
            }
        }

        return new OutboxPassResult(sent, retrying, failed, uncertain);
    }

    /// <summary>Reads one outbox row (for staff views and tests).</summary>
    public async Task<OutboxEntity?> FindAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<OutboxEntity>(OutboxEntity.MailPartition, KeySafe.Encode("k-" + idempotencyKey), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    private async Task<MailOutcome> AttemptAsync(TableClient table, OutboxEntity entity, CancellationToken cancellationToken)
    {
        var result = await gateway.SendAsync(entity.ReadBody(), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        entity.LastStatusCode = result.Status is { } s ? (int)s : null;
        entity.LastError = result.Reason;
        entity.ClaimedAt = null;
        MailOutcome outcome;
        if (result.Accepted)
        {
            entity.Status = OutboxStatus.Sent;
            entity.SentAt = now;
            outcome = MailOutcome.Sent;
        }
        else if (result.Permanent || entity.Attempts >= MaxAttempts)
        {
            entity.Status = OutboxStatus.Failed;
            outcome = MailOutcome.Failed;
            logger.LogWarning("Outbox mail {MailKind} failed for good after {Attempts} attempt(s), status {StatusCode}", entity.Kind, entity.Attempts, entity.LastStatusCode);
        }
        else
        {
            entity.Status = OutboxStatus.Pending;
            entity.NextAttemptAt = now + retry.Delay(SendRetry.Outbox, entity.Attempts, result.RetryAfter);
            outcome = MailOutcome.Queued;
            logger.LogInformation("Outbox mail {MailKind} queued for retry (attempt {Attempts}, status {StatusCode})", entity.Kind, entity.Attempts, entity.LastStatusCode);
        }

        // The sent mark must land even if the caller gave up: SendGrid already has the mail.
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, CancellationToken.None).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The keyed hashes of everyone the mail is to or about (addresses that do not parse have none).</summary>
    private List<string> PeopleOf(OutgoingMail mail) =>
        [.. mail.To.Append(mail.ReplyTo).Concat(mail.About).Select(emailHasher.HashOrNull).OfType<string>().Distinct(StringComparer.Ordinal)];

    private static string NewRowKey(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}-{Guid.NewGuid():N}");

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);
}
