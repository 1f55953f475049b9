using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>
/// The newsletter's share of personal data: the subscription (with its consent record), the delivery ledgers
/// of past editions, and the suppression list. Erasure deletes the subscription, blanks the address in the
/// ledgers (the counts of each edition stay right), and leaves the address's hash in the suppression list,
/// so that an opt-out survives and the address is never mailed again unless it subscribes anew.
/// </summary>
public sealed class NewsletterPersonalData(NewsletterStorage storage, SuppressionList suppressions, AudienceChanges audience, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public const string ErasureReason = "effacement";

    public string Name => "newsletter";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = subject.Hash;
        var found = new List<JsonObject>();
        var subscribers = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var subscriber = await subscribers.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (subscriber.HasValue && subscriber.Value is { } s)
        {
            found.Add(SubscriberStatus.Terms.Relabel(PersonalRecords.Of("abonnement", s)));
        }

        var suppressionTable = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var suppression = await suppressionTable.GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (suppression.HasValue && suppression.Value is { } o)
        {
            found.Add(PersonalRecords.Of("opposition", new { o.Reason, o.Source, o.SuppressedAt }));
        }

        await foreach (var row in LedgerRowsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            found.Add(LedgerEntity.OutcomeTerms.Relabel(PersonalRecords.Of("envoi", new { Delivery = row.PartitionKey, row.Email, row.Name, row.Outcome }), "outcome"));
        }

        return found;
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = subject.Hash;
        var records = new List<PersonalRecord>();
        var subscribers = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var subscriber = await subscribers.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (subscriber.HasValue && subscriber.Value is { } s)
        {
            string Choices(string codes, IReadOnlyDictionary<string, string> labels) =>
                SubscriberEntity.Split(codes) is { Count: > 0 } list ? string.Join(", ", list.Select(c => labels.GetValueOrDefault(c, c))) : "Tous";
            records.Add(new PersonalRecord(
                "Abonnement à la lettre d'information",
                PersonalRecords.Fields(
                    ("Adresse e-mail", s.Email),
                    ("Nom", s.Name),
                    ("État", SubscriberStatus.Terms.Label(s.Status)),
                    ("Territoires suivis", Choices(s.Territories, Interests.Territories)),
                    ("Secteurs suivis", Choices(s.Sectors, Interests.Sectors)),
                    ("Inscrit le", PersonalRecords.DateTime(s.CreatedAt)),
                    ("Confirmé le", s.ConfirmedAt is { } confirmed ? PersonalRecords.DateTime(confirmed) : null),
                    ("Désinscrit le", s.UnsubscribedAt is { } left ? PersonalRecords.DateTime(left) : null),
                    ("Consentement", $"donné le {PersonalRecords.DateTime(s.ConsentAt)} ({s.ConsentSource}, texte version {s.ConsentTextVersion})"))));
        }

        var suppressionTable = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var suppression = await suppressionTable.GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (suppression.HasValue && suppression.Value is { } o)
        {
            records.Add(new PersonalRecord(
                "Opposition aux envois",
                PersonalRecords.Fields(("Depuis le", PersonalRecords.DateTime(o.SuppressedAt)), ("Motif", SuppressionReason(o.Reason))),
                ErasureEffect.Kept,
                KeptOptOut));
        }

        await foreach (var row in LedgerRowsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            records.Add(new PersonalRecord(
                "Envoi d'une lettre",
                PersonalRecords.Fields(("Envoi", row.PartitionKey), ("Adresse", row.Email), ("Nom", row.Name), ("Résultat", LedgerEntity.OutcomeTerms.Label(row.Outcome))),
                ErasureEffect.Anonymised,
                "Le décompte de l'envoi reste juste : seules l'adresse et le nom sont retirés de la liste des destinataires."));
        }

        return new PersonalDataSection(
            "Lettre d'information",
            "Envoyer la lettre d'information et les envois ciblés aux personnes qui l'ont demandée, et ne plus jamais écrire à celles qui s'y opposent.",
            records,
            [KeptOptOut]);
    }

    /// <summary>What the erasure leaves of the newsletter, and why (shown before an erasure).</summary>
    public const string KeptOptOut = "L'empreinte chiffrée de l'adresse (pas l'adresse elle-même) reste dans la liste d'opposition : sans elle, un envoi de la lettre ou de l'annuaire pourrait de nouveau parvenir à cette adresse. Elle ne permet pas de retrouver l'adresse.";

    private static string SuppressionReason(string reason) => reason switch
    {
        "unsubscribe" or "group_unsubscribe" => "désinscription",
        "bounce" or "dropped" => "adresse en échec",
        "spamreport" => "signalement comme indésirable",
        ErasureReason => "effacement des données",
        _ => reason,
    };

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = subject.Hash;
        var erased = 0;

        // The opt-out first: should anything below fail, the address is already never mailed again.
        await audience.RecordLossAsync(key, ErasureReason, suppressions, cancellationToken).ConfigureAwait(false);
        if (!await suppressions.IsSuppressedAsync(key, cancellationToken).ConfigureAwait(false))
        {
            await suppressions.SuppressAsync(key, ErasureReason, "equipe", cancellationToken).ConfigureAwait(false);
        }

        var subscribers = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var deleted = await subscribers.DeleteEntityAsync(SubscriberEntity.Partition, key, ETag.All, cancellationToken).ConfigureAwait(false);
        erased += deleted.Status == 404 ? 0 : 1;

        var ledger = await storage.TableAsync(NewsletterStorage.Ledger, cancellationToken).ConfigureAwait(false);
        var rows = new List<LedgerEntity>();
        await foreach (var row in LedgerRowsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        foreach (var row in rows)
        {
            var blank = new TableEntity(row.PartitionKey, row.RowKey) { ["Email"] = "", ["Name"] = "" };
            await ledger.UpdateEntityAsync(blank, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            erased++;
        }

        return erased;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = retention.Value;
        var subscribers = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var unconfirmedBefore = now - options.UnconfirmedSubscriptions;
        var unconfirmed = subscribers.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition} and Status eq {SubscriberStatus.Pending} and ConsentAt lt {unconfirmedBefore}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken);
        var subscriptions = await TableBatches.DeleteAsync(subscribers, unconfirmed, cancellationToken).ConfigureAwait(false);

        var events = await storage.TableAsync(NewsletterStorage.WebhookEvents, cancellationToken).ConfigureAwait(false);
        var dedupBefore = now - options.DedupRecords;
        var handled = events.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Timestamp lt {dedupBefore}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        var eventIds = await TableBatches.DeleteAsync(events, handled, cancellationToken).ConfigureAwait(false);

        var unsubscribed = await PurgeUnsubscribedAsync(subscribers, now - options.UnsubscribedSubscribers, cancellationToken).ConfigureAwait(false);
        var recipients = await PurgeLedgersAsync(now, now - options.DeliveryLedgers, cancellationToken).ConfigureAwait(false);

        return
        [
            new PurgeCount("abonnements non confirmés", subscriptions),
            new PurgeCount("événements SendGrid traités", eventIds),
            new PurgeCount("abonnés désinscrits", unsubscribed),
            new PurgeCount("destinataires d'envois passés", recipients),
        ];
    }

    /// <summary>
    /// An unsubscribed row holds the address in clear, which the opt-out does not need: the suppression list
    /// holds its keyed hash (written first by every unsubscription). The hash is checked, and written if
    /// missing, before the row goes; subscribing again then starts afresh with a double opt-in.
    /// </summary>
    private async Task<int> PurgeUnsubscribedAsync(TableClient subscribers, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var expired = new List<TableEntity>();
        await foreach (var row in subscribers.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition} and Status eq {SubscriberStatus.Unsubscribed} and UnsubscribedAt lt {before}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!await suppressions.IsSuppressedAsync(row.RowKey, cancellationToken).ConfigureAwait(false))
            {
                await suppressions.SuppressAsync(row.RowKey, "unsubscribe", "conservation", cancellationToken).ConfigureAwait(false);
            }

            expired.Add(row);
        }

        return await TableBatches.DeleteAsync(subscribers, expired, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the recipients of deliveries completed before <paramref name="before"/>, every freeze of the
    /// edition (ledger partitions "{edition}.{freeze}-{batch}"), then marks the edition. The counts staff read
    /// (the edition's sent, failed, uncertain, suppressed; each batch's) are not in the ledger and stay.
    /// </summary>
    private async Task<int> PurgeLedgersAsync(DateTimeOffset now, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var editions = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        var due = new List<EditionEntity>();
        await foreach (var edition in editions.QueryAsync<EditionEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {EditionEntity.Partition} and Status eq {EditionStatus.Sent} and CompletedAt lt {before}"),
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (edition.LedgerPurgedAt is null)
            {
                due.Add(edition);
            }
        }

        var ledger = await storage.TableAsync(NewsletterStorage.Ledger, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var edition in due)
        {
            // '/' follows '.' and cannot appear in a key: the range holds exactly this edition's partitions.
            var rows = ledger.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey gt {edition.RowKey + "."} and PartitionKey lt {edition.RowKey + "/"}"),
                select: ["PartitionKey", "RowKey"],
                cancellationToken: cancellationToken);
            deleted += await TableBatches.DeleteAsync(ledger, rows, cancellationToken).ConfigureAwait(false);
            try
            {
                await editions.UpdateEntityAsync(new TableEntity(edition.PartitionKey, edition.RowKey) { [nameof(EditionEntity.LedgerPurgedAt)] = now }, edition.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Resent by staff meanwhile: the next pass looks at it again once that delivery completes.
            }
        }

        return deleted;
    }

    private async IAsyncEnumerable<LedgerEntity> LedgerRowsAsync(string key, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ledger = await storage.TableAsync(NewsletterStorage.Ledger, cancellationToken).ConfigureAwait(false);
        await foreach (var row in ledger.QueryAsync<LedgerEntity>(TableClient.CreateQueryFilter($"RowKey eq {key}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.Email.Length > 0 || !string.IsNullOrEmpty(row.Name))
            {
                yield return row;
            }
        }
    }
}
