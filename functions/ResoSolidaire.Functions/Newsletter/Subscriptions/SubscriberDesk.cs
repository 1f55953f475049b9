using ResoSolidaire.Functions.Platform.Audit;

namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>What staff see of an address: its subscription (if any) and whether the newsletter may reach it.</summary>
public sealed record SubscriberRecord(string Key, SubscriberEntity? Subscriber, SuppressionEntity? Suppression);

/// <summary>How many subscribers there are in each state.</summary>
public sealed record SubscriberCounts(int Confirmed, int Pending, int Unsubscribed, int Suppressed);

/// <summary>
/// The staff side of subscriptions: finding a person (by the exact address, through its keyed hash, or by the
/// name they gave), counts by state, and stopping the newsletter for someone who asked staff to (a phone call, a
/// letter), recorded in the audit log under the staff member. An address is never searched as text.
/// </summary>
public sealed class SubscriberDesk(
    NewsletterStorage storage,
    SuppressionList suppressions,
    SubscriptionService subscriptions,
    AuditLog audit,
    EmailHasher emailHasher,
    ILogger<SubscriberDesk> logger)
{
    /// <summary>Where a suppression made by staff comes from (beside lien, one-click, webhook).</summary>
    public const string StaffSource = "equipe";

    public string KeyOf(EmailAddress address) => emailHasher.Hash(address);

    public async Task<SubscriberRecord> FindAsync(string key, CancellationToken cancellationToken)
    {
        var subscriber = await subscriptions.FindAsync(key, cancellationToken).ConfigureAwait(false);
        var suppression = await suppressions.FindAsync(key, cancellationToken).ConfigureAwait(false);
        return new SubscriberRecord(key, subscriber, suppression);
    }

    /// <summary>Subscribers whose name contains <paramref name="name"/> (without case or accents), by name, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<SubscriberEntity>> SearchByNameAsync(string name, int max, CancellationToken cancellationToken)
    {
        var key = TextKey.Of(name);
        if (key.Length == 0)
        {
            return [];
        }

        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var found = new List<SubscriberEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition}");
        await foreach (var s in table.QueryAsync<SubscriberEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (TextKey.Of(s.Name).Contains(key, StringComparison.Ordinal))
            {
                found.Add(s);
            }
        }

        return [.. found.OrderBy(s => TextKey.Of(s.Name), StringComparer.Ordinal).Take(max)];
    }

    public async Task<SubscriberCounts> CountAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        int confirmed = 0, pending = 0, unsubscribed = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition}");
        await foreach (var s in table.QueryAsync<TableEntity>(filter, select: ["Status"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (s.GetString("Status"))
            {
                case SubscriberStatus.Confirmed: confirmed++; break;
                case SubscriberStatus.Pending: pending++; break;
                default: unsubscribed++; break;
            }
        }

        var suppressed = (await suppressions.LoadKeysAsync(null, cancellationToken).ConfigureAwait(false)).Count;
        return new SubscriberCounts(confirmed, pending, unsubscribed, suppressed);
    }

    /// <summary>
    /// Stops the newsletter for the address of <paramref name="key"/>, subscriber or directory actor alike (the
    /// suppression list), as the person's own unsubscribe link would; recorded in the audit log under <paramref name="member"/>.
    /// </summary>
    public async Task UnsubscribeAsync(string key, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await subscriptions.UnsubscribeAsync(key, StaffSource, cancellationToken).ConfigureAwait(false);
        await audit.WriteAsync(
            AuditRecord.By(member, AuditActions.Unsubscribe, new Dictionary<string, string>(StringComparer.Ordinal) { ["motif"] = "à la demande de la personne" }, 1, key),
            CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Newsletter stopped for an address by staff");
    }
}
