using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>
/// The newsletter's share of personal data: the subscription (with its consent record), the delivery ledgers
/// of past editions, and the suppression list. Erasure deletes the subscription, blanks the address in the
/// ledgers (the counts of each edition stay right), and leaves the address's hash in the suppression list,
/// so that an opt-out survives and the address is never mailed again unless it subscribes anew.
/// </summary>
public sealed class NewsletterPersonalData(NewsletterStorage storage, SuppressionList suppressions, IOptions<RetentionOptions> retention) : IPersonalDataStore
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
            found.Add(PersonalRecords.Of("abonnement", s));
        }

        var suppressionTable = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var suppression = await suppressionTable.GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (suppression.HasValue && suppression.Value is { } o)
        {
            found.Add(PersonalRecords.Of("opposition", new { o.Reason, o.Source, o.SuppressedAt }));
        }

        await foreach (var row in LedgerRowsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            found.Add(PersonalRecords.Of("envoi", new { Delivery = row.PartitionKey, row.Email, row.Name, row.Outcome }));
        }

        return found;
    }

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = subject.Hash;
        var erased = 0;

        // The opt-out first: should anything below fail, the address is already never mailed again.
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

        return [new PurgeCount("abonnements non confirmés", subscriptions), new PurgeCount("événements SendGrid traités", eventIds)];
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
